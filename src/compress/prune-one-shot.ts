import type * as tf from '@tensorflow/tfjs';
import { constantSparsity } from './constant-sparsity.js';
import { pruneLowMagnitude, type PruneLowMagnitudeOptions } from './prune-low-magnitude.js';
import type { PrunedWeightState } from './pruned-model.js';
import { validateSparsity } from './pruning-schedule.js';
import { stripPruning } from './strip-pruning.js';

/** Options for {@link pruneOneShot}: `pruneLowMagnitude`'s, less the schedule and the step. */
export type PruneOneShotOptions = Omit<PruneLowMagnitudeOptions, 'schedule' | 'sparsity' | 'step'>;

/** A model pruned by {@link pruneOneShot}, with the state of every pruned weight. */
export interface OneShotPruningResult {
  /** The pruned model (a copy unless `inPlace`): pruned weights are exact zeros. */
  readonly model: tf.LayersModel;
  readonly weights: readonly PrunedWeightState[];
}

/**
 * Post-training one-shot magnitude pruning: zeroes the smallest-magnitude weights of every prunable
 * tensor now, to `sparsity`, with no training (the masks tfmot would compute at one mask update, ranked
 * on the weights as given). Useful on its own, and the way to prune a model that will not be fine-tuned.
 *
 * @example
 * const { model: sparse, weights } = await pruneOneShot(model, 0.9);
 * weights[0].maskSparsity; // 0.9 (within one weight)
 * @throws PieAuditError INVALID_SPARSITY, NO_PRUNABLE_LAYERS, UNSUPPORTED_LAYER, NON_FINITE as `pruneLowMagnitude`
 */
export async function pruneOneShot(
  model: tf.LayersModel,
  sparsity: number,
  options: PruneOneShotOptions = {},
): Promise<OneShotPruningResult> {
  validateSparsity(sparsity, 'sparsity');
  const pruned = await pruneLowMagnitude(model, { ...options, schedule: constantSparsity(sparsity, { beginStep: 0, frequency: 1 }) });
  try {
    pruned.updateMasks(0);
  } catch (e) {
    pruned.dispose(!options.inPlace);
    throw e;
  }
  const weights = pruned.weights;
  return { model: stripPruning(pruned), weights };
}
