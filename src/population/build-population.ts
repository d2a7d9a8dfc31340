import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../engine/ensure-backend.js';
import { compressionStats } from '../compress/compression-stats.js';
import type { TrainingData } from '../compress/training-data.js';
import { PieAuditError } from '../errors.js';
import { addQuantizedLevels } from './add-quantized-levels.js';
import { planPopulation, seedMembers, type PopulationPlan } from './population-plan.js';
import { populationFromPlan } from './population-from-plan.js';
import type { LevelPlan } from './level-plans.js';
import { gradualSteps } from './population-schedules.js';
import { disposePopulation, type Population } from './population.js';
import type {
  BuildPopulationOptions,
  PopulationFineTune,
  PopulationFromScratch,
  PopulationProgress,
  PruningRun,
} from './population-options.js';
import { pairedMemberRecipe, trainScratchMember } from './population-jobs.js';
import { trainPrunedMember } from './train-pruned-member.js';

export type { PopulationScheduleKind } from './population-schedules.js';
export { independentSeed } from './level-plans.js';
export type { BuildPopulationOptions, PopulationFineTune, PopulationFromScratch, PopulationProgress } from './population-options.js';

/** The options' population plan, checked once, and the checks of what building it in process needs. */
function validateOptions(options: BuildPopulationOptions): PopulationPlan {
  const plan = planPopulation({ ...options, levels: options.levels ?? [0, 0.3, 0.5, 0.7, 0.9, 0.99] }, 'options');
  const regime = plan.regime;
  const run = regime === 'fineTune' ? options.fineTune : options.fromScratch;
  if (!run?.data)
    throw new PieAuditError('INVALID_ARGUMENT', `options.${regime}.data is required for the ${regime} regime (the training examples)`);
  if (regime === 'fineTune' && typeof options.train !== 'function') {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      "options.train is required for the fineTune regime: it trains each seed's baseline before pruning",
    );
  }
  return plan;
}

/** Reads tensors once, so every run batches from the same Float32Array; returns the example count. */
function readOnce(data: TrainingData): { data: TrainingData; n: number } {
  const flat: TrainingData =
    data.x instanceof tf.Tensor
      ? {
          x: Float32Array.from(data.x.dataSync()),
          shape: data.x.shape,
          y: data.y instanceof tf.Tensor && data.y.rank === 1 ? Int32Array.from(data.y.dataSync()) : data.y,
        }
      : data;
  return { data: flat, n: flat.x instanceof Float32Array ? (flat.shape?.[0] ?? 0) : 0 };
}

/**
 * Builds the model populations the PIE analysis compares (Hooker et al.), in one of two regimes:
 *
 * - `fineTune` (default, paired): for each seed a baseline is created and trained; from that same
 *   baseline one copy per level is pruned by magnitude and fine-tuned with the same budget and batch
 *   order (level 0 too), so what differs between levels is the pruning alone.
 * - `fromScratch` (independent, the paper's): every (seed, level) model is created from its own seed
 *   and trained while pruned gradually, so levels share nothing but the recipe.
 *
 * With `randomControl`, every level above 0 gets a `random@<level>` twin pruned with seeded random
 * masks at the same per-tensor sparsity and trained alike; `quantizedLevels` adds quantized copies of
 * level 0 (`float16`, `int8-dynamic`, `int8-full`). The result records the design. Deterministic
 * for the seeds; models not returned are disposed, and everything is disposed if a step throws.
 *
 * @example
 * const pop = await buildPopulation({
 *   createModel: (seed) => makeMlp(seed),
 *   train: (model, seed) => trainBaseline(model, seed),
 *   seeds: [1, 2, 3, 4, 5],
 *   fineTune: { data: { x, shape: [n, 784], y }, epochs: 1, batchSize: 128 },
 *   randomControl: true,
 * });
 * pop.levels['random@0.9'].length; // 5
 * @throws PieAuditError EMPTY_POPULATION, INVALID_SPARSITY or INVALID_ARGUMENT for bad options; errors of pruning and training
 */
