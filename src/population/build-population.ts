import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../engine/ensure-backend.js';
import { compressionStats } from '../compress/compression-stats.js';
import type { TrainingData } from '../compress/training-data.js';
import { PieAuditError } from '../errors.js';
import { addQuantizedLevels } from './add-quantized-levels.js';
import { validatePopulationPlan } from './population-plan.js';
import type { PopulationVariant } from './population-design.js';
import { independentSeed, levelPlans, type LevelPlan } from './level-plans.js';
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

function validateOptions(options: BuildPopulationOptions): { levels: number[]; seeds: number[] } {
  const plan = validatePopulationPlan({ seeds: options.seeds, levels: options.levels ?? [0, 0.3, 0.5, 0.7, 0.9, 0.99] }, 'options');
  const levels = [...plan.levels];
  const seeds = [...plan.seeds];
  const regime = options.regime ?? 'fineTune';
  if (regime !== 'fineTune' && regime !== 'fromScratch')
    throw new PieAuditError('INVALID_ARGUMENT', `options.regime must be 'fineTune' or 'fromScratch' (got ${JSON.stringify(regime)})`);
  const run = regime === 'fineTune' ? options.fineTune : options.fromScratch;
  if (!run?.data)
    throw new PieAuditError('INVALID_ARGUMENT', `options.${regime}.data is required for the ${regime} regime (the training examples)`);
  if (regime === 'fineTune' && typeof options.train !== 'function') {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      "options.train is required for the fineTune regime: it trains each seed's baseline before pruning",
    );
  }
  return { levels, seeds };
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
  const { levels, seeds } = validateOptions(options);
  // Models are created here: pick the fastest backend unless the caller already has one.
  await ensureBackend();
  const plans = levelPlans(levels, options.randomControl === true);
  const regime = options.regime ?? 'fineTune';
  const models = new Map<string, tf.LayersModel[]>(plans.map((p) => [p.key, []]));
  const baselines: tf.LayersModel[] = [];
  try {
    if (regime === 'fineTune') await buildPaired(options, plans, seeds, models, baselines);
    else await buildIndependent(options, plans, seeds, models);
  } catch (e) {
    for (const list of models.values()) for (const m of list) m.dispose();
    for (const m of baselines) m.dispose();
    throw e;
  }
  const names = seeds.map((s) => `seed-${s}`);
  const keys = plans.map((p) => p.key);
  const variants: Record<string, PopulationVariant> = Object.create(null);
  for (const p of plans) variants[p.key] = { kind: p.maskSelection, sparsity: p.sparsity };
  const byKey = <T>(f: (p: LevelPlan, i: number) => T): Record<string, T> => Object.fromEntries(plans.map((p, i) => [p.key, f(p, i)]));
  const population: Population = {
    levels: byKey((p) => models.get(p.key) as tf.LayersModel[]),
    sparsityLevels: levels,
    levelKeys: keys,
    variants,
    design:
      regime === 'fineTune'
        ? { kind: 'paired', regime, pairIds: byKey(() => names) }
        : { kind: 'independent', regime, initSeeds: byKey((_, i) => seeds.map((s) => independentSeed(s, i))) },
    seeds,
    modelNames: byKey(() => [...names]),
    measuredSparsity: byKey((p) => (models.get(p.key) as tf.LayersModel[]).map((m) => compressionStats(m).prunableSparsity)),
    ...(options.keepBaselines && regime === 'fineTune' ? { baselines } : {}),
  };
  const quantized = options.quantizedLevels ?? [];
  if (quantized.length === 0) return population;
  try {
    return await addQuantizedLevels(
      population,
      quantized,
      readOnce(((regime === 'fineTune' ? options.fineTune : options.fromScratch) as PruningRun).data).data,
    );
  } catch (e) {
    disposePopulation(population);
    throw e;
  }
}

async function buildPaired(
  options: BuildPopulationOptions,
  plans: LevelPlan[],
  seeds: number[],
  models: Map<string, tf.LayersModel[]>,
  baselines: tf.LayersModel[],
): Promise<void> {
  const fine = options.fineTune as PopulationFineTune;
  const train = options.train as (model: tf.LayersModel, seed: number) => Promise<void>;
  const { data, n } = readOnce(fine.data);
  const totalSteps = fine.epochs * Math.ceil(n / fine.batchSize);
  const total = seeds.length * (1 + plans.length);
  let completed = 0;
  for (let seedIndex = 0; seedIndex < seeds.length; seedIndex++) {
    const seed = seeds[seedIndex];
    const baseline = options.createModel(seed);
    try {
      await train(baseline, seed);
      options.onProgress?.({ phase: 'train', seed, seedIndex, completed: ++completed, total });
      for (let p = 0; p < plans.length; p++) {
        const plan = plans[p];
        const recipe = pairedMemberRecipe(fine, plan.sparsity, seed, totalSteps, plan.maskSelection, independentSeed(seed, p));
        const { model, loss } = await trainPrunedMember(baseline, data, recipe);
        (models.get(plan.key) as tf.LayersModel[]).push(model);
        options.onProgress?.(memberBuilt('fineTune', seed, seedIndex, plan, loss, ++completed, total));
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
  plans: LevelPlan[],
  seeds: number[],
  models: Map<string, tf.LayersModel[]>,
): Promise<void> {
  const run = options.fromScratch as PopulationFromScratch;
  const { data, n } = readOnce(run.data);
  // Fails before any training when the gradual schedule does not fit the budget.
  gradualSteps(run, run.epochs * Math.ceil(n / run.batchSize));
  const total = seeds.length * plans.length;
  let completed = 0;
  for (let seedIndex = 0; seedIndex < seeds.length; seedIndex++) {
    const seed = seeds[seedIndex];
    for (let p = 0; p < plans.length; p++) {
      const plan = plans[p];
      const { model, loss } = await trainScratchMember(options.createModel, run, data, plan, independentSeed(seed, p));
      (models.get(plan.key) as tf.LayersModel[]).push(model);
      options.onProgress?.(memberBuilt('train', seed, seedIndex, plan, loss, ++completed, total));
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
