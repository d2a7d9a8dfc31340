import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../engine/ensure-backend.js';
import { compressionStats } from '../compress/compression-stats.js';
import { constantSparsity } from '../compress/constant-sparsity.js';
import { fineTunePruned, type FineTuneOptions } from '../compress/fine-tune-pruned.js';
import { polynomialDecay } from '../compress/polynomial-decay.js';
import { pruneLowMagnitude } from '../compress/prune-low-magnitude.js';
import type { PrunedModel } from '../compress/pruned-model.js';
import type { PruningSchedule } from '../compress/pruning-schedule.js';
import { validateSparsity } from '../compress/pruning-schedule.js';
import { stripPruning } from '../compress/strip-pruning.js';
import type { TrainingData } from '../compress/training-data.js';
import type { BlockPooling } from '../compress/magnitude-mask.js';
import { PieAuditError } from '../errors.js';
import { levelKey } from '../schema/level-key.js';
import type { Population } from './population.js';

/** How sparsity is reached during fine-tuning. */
export type PopulationScheduleKind = 'oneShot' | 'polynomial';

/** Fine-tuning budget, identical for every level (level 0 included). */
export interface PopulationFineTune extends Omit<FineTuneOptions, 'seed' | 'schedule' | 'onBatchEnd'> {
  readonly data: TrainingData;
  /**
   * 'oneShot' (default): prune to the level before fine-tuning and hold it (tfmot `ConstantSparsity`,
   * masks recomputed every `frequency` steps). 'polynomial': rise from 0 to the level over the
   * fine-tuning steps (tfmot `PolynomialDecay`, Zhu & Gupta), reaching it at the last mask update.
   * Or a function returning a schedule for a level, given the number of fine-tuning steps.
   */
  readonly schedule?: PopulationScheduleKind | ((level: number, totalSteps: number) => PruningSchedule);
  /** Mask update frequency in steps (default 100, tfmot's default). */
  readonly frequency?: number;
  readonly blockSize?: readonly [number, number];
  readonly blockPooling?: BlockPooling;
  /** Which layers to prune (default all prunable ones), as `pruneLowMagnitude`'s `pruneLayer`. */
  readonly pruneLayer?: (layer: { name: string; className: string }) => boolean;
}

/** Progress of {@link buildPopulation}: one event per finished task. */
export interface PopulationProgress {
  readonly phase: 'train' | 'fineTune';
  readonly seed: number;
  readonly seedIndex: number;
  /** The level just fine-tuned (phase 'fineTune'). */
  readonly level?: number;
  /** Final-epoch training loss of the fine-tuning run (phase 'fineTune'). */
  readonly loss?: number;
  readonly completed: number;
  readonly total: number;
}

/** Options for {@link buildPopulation}. */
export interface BuildPopulationOptions {
  /** Builds an untrained model; take the seed for every initializer so runs repeat. */
  readonly createModel: (seed: number) => tf.LayersModel;
  /** Trains a baseline in place (e.g. `model.compile(...)` then your own batches or `fit`). */
  readonly train: (model: tf.LayersModel, seed: number) => Promise<void>;
  /** Sparsity levels (default [0, 0.3, 0.5, 0.7, 0.9, 0.99]); 0 is the fine-tuned, unpruned reference. */
  readonly levels?: readonly number[];
  /** One independently trained baseline per seed. */
  readonly seeds: readonly number[];
  readonly fineTune: PopulationFineTune;
  /** Keep the trained baselines in the result (default false: they are disposed). */
  readonly keepBaselines?: boolean;
  readonly onProgress?: (progress: PopulationProgress) => void;
}

function scheduleFor(fine: PopulationFineTune, level: number, totalSteps: number): PruningSchedule {
  const frequency = fine.frequency ?? 100;
  const kind = fine.schedule ?? 'oneShot';
  if (typeof kind === 'function') return kind(level, totalSteps);
  if (kind === 'oneShot') return constantSparsity(level, { beginStep: 0, frequency });
  if (kind === 'polynomial') {
    // the last step at which masks are recomputed, so the final level is reached within the budget
    const endStep = Math.max(0, Math.floor(Math.max(0, totalSteps - 1) / frequency) * frequency);
    return polynomialDecay(0, level, { beginStep: 0, endStep, frequency });
  }
  throw new PieAuditError('INVALID_ARGUMENT', `fineTune.schedule must be 'oneShot', 'polynomial' or a function (got ${JSON.stringify(kind)})`);
}

/**
 * Builds the model populations the PIE analysis compares (Hooker et al.): for each seed, a baseline
 * is created and trained; then, from that same baseline, one copy per sparsity level is pruned by
 * magnitude and fine-tuned with the same budget (level 0 too, so the unpruned reference gets the same
 * extra training). All levels of one baseline see the same batch order (the baseline's seed), so
 * what differs between them is the pruning alone. Deterministic for the seeds; models not returned
 * are disposed, and everything is disposed if a step throws.
 *
 * @example
 * const pop = await buildPopulation({
 *   createModel: (seed) => makeMlp(seed),
 *   train: (model, seed) => trainBaseline(model, seed),
 *   seeds: [1, 2, 3, 4, 5],
 *   fineTune: { data: { x, shape: [n, 784], y }, epochs: 1, batchSize: 128 },
 * });
 * pop.levels['0.9'].length; // 5
 */
