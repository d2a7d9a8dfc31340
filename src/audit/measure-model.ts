import type * as tf from '@tensorflow/tfjs';
import { compressionStats } from '../compress/compression-stats.js';
import { loadKerasModel } from '../engine/keras/load-keras-model.js';
import { loadLayersModelFromFile } from '../engine/load-layers-model-from-file.js';
import type { ModelSource } from '../evaluate/types.js';
import { isLayersModel } from './resolve-population.js';

/**
 * Sparsity (zeros among the prunable weights) and gzipped weight size of a tfjs model given as an
 * object, a model.json path or a Keras .h5 / .keras file, or of an .onnx file (its weight initializers); nulls for anything else
 * (functions, predictions), or when the weights cannot be read (the audit never fails on a missing size).
 * @internal
 */
export async function measureModel(source: ModelSource): Promise<{ sparsity: number | null; gzippedBytes: number | null }> {
  const none = { sparsity: null, gzippedBytes: null };
  try {
    if (isLayersModel(source)) {
      const stats = compressionStats(source as tf.LayersModel);
      return { sparsity: stats.prunableSparsity, gzippedBytes: stats.gzipBytes };
    }
    if (typeof source === 'string' && /\.onnx$/i.test(source)) {
      // From the initializers alone: onnx-proto parses the file, no runtime is needed.
      const [{ onnxInitializerStats }, { readModelBytes }] = await Promise.all([
        import('../onnx/onnx-initializer-stats.js'),
        import('../evaluate/read-model-bytes.js'),
      ]);
      const stats = onnxInitializerStats(await readModelBytes(source));
      return { sparsity: stats.prunableSparsity, gzippedBytes: stats.gzipBytes };
    }
    if (typeof source === 'string' && /(model\.json|\.h5|\.keras)$/i.test(source)) {
      const model = /model\.json$/i.test(source) ? await loadLayersModelFromFile(source) : await loadKerasModel(source);
      try {
        const stats = compressionStats(model);
        return { sparsity: stats.prunableSparsity, gzippedBytes: stats.gzipBytes };
      } finally {
        model.dispose();
      }
    }
  } catch {
    return none;
  }
  return none;
}
