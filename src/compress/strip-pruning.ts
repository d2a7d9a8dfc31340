import type * as tf from '@tensorflow/tfjs';
import type { PrunedModel } from './pruned-model.js';

/**
 * Ends pruning, as tfmot's `strip_pruning`: applies the masks a last time and returns the plain
 * LayersModel (the same object as `pruned.model`) whose pruned weights are exact zeros; the mask
 * tensors are released and `pruned` can no longer be trained.
 *
 * @example
 * const sparse = stripPruning(pruned);
 * await saveLayersModel(sparse, 'models/pruned-0.9');
 */
export function stripPruning(pruned: PrunedModel): tf.LayersModel {
  if (!pruned.isDisposed) {
    pruned.applyMasks();
    pruned.dispose(false);
  }
  return pruned.model;
}
