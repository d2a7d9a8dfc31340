import type * as tf from '@tensorflow/tfjs';
import { compressionStats } from '../compress/compression-stats.js';
import type { FineTuneOptions } from '../compress/fine-tune-pruned.js';
import type { MaskSelection } from '../compress/pruned-model.js';
import type { TrainingData } from '../compress/training-data.js';
import type { PopulationFineTune, PopulationFromScratch, PruningRun } from './population-options.js';
import { fineTuneSchedule, gradualSteps } from './population-schedules.js';
import { polynomialDecay } from '../compress/polynomial-decay.js';
import type { LevelPlan } from './level-plans.js';
import { trainPrunedMember, type MemberRecipe } from './train-pruned-member.js';

/**
 * The training options of a pruning run (epochs, batch size, optimizer), without its data and pruning choices.
 *
 * @example
 * trainOptionsOf({ data, epochs: 2, batchSize: 128 }); // { epochs: 2, batchSize: 128 }
 */
export function trainOptionsOf(run: PopulationFineTune | PopulationFromScratch): Omit<FineTuneOptions, 'seed' | 'schedule' | 'onBatchEnd'> {
  const { epochs, batchSize, optimizer, learningRate, shuffle } = run;
  return {
    epochs,
    batchSize,
    ...(optimizer ? { optimizer } : {}),
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(shuffle !== undefined ? { shuffle } : {}),
  };
}

/** Which weights a pruning run prunes, and in what blocks: the choices every member of both regimes shares. */
function pruningChoicesOf(run: PruningRun): Pick<MemberRecipe, 'blockSize' | 'blockPooling' | 'pruneLayer'> {
  return {
    ...(run.blockSize ? { blockSize: run.blockSize } : {}),
    ...(run.blockPooling ? { blockPooling: run.blockPooling } : {}),
    ...(run.pruneLayer ? { pruneLayer: run.pruneLayer } : {}),
  };
}

/**
 * How the fineTune regime prunes and trains one level of one baseline: the one recipe that `buildPopulation`
 * and a distributed fineTune job both use, so both give the same model.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` when a polynomial schedule's frequency leaves no mask update
 * @example
 * const recipe = pairedMemberRecipe(fine, 0.9, 1, fineTuneSteps(data, fine));
 */
export function pairedMemberRecipe(
  fine: PopulationFineTune,
  level: number,
  seed: number,
  totalSteps: number,
  maskSelection: MaskSelection = 'magnitude',
  randomSeed = 0,
): MemberRecipe {
  return {
    level,
    schedule: fineTuneSchedule(fine.schedule ?? 'oneShot', level, totalSteps, fine.frequency ?? 100),
    maskSelection,
    randomSeed,
    seed,
    train: trainOptionsOf(fine),
    ...pruningChoicesOf(fine),
  };
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
 * One job of a fineTune population: prunes a copy of `baseline` to `level` (by magnitude, or with random
 * masks drawn from `randomSeed` for a random control) while fine-tuning it with the population's budget and
 * the baseline's seed (so all levels of one baseline see the same batch order), exactly as `buildPopulation`
 * does. The baseline is left untouched.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` when the schedule cannot reach the level within the budget
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
  maskSelection: MaskSelection = 'magnitude',
  randomSeed = 0,
): Promise<FineTunedLevel> {
  const recipe = pairedMemberRecipe(fine, level, seed, totalSteps, maskSelection, randomSeed);
  const { model, loss } = await trainPrunedMember(baseline, data, recipe);
  return { model, sparsity: compressionStats(model).prunableSparsity, loss };
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

/**
 * One member of a fromScratch population: a model created from `initSeed` and trained on the run's data
 * while pruned gradually to the plan's level (tfmot `PolynomialDecay`), with masks by magnitude or, for a
 * random control, drawn from `initSeed`. The one recipe `buildPopulation` and a distributed scratch job share.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` when the gradual schedule does not fit the training budget
 * @example
 * const { model } = await trainScratchMember(createModel, fromScratch, data, { key: '0.9', sparsity: 0.9, maskSelection: 'magnitude' }, 12345);
 */
export async function trainScratchMember(
  createModel: (seed: number) => tf.LayersModel,
  run: PopulationFromScratch,
  data: TrainingData,
  plan: LevelPlan,
  initSeed: number,
): Promise<{ model: tf.LayersModel; loss: number | undefined }> {
  const steps = gradualSteps(run, fineTuneSteps(data, run));
  const fresh = createModel(initSeed);
  try {
    return await trainPrunedMember(fresh, data, {
      level: plan.sparsity,
      schedule: polynomialDecay(0, plan.sparsity, { ...steps, power: run.power ?? 3 }),
      maskSelection: plan.maskSelection,
      randomSeed: initSeed,
      seed: initSeed,
      train: trainOptionsOf(run),
      ...pruningChoicesOf(run),
    });
  } finally {
    fresh.dispose();
  }
}
