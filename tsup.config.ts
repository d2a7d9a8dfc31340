import { defineConfig } from 'tsup';

/** The package's entry points (package.json `exports`): the root and one subpath per stage. */
export const packageEntries = {
  index: 'src/index.ts',
  analysis: 'src/analysis/entry.ts',
  compress: 'src/compress/entry.ts',
  data: 'src/data/entry.ts',
  evaluate: 'src/evaluate/entry.ts',
  report: 'src/report/entry.ts',
  distribute: 'src/distribute/entry.ts',
};

export default defineConfig({
  entry: {
    ...packageEntries,
    'cli/main': 'src/cli/main.ts',
    // Started from a file path (sandboxed BullMQ processor, worker threads, recipe modules): see src/distribute/module-paths.ts
    // and src/evaluate/image-decode-thread.ts.
    'cli/queue-processor': 'src/cli/queue-processor.ts',
    'distribute/population-worker': 'src/distribute/population-worker.ts',
    'distribute/demo-recipe': 'src/distribute/demo-recipe.ts',
    'evaluate/image-decode-worker': 'src/evaluate/image-decode-worker.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: packageEntries },
  sourcemap: true,
  clean: true,
  splitting: true,
  // Optional peers stay external and are loaded lazily with a guarded dynamic import.
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node', 'tfjs-tflite-node'],
});
