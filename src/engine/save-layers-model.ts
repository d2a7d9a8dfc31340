import type * as tf from '@tensorflow/tfjs';
import { fileSystemIO } from './file-system-io.js';

/**
 * Saves a LayersModel to `dir` as `model.json` + `group1-shard1of1.bin` (the `tensorflowjs_converter`
 * layout), atomically: written to a temporary sibling directory, then renamed, so `dir` never holds a
 * half-written model. An existing model directory at `dir` is replaced.
 *
 * @example
 * await saveLayersModel(model, 'models/pruned-0.9/seed-1');
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<tf.io.SaveResult> {
  return model.save(fileSystemIO(dir));
}
