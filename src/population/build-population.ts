import * as tf from '@tensorflow/tfjs';
import type { FineTuneOptions } from '../compress/fine-tune-pruned.js';
import type { PruningSchedule } from '../compress/pruning-schedule.js';
import { validateSparsity } from '../compress/pruning-schedule.js';
import type { TrainingData } from '../compress/training-data.js';
import type { BlockPooling } from '../compress/magnitude-mask.js';
import { PieAuditError } from '../errors.js';
import { fineTuneLevel, fineTuneSteps } from './population-jobs.js';
import { levelKey, type Population } from './population.js';

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
  const totalSteps = fineTuneSteps(data, fine);

  const result: Record<string, tf.LayersModel[]> = Object.fromEntries(levels.map((l) => [levelKey(l), []]));
  const measured: Record<string, number[]> = Object.fromEntries(levels.map((l) => [levelKey(l), []]));
  const names: Record<string, string[]> = Object.fromEntries(levels.map((l) => [levelKey(l), seeds.map((s) => `seed-${s}`)]));
  const baselines: tf.LayersModel[] = [];
  const total = seeds.length * (1 + levels.length);
  let completed = 0;
  let baseline: tf.LayersModel | undefined;
  try {
    for (let seedIndex = 0; seedIndex < seeds.length; seedIndex++) {
      const seed = seeds[seedIndex];
      baseline = options.createModel(seed);
      await options.train(baseline, seed);
      options.onProgress?.({ phase: 'train', seed, seedIndex, completed: ++completed, total });
      for (const level of levels) {
        const tuned = await fineTuneLevel(baseline, fine, data, level, seed, totalSteps);
        result[levelKey(level)].push(tuned.model);
        measured[levelKey(level)].push(tuned.sparsity);
        const loss = tuned.loss;
        options.onProgress?.({ phase: 'fineTune', seed, seedIndex, level, ...(loss === undefined ? {} : { loss }), completed: ++completed, total });
      }
      if (options.keepBaselines) baselines.push(baseline);
      else baseline.dispose();
      baseline = undefined;
    }
  } catch (e) {
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