export async function buildPopulation(options: BuildPopulationOptions): Promise<Population> {
  const plan = validateOptions(options);
  // Models are created here: pick the fastest backend unless the caller already has one.
  await ensureBackend();
  const models = new Map<string, tf.LayersModel[]>(plan.levelPlans.map((p) => [p.key, []]));
  const baselines: tf.LayersModel[] = [];
  try {
    if (plan.regime === 'fineTune') await buildPaired(options, plan, models, baselines);
    else await buildIndependent(options, plan, models);
  } catch (e) {
    for (const list of models.values()) for (const m of list) m.dispose();
    for (const m of baselines) m.dispose();
    throw e;
  }
  const levels = Object.fromEntries(models);
  const measured = Object.fromEntries([...models].map(([key, list]) => [key, list.map((m) => compressionStats(m).prunableSparsity)]));
  const population: Population = {
    ...populationFromPlan(plan, levels, measured),
    ...(options.keepBaselines && plan.regime === 'fineTune' ? { baselines } : {}),
  };
  if (plan.quantizedLevels.length === 0) return population;
  try {
    return await addQuantizedLevels(
      population,
      plan.quantizedLevels,
      readOnce(((plan.regime === 'fineTune' ? options.fineTune : options.fromScratch) as PruningRun).data).data,
    );
  } catch (e) {
    disposePopulation(population);
    throw e;
  }
}

async function buildPaired(
  options: BuildPopulationOptions,
  plan: PopulationPlan,
  models: Map<string, tf.LayersModel[]>,
  baselines: tf.LayersModel[],
): Promise<void> {
  const fine = options.fineTune as PopulationFineTune;
  const train = options.train as (model: tf.LayersModel, seed: number) => Promise<void>;
  const { data, n } = readOnce(fine.data);
  const totalSteps = fine.epochs * Math.ceil(n / fine.batchSize);
  const total = plan.seeds.length * (1 + plan.levelPlans.length);
  let completed = 0;
  for (let seedIndex = 0; seedIndex < plan.seeds.length; seedIndex++) {
    const seed = plan.seeds[seedIndex];
    const baseline = options.createModel(seed);
    try {
      await train(baseline, seed);
      options.onProgress?.({ phase: 'train', seed, seedIndex, completed: ++completed, total });
      for (const member of seedMembers(plan, seedIndex)) {
        if (member.job.kind !== 'fineTune') continue;
        const { level, maskSeed } = member.job;
        const recipe = pairedMemberRecipe(fine, level.sparsity, seed, totalSteps, level.maskSelection, maskSeed);
        const { model, loss } = await trainPrunedMember(baseline, data, recipe);
        (models.get(level.key) as tf.LayersModel[]).push(model);
        options.onProgress?.(memberBuilt('fineTune', seed, seedIndex, level, loss, ++completed, total));
      }
    } catch (e) {
      baseline.dispose();
      throw e;
    }
    if (options.keepBaselines) baselines.push(baseline);
    else baseline.dispose();
  }
}

async function buildIndependent(
  options: BuildPopulationOptions,
  plan: PopulationPlan,
  models: Map<string, tf.LayersModel[]>,
): Promise<void> {
  const run = options.fromScratch as PopulationFromScratch;
  const { data, n } = readOnce(run.data);
  // Fails before any training when the gradual schedule does not fit the budget.
  gradualSteps(run, run.epochs * Math.ceil(n / run.batchSize));
  const total = plan.seeds.length * plan.levelPlans.length;
  let completed = 0;
  for (let seedIndex = 0; seedIndex < plan.seeds.length; seedIndex++) {
    const seed = plan.seeds[seedIndex];
    for (const member of seedMembers(plan, seedIndex)) {
      if (member.job.kind !== 'scratch') continue;
      const { level, initSeed } = member.job;
      const { model, loss } = await trainScratchMember(options.createModel, run, data, level, initSeed);
      (models.get(level.key) as tf.LayersModel[]).push(model);
      options.onProgress?.(memberBuilt('train', seed, seedIndex, level, loss, ++completed, total));
    }
  }
}

/** The progress event of one finished member. */
function memberBuilt(
  phase: PopulationProgress['phase'],
  seed: number,
  seedIndex: number,
  plan: LevelPlan,
  loss: number | undefined,
  completed: number,
  total: number,
): PopulationProgress {
  return { phase, seed, seedIndex, level: plan.sparsity, levelKey: plan.key, ...(loss === undefined ? {} : { loss }), completed, total };
}
