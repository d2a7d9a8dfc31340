import type * as tf from '@tensorflow/tfjs';
import type { FineTuneOptions } from '../compress/fine-tune-pruned.js';
import type { BlockPooling } from '../compress/magnitude-mask.js';
import type { PruningSchedule } from '../compress/pruning-schedule.js';
import type { TrainingData } from '../compress/training-data.js';
import type { QuantizedLevelName } from './population-design.js';
import type { GradualSteps, PopulationScheduleKind } from './population-schedules.js';

/** What every pruning run shares: the examples, the optimizer budget, and which weights are pruned. */
export interface PruningRun extends Omit<FineTuneOptions, 'seed' | 'schedule' | 'onBatchEnd'> {
  readonly data: TrainingData;
  readonly blockSize?: readonly [number, number];
  readonly blockPooling?: BlockPooling;
  /** Which layers to prune (default all prunable ones), as `pruneLowMagnitude`'s `pruneLayer`. */
  readonly pruneLayer?: (layer: { name: string; className: string }) => boolean;
}

/** Fine-tuning budget of the `fineTune` regime, identical for every level (level 0 included). */
export interface PopulationFineTune extends PruningRun {
  /**
   * 'oneShot' (default): prune to the level at the first fine-tuning step and hold it (tfmot
   * `ConstantSparsity` from step 1, masks recomputed every `frequency` steps). 'polynomial': rise from 0
   * to the level over the fine-tuning steps (tfmot `PolynomialDecay`, Zhu & Gupta), reaching it at the
   * last mask update. Or a function returning a schedule for a level, given the number of steps.
   */
  readonly schedule?: PopulationScheduleKind | ((level: number, totalSteps: number) => PruningSchedule);
  /** Mask update frequency in steps (default 100, tfmot's default). */
  readonly frequency?: number;
}

/**
 * Training of the `fromScratch` regime: each model trains from its own initialisation while pruned
 * gradually (tfmot `PolynomialDecay` from 0 to the level between `beginStep` and `endStep`, every
 * `frequency` steps). Unset steps take the proportions of Hooker et al.'s runs (5,000 to 8,000 every 500
 * of 32,000 steps) scaled to the budget.
 */
export interface PopulationFromScratch extends PruningRun, Partial<GradualSteps> {
  /** Exponent of the polynomial decay (default 3). */
  readonly power?: number;
}

/** Progress of {@link buildPopulation}: one event per finished task. */
export interface PopulationProgress {
  /** 'train': a baseline (fineTune regime) or a whole from-scratch model; 'fineTune': a pruned copy fine-tuned. */
  readonly phase: 'train' | 'fineTune';
  readonly seed: number;
  readonly seedIndex: number;
  /** The level just built (phase 'fineTune', and 'train' in the fromScratch regime). */
  readonly level?: number;
  /** The level's key ('0.9', 'random@0.9'). */
  readonly levelKey?: string;
  /** Final-epoch training loss of the pruning run. */
  readonly loss?: number;
  readonly completed: number;
  readonly total: number;
}

/** Options for {@link buildPopulation}. */
export interface BuildPopulationOptions {
  /** Builds an untrained model; take the seed for every initializer so runs repeat. */
  readonly createModel: (seed: number) => tf.LayersModel;
  /** Trains a baseline in place (fineTune regime; required there). */
  readonly train?: (model: tf.LayersModel, seed: number) => Promise<void>;
  /**
   * 'fineTune' (default): every level pruned from the same seed's trained baseline and fine-tuned with
   * the same batch order (paired levels). 'fromScratch': every (seed, level) model trained from its own
   * initialisation with gradual pruning (independent levels, as Hooker et al.).
   */
  readonly regime?: 'fineTune' | 'fromScratch';
  /** Sparsity levels (default [0, 0.3, 0.5, 0.7, 0.9, 0.99]); 0 is the unpruned reference, trained alike. */
  readonly levels?: readonly number[];
  /** One seed per replicate: a baseline per seed (fineTune), or the seed each level's initialisation derives from. */
  readonly seeds: readonly number[];
  /** Required for the fineTune regime. */
  readonly fineTune?: PopulationFineTune;
  /** Required for the fromScratch regime. */
  readonly fromScratch?: PopulationFromScratch;
  /** Add, for each level above 0, models pruned with seeded random masks at the same per-tensor sparsity (`random@0.9`). */
  readonly randomControl?: boolean;
  /**
   * Add quantized copies of level 0 as named levels (`'float16'`, `'int8-dynamic'`, `'int8-full'`), paired
   * with the models they copy; int8-full calibrates on the first 200 training examples.
   */
  readonly quantizedLevels?: readonly QuantizedLevelName[];
  /** Keep the trained baselines in the result (fineTune regime; default false: they are disposed). */
  readonly keepBaselines?: boolean;
  readonly onProgress?: (progress: PopulationProgress) => void;
}
