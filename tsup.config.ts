import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', analysis: 'src/analysis/entry.ts', 'cli/main': 'src/cli/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts', analysis: 'src/analysis/entry.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  // Optional peers stay external and are loaded lazily with a guarded dynamic import.
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node'],
});
