import { stat } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs';
import { compressionStats } from '../compress/compression-stats.js';
import { loadKerasModel } from '../engine/keras/load-keras-model.js';
import { loadLayersModelFromFile } from '../engine/load-layers-model-from-file.js';
import { tfjsModelFileBytes } from '../evaluate/model-file.js';
import type { ModelSource } from '../evaluate/types.js';
import { isLayersModel } from './resolve-population.js';

/** What {@link measureModel} finds out about a model; `null` where it cannot tell. */
export interface ModelMeasures {
  sparsity: number | null;
  gzippedBytes: number | null;
  /** Bytes on disk of the model's files, or of a tfjs model's float32 weights when it is in memory. */
  storedBytes: number | null;
}

/**
 * Sparsity (zeros among the prunable weights), gzipped weight size and stored size of a tfjs model given as an
 * object, a model.json path or a Keras .h5 / .keras file, or of an .onnx file (its weight initializers) or a .tflite
 * file (its constant buffers); nulls for anything else
 * (functions, predictions), or when the weights cannot be read (the audit never fails on a missing size).
 * @internal
 * @example
 * (await measureModel('models/0.9/model.json')).storedBytes; // model.json plus its weight shards, in bytes
 */
export async function measureModel(source: ModelSource): Promise<ModelMeasures> {
  const none = { sparsity: null, gzippedBytes: null, storedBytes: null };
  try {
    if (isLayersModel(source)) {
      const stats = compressionStats(source as tf.LayersModel);
      return { sparsity: stats.prunableSparsity, gzippedBytes: stats.gzipBytes, storedBytes: stats.rawBytes };
    }
    if (typeof source === 'string' && /\.onnx$/i.test(source)) {
      // From the initializers alone: onnx-proto parses the file, no runtime is needed.
      const [{ onnxInitializerStats }, { readModelBytes }] = await Promise.all([
        import('../onnx/onnx-initializer-stats.js'),
        import('../evaluate/read-model-bytes.js'),
      ]);
      const stats = onnxInitializerStats(await readModelBytes(source));
      return { sparsity: stats.prunableSparsity, gzippedBytes: stats.gzipBytes, storedBytes: (await stat(source)).size };
    }
    if (typeof source === 'string' && /\.tflite$/i.test(source)) {
      // From the flatbuffer's constant buffers alone: no runtime is needed.
      const [{ readTfliteModel }, { tfliteWeightStats }, { readModelBytes }] = await Promise.all([
        import('../evaluate/tflite/read-tflite-model.js'),
        import('../evaluate/tflite/tflite-weight-stats.js'),
        import('../evaluate/read-model-bytes.js'),
      ]);
      const stats = tfliteWeightStats(readTfliteModel(await readModelBytes(source), source));
      return { sparsity: stats.sparsity, gzippedBytes: stats.gzipBytes, storedBytes: (await stat(source)).size };
    }
    if (typeof source === 'string' && /(model\.json|\.h5|\.keras)$/i.test(source)) {
      const model = /model\.json$/i.test(source) ? await loadLayersModelFromFile(source) : await loadKerasModel(source);
      try {
        const stats = compressionStats(model);
        // A Keras file holds config and weights in one file; a model.json names its weight shards.
        const storedBytes = /model\.json$/i.test(source) ? await tfjsModelFileBytes(source) : (await stat(source)).size;
        return { sparsity: stats.prunableSparsity, gzippedBytes: stats.gzipBytes, storedBytes };
      } finally {
        model.dispose();
      }
    }
  } catch {
    return none;
  }
  return none;
}
