import type * as tf from '@tensorflow/tfjs';
import { compressionStats } from '../compress/compression-stats.js';
import { constantSparsity } from '../compress/constant-sparsity.js';
import { fineTunePruned } from '../compress/fine-tune-pruned.js';
import { polynomialDecay } from '../compress/polynomial-decay.js';
import { pruneLowMagnitude } from '../compress/prune-low-magnitude.js';
import type { PrunedModel } from '../compress/pruned-model.js';
import type { PruningSchedule } from '../compress/pruning-schedule.js';
import { stripPruning } from '../compress/strip-pruning.js';
import type { TrainingData } from '../compress/training-data.js';
import { PieAuditError } from '../errors.js';
import type { PopulationFineTune } from './build-population.js';

/**
 * The pruning schedule of one level: one-shot (tfmot ConstantSparsity), polynomial (tfmot PolynomialDecay,
 * reaching the level at the last mask update within the budget) or the caller's function.
 *
 * @example
 * scheduleFor({ data, epochs: 1, batchSize: 128 }, 0.9, 100);
 * @throws PieAuditError INVALID_ARGUMENT for an unknown schedule kind.
 */
export function scheduleFor(fine: PopulationFineTune, level: number, totalSteps: number): PruningSchedule {
  const frequency = fine.frequency ?? 100;
  const kind = fine.schedule ?? 'oneShot';
  if (typeof kind === 'function') return kind(level, totalSteps);
  if (kind === 'oneShot') return constantSparsity(level, { beginStep: 0, frequency });
  if (kind === 'polynomial') {
    // the last step at which masks are recomputed, so the final level is reached within the budget
    const endStep = Math.max(0, Math.floor(Math.max(0, totalSteps - 1) / frequency) * frequency);
    return polynomialDecay(0, level, { beginStep: 0, endStep, frequency });
  }
  throw new PieAuditError(
    'INVALID_ARGUMENT',
    `fineTune.schedule must be 'oneShot', 'polynomial' or a function (got ${JSON.stringify(kind)})`,
  );
}

/** What one prune-and-fine-tune job produces. */
export interface FineTunedLevel {
  readonly model: tf.LayersModel;
  /** Achieved sparsity of the prunable weights. */
  readonly sparsity: number;
  /** Final-epoch training loss (undefined when no step ran). */
  readonly loss: number | undefined;
}

/**
 * One job of a population: prunes a copy of `baseline` by magnitude to `level` and fine-tunes it with the
 * population's budget and the baseline's seed (so all levels of one baseline see the same batch order).
 * The baseline is left untouched; the copy is disposed if a step throws.
 *
 * @example
 * const { model, sparsity } = await fineTuneLevel(baseline, fine, data, 0.9, 1, 94);
 */
export async function fineTuneLevel(
  baseline: tf.LayersModel,
  fine: PopulationFineTune,
  data: TrainingData,
  level: number,
  seed: number,
  totalSteps: number,
): Promise<FineTunedLevel> {
  let live: PrunedModel | undefined = await pruneLowMagnitude(baseline, {
    schedule: scheduleFor(fine, level, totalSteps),
    ...(fine.blockSize ? { blockSize: fine.blockSize } : {}),
    ...(fine.blockPooling ? { blockPooling: fine.blockPooling } : {}),
    ...(fine.pruneLayer ? { pruneLayer: fine.pruneLayer } : {}),
  });
  try {
    const {
      data: _data,
      schedule: _schedule,
      frequency: _frequency,
      blockSize: _blockSize,
      blockPooling: _blockPooling,
      pruneLayer: _pruneLayer,
      ...trainOptions
    } = fine;
    const run = await fineTunePruned(live, data, { ...trainOptions, seed });
    const model = stripPruning(live);
    live = undefined;
    return { model, sparsity: compressionStats(model).prunableSparsity, loss: run.epochLoss[run.epochLoss.length - 1] };
  } catch (e) {
    live?.dispose(true);
    throw e;
  }
}

/**
 * Fine-tuning steps of one level's budget (the same for every level).
 *
 * @example
 * fineTuneSteps(data, { epochs: 2, batchSize: 128 }); // 2 * ceil(n / 128)
 */
export function fineTuneSteps(data: TrainingData, fine: { epochs: number; batchSize: number }): number {
  const n = data.x instanceof Float32Array ? (data.shape?.[0] ?? 0) : 0;
  return fine.epochs * Math.ceil(n / fine.batchSize);
}
