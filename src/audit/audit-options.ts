import type { BackendRequest } from '../engine/backend.js';
import type { ImageSource } from '../data/image-test-set.js';
import type { Preprocess } from '../data/preprocess.js';
import type { InputBatches } from '../evaluate/input-batches.js';
import type { EvaluationRuntime, ModelSource } from '../evaluate/types.js';
import type { GatesConfig } from '../schema/index.js';
import type { AuditCorrection } from '../schema/index.js';
import type { ModalTieBreak, NoiseFloorDesignOption } from '../schema/vocabulary.js';

/** A group attribute value per test example: CelebA's -1/1, 0/1, booleans or strings; `null` = unknown. */
export type AttributeValues = ArrayLike<number | string | boolean | null>;

/**
 * A population member: any {@link ModelSource} (tfjs model, path, function, precomputed predictions or
 * probabilities), optionally wrapped with an id and known compression facts.
 */
export type PopulationMember =
  | ModelSource
  | {
      model: ModelSource;
      /** Shown in the report (default: the source's name or `'<level>#<index>'`). */
      id?: string;
      /** Fraction of zero weights, when known (measured from tfjs models otherwise). */
      sparsity?: number;
      /** Gzipped weight size in bytes, when known. */
      gzippedBytes?: number;
      /** Bytes the weights take in a quantized level's stored format, when known (see `populationMembers`). */
      storedWeightBytes?: number;
      /** Stored size of the model in bytes (its files on disk), when known: measured from model files otherwise. */
      storedBytes?: number;
      /**
       * Milliseconds per example at batch 1 and at the audit's batch size, for members given as predictions (models
       * that run here are timed instead); the level shows the mean over its members that give it.
       */
      latencyMs?: { batch1: number; batch?: number };
    };

/** The data every model is audited on. */
export interface AuditTestSet {
  /** Row-major flattened inputs; not needed when every member is given as predictions. */
  inputs?: Float32Array;
  /**
   * Inputs read batch by batch instead of `inputs`, so that memory does not grow with the test set:
   * e.g. `npyBatches('x_test.npy', { divisor: 255 })`.
   */
  batches?: InputBatches;
  /**
   * An image test set read from disk batch by batch, instead of `inputs`: a class-folder tree (`'val'` or
   * `{ folder }`), a CSV list (`{ list, root?, pathColumn?, labelColumn? }`) or a CelebA download
   * (`{ celeba, split?, labelsFromAttribute, attributeNames? }`). Labels, class names and attributes come from it
   * unless given. Needs `preprocess`.
   */
  images?: ImageSource;
  /** How images become model inputs: `'torchvision'`, `'keras-inception'`, `'keras-mobilenet'` or the explicit form. */
  preprocess?: Preprocess;
  /** Shape of one input, e.g. `[28, 28, 1]`. */
  inputShape?: readonly number[];
  /** Number of examples; inferred from labels, inputs or predictions when omitted. */
  n?: number;
  /** True class per example. Without labels only PIEs are computed (no accuracy, class tests or FPR/FNR). */
  labels?: ArrayLike<number>;
  /** Group attributes per example, e.g. `{ Blond_Hair: [...], Male: [...] }`. */
  attributes?: Record<string, AttributeValues>;
}

/** Progress of an audit: evaluation batches first, then one event per analysed level. */
export type AuditProgress =
  | { phase: 'evaluate'; model: number; models: number; batch: number; batches: number; examplesDone: number }
  | { phase: 'analyse'; level: string; index: number; levels: number };

