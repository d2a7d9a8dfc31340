import type * as tf from '@tensorflow/tfjs';
import { compressionStats } from '../compress/compression-stats.js';
import { loadLayersModelFromFile } from '../engine/load-layers-model-from-file.js';
import type { ModelSource } from '../evaluate/types.js';
import { isLayersModel } from './resolve-population.js';

/**
 * Sparsity (zeros among the prunable weights) and gzipped weight size of a tfjs model given as an
 * object or a model.json path; nulls for anything else (ONNX, functions, predictions), or when the
 * weights cannot be read (the audit never fails on a missing size).
 * @internal
 */
export async function measureModel(source: ModelSource): Promise<{ sparsity: number | null; gzippedBytes: number | null }> {
  const none = { sparsity: null, gzippedBytes: null };
  try {
    if (isLayersModel(source)) {
      const stats = compressionStats(source as tf.LayersModel);
      return { sparsity: stats.prunableSparsity, gzippedBytes: stats.gzipBytes };
    }
    if (typeof source === 'string' && /model\.json$/i.test(source)) {
      const model = await loadLayersModelFromFile(source);
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
