import type * as tf from '@tensorflow/tfjs';
import { fineTunePruned, type FineTuneOptions } from '../compress/fine-tune-pruned.js';
import type { BlockPooling } from '../compress/magnitude-mask.js';
import { pruneLowMagnitude } from '../compress/prune-low-magnitude.js';
import type { MaskSelection, PrunedModel } from '../compress/pruned-model.js';
import type { PruningSchedule } from '../compress/pruning-schedule.js';
import { stripPruning } from '../compress/strip-pruning.js';
import type { TrainingData } from '../compress/training-data.js';
import { PieAuditError } from '../errors.js';

/** How one population member is pruned and trained. */
export interface MemberRecipe {
  readonly level: number;
  readonly schedule: PruningSchedule;
  readonly maskSelection: MaskSelection;
  readonly randomSeed: number;
  /** Shuffling seed of the training batches. */
  readonly seed: number;
  readonly train: Omit<FineTuneOptions, 'seed' | 'schedule' | 'onBatchEnd'>;
  readonly blockSize?: readonly [number, number];
  readonly blockPooling?: BlockPooling;
  readonly pruneLayer?: (layer: { name: string; className: string }) => boolean;
}

/**
 * Prunes a copy of `start` under the recipe's schedule while training it (`fineTunePruned`), checks
 * that the schedule reached the level, and returns the stripped model with its last-epoch loss.
 *
 * @example
 * const recipe = { level: 0.9, schedule, maskSelection: 'magnitude' as const, randomSeed: 0, seed: 1, train };
 * const { model } = await trainPrunedMember(baseline, data, recipe);
 * @throws PieAuditError INVALID_ARGUMENT when the schedule never reaches the level within the budget
 */
export async function trainPrunedMember(
  start: tf.LayersModel,
  data: TrainingData,
  recipe: MemberRecipe,
): Promise<{ model: tf.LayersModel; loss: number | undefined }> {
  let live: PrunedModel | undefined = await pruneLowMagnitude(start, {
    schedule: recipe.schedule,
    maskSelection: recipe.maskSelection,
    randomSeed: recipe.randomSeed,
    ...(recipe.blockSize ? { blockSize: recipe.blockSize } : {}),
    ...(recipe.blockPooling ? { blockPooling: recipe.blockPooling } : {}),
    ...(recipe.pruneLayer ? { pruneLayer: recipe.pruneLayer } : {}),
  });
  try {
    const run = await fineTunePruned(live, data, { ...recipe.train, seed: recipe.seed });
    const reached = live.weights.map((w) => w.targetSparsity);
    if (reached.some((s) => Math.abs(s - recipe.level) > 1e-6)) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `the pruning schedule ended at sparsity ${reached[0]} after ${run.steps} steps, not at level ${recipe.level}; ` +
          'its last mask update must fall within the training steps (lower the frequency or endStep, or add epochs)',
        { level: recipe.level, reached: reached[0], steps: run.steps },
      );
    }
    const model = stripPruning(live);
    live = undefined;
    return { model, loss: run.epochLoss[run.epochLoss.length - 1] };
  } finally {
    live?.dispose(true);
  }
}