/** Options of {@link auditCompression}. */
export interface AuditOptions {
  /**
   * Models per level: `{ 0: baselines, 0.9: pruned }` or named variants `{ fp32: [...], int8: [...] }`.
   * A `Map` keeps any key order; with an object, keys follow JavaScript's property order.
   */
  population: Record<string, readonly PopulationMember[]> | Map<string | number, readonly PopulationMember[]>;
  testSet: AuditTestSet;
  /** Display names of the classes (default `'0'`, `'1'`, ...). */
  classNames?: readonly string[];
  /** Baseline level key (default `0` when present, else the first level). */
  baseline?: string | number;
  /** Significance level of the per-class tests (default 0.05). */
  alpha?: number;
  /**
   * Multiple-comparison correction over classes (default `'holm'`; `'none'` is the paper's choice, and the report
   * then shows the family size and the expected number of false positives at alpha, with a warning).
   */
  correction?: AuditCorrection;
  /** Correction over every value of every attribute in the over-indexing tests (default `'bh'`). */
  attributeCorrection?: AuditCorrection;
  /**
   * Also test intersections of attribute values (e.g. `Male=-1 & Young=1`) for over-indexing among PIEs:
   * `true` for pairs with at least 30 examples, or `{ maxOrder: 2 | 3, minSupport }`. The correction
   * (`attributeCorrection`) runs over the whole family of tested intersections. Off by default.
   */
  intersections?: boolean | AuditIntersectionOptions;
  /** Tie rule of the modal label (default `'max'`, as the authors' code). */
  tieBreak?: ModalTieBreak;
  /** Positive class for subgroup FPR/FNR (default 1 for two-class tasks; required otherwise to get them). */
  positiveClass?: number;
  /** Release gates evaluated on the report. */
  gates?: GatesConfig;
  /** TensorFlow.js backend for models that run (default `'auto'`). */
  backend?: BackendRequest;
  /** Runtime for tfjs models (default `'auto'`: ONNX when possible). */
  runtime?: EvaluationRuntime;
  /** On-disk prediction cache. */
  cache?: { dir: string } | false;
  /** Examples per forward pass (default 1024). */
  batchSize?: number;
  onProgress?: (event: AuditProgress) => void;
  /** Seed for picking exemplars (default 0). */
  seed?: number;
  /** PIE exemplars listed per level (default 16). */
  maxExemplars?: number;
  /** Whether to attach PNG thumbnails to exemplars of image inputs (default true). */
  thumbnails?: boolean;
  /** Percentile bootstrap intervals over test examples beside every estimate (see docs/methodology.md). */
  bootstrap?: AuditBootstrapOptions;
  /** The seed-noise floor of every level's PIE count (a permutation test). */
  noiseFloor?: AuditNoiseFloorOptions;
  /**
   * Keep every model's class probabilities for top-5 accuracy and [H20]'s taxicab distances (default false).
   * Each model's rows are folded into its level's mean probability vector and its top-5 hits as it is evaluated, so
   * memory holds levels x examples x classes float64 (plus one model's rows), whatever the model count; every member
   * must give scores (a model, a probabilities file, or `{ probabilities, nClasses }`).
   */
  probabilities?: boolean;
  /**
   * Time one model of each level at batch 1 and at `batchSize` (one warm-up call, then `repeats` timed calls each,
   * the median reported): default on, with 5 repeats and at most 10 seconds in all; `false` turns it off.
   */
  latency?: boolean | AuditLatencyOptions;
}

/** The `latency` option of {@link AuditOptions}. */
export interface AuditLatencyOptions {
  /** Timed calls per batch size after the warm-up (default 5). */
  repeats?: number;
  /** Most seconds spent timing, all levels together (default 10); levels left when it is spent say so. */
  maxSeconds?: number;
}

/** The `bootstrap` option of {@link AuditOptions}. */
export interface AuditBootstrapOptions {
  /** Resamples of the test examples (default 1000); 0 turns intervals off (`ci: null`). */
  resamples?: number;
  /** Coverage of each interval (default 0.95). */
  confidence?: number;
  /** Seed of the resampling (default: the audit's `seed`). */
  seed?: number;
}

/** The `noiseFloor` option of {@link AuditOptions}. */
export interface AuditNoiseFloorOptions {
  /** `'auto'` (default): paired when every compressed level holds exactly the baseline's member ids, else independent. */
  design?: NoiseFloorDesignOption;
  /** Enumerate every split when the design has at most this many (default 20,000). */
  maxExactSplits?: number;
  /** Seeded random splits otherwise (default 1,999). */
  draws?: number;
  /** Seed of the random splits (default: the audit's `seed`). */
  seed?: number;
}

/** Which intersections of attribute values an audit tests (audit option `intersections`). */
export interface AuditIntersectionOptions {
  /** Largest number of attributes joined: 2 (pairs, the default) or 3. */
  maxOrder?: number;
  /** Fewest examples an intersection needs to be tested (default 30). */
  minSupport?: number;
}
