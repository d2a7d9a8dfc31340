import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    analysis: 'src/analysis/entry.ts',
    distribute: 'src/distribute/entry.ts',
    'cli/main': 'src/cli/main.ts',
    // Started from a file path (sandboxed BullMQ processor, worker threads, recipe modules): see src/distribute/module-paths.ts.
    'cli/queue-processor': 'src/cli/queue-processor.ts',
    'distribute/population-worker': 'src/distribute/population-worker.ts',
    'distribute/demo-recipe': 'src/distribute/demo-recipe.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts', analysis: 'src/analysis/entry.ts', distribute: 'src/distribute/entry.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  // Optional peers stay external and are loaded lazily with a guarded dynamic import.
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node'],
});