export async function buildPopulation(options: BuildPopulationOptions): Promise<Population> {
  const levels = [...(options.levels ?? [0, 0.3, 0.5, 0.7, 0.9, 0.99])];
  if (levels.length === 0) throw new PieAuditError('EMPTY_POPULATION', 'options.levels is empty; pass at least one sparsity level, e.g. [0, 0.9]');
  levels.forEach((l, i) => validateSparsity(l, `options.levels[${i}]`));
  if (new Set(levels.map(levelKey)).size !== levels.length) throw new PieAuditError('INVALID_ARGUMENT', `options.levels has duplicates: ${levels.join(', ')}`);
  levels.sort((a, b) => a - b);
  // Models are created here: pick the fastest backend unless the caller already has one.
  await ensureBackend();
  const seeds = [...options.seeds];
  if (seeds.length === 0) throw new PieAuditError('EMPTY_POPULATION', 'options.seeds is empty; pass one seed per baseline model, e.g. [1, 2, 3, 4, 5]');
  if (seeds.some((s) => !Number.isSafeInteger(s))) throw new PieAuditError('INVALID_ARGUMENT', `options.seeds must be integers (got ${seeds.join(', ')})`);
  if (new Set(seeds).size !== seeds.length) throw new PieAuditError('INVALID_ARGUMENT', `options.seeds has duplicates (${seeds.join(', ')}): each baseline needs its own seed`);
  const fine = options.fineTune;
  if (!fine || !fine.data) throw new PieAuditError('INVALID_ARGUMENT', 'options.fineTune.data is required (the fine-tuning examples)');

  // Read a tensor once, so every fine-tuning run batches from the same Float32Array.
  const data: TrainingData =
    fine.data.x instanceof tf.Tensor
      ? { x: Float32Array.from(fine.data.x.dataSync()), shape: fine.data.x.shape, y: fine.data.y instanceof tf.Tensor && fine.data.y.rank === 1 ? Int32Array.from(fine.data.y.dataSync()) : fine.data.y }
      : fine.data;
  const n = data.x instanceof Float32Array ? (data.shape?.[0] ?? 0) : 0;
  const totalSteps = fine.epochs * Math.ceil(n / fine.batchSize);

  const result: Record<string, tf.LayersModel[]> = Object.fromEntries(levels.map((l) => [levelKey(l), []]));
  const measured: Record<string, number[]> = Object.fromEntries(levels.map((l) => [levelKey(l), []]));
  const names: Record<string, string[]> = Object.fromEntries(levels.map((l) => [levelKey(l), seeds.map((s) => `seed-${s}`)]));
  const baselines: tf.LayersModel[] = [];
  const total = seeds.length * (1 + levels.length);
  let completed = 0;
  let live: PrunedModel | undefined;
  let baseline: tf.LayersModel | undefined;
  try {
    for (let seedIndex = 0; seedIndex < seeds.length; seedIndex++) {
      const seed = seeds[seedIndex];
      baseline = options.createModel(seed);
      await options.train(baseline, seed);
      options.onProgress?.({ phase: 'train', seed, seedIndex, completed: ++completed, total });
      for (const level of levels) {
        live = await pruneLowMagnitude(baseline, {
          schedule: scheduleFor(fine, level, totalSteps),
          ...(fine.blockSize ? { blockSize: fine.blockSize } : {}),
          ...(fine.blockPooling ? { blockPooling: fine.blockPooling } : {}),
          ...(fine.pruneLayer ? { pruneLayer: fine.pruneLayer } : {}),
        });
        const { data: _data, schedule: _schedule, frequency: _frequency, blockSize: _blockSize, blockPooling: _blockPooling, pruneLayer: _pruneLayer, ...trainOptions } = fine;
        const run = await fineTunePruned(live, data, { ...trainOptions, seed });
        const model = stripPruning(live);
        live = undefined;
        result[levelKey(level)].push(model);
        measured[levelKey(level)].push(compressionStats(model).prunableSparsity);
        const loss = run.epochLoss[run.epochLoss.length - 1];
        options.onProgress?.({ phase: 'fineTune', seed, seedIndex, level, ...(loss === undefined ? {} : { loss }), completed: ++completed, total });
      }
      if (options.keepBaselines) baselines.push(baseline);
      else baseline.dispose();
      baseline = undefined;
    }
  } catch (e) {
    live?.dispose(true);
    baseline?.dispose();
    for (const models of Object.values(result)) for (const m of models) m.dispose();
    for (const m of baselines) m.dispose();
    throw e;
  }
  return {
    levels: result,
    sparsityLevels: levels,
    seeds,
    modelNames: names,
    measuredSparsity: measured,
    ...(options.keepBaselines ? { baselines } : {}),
  };
}
