import type { EvaluationRuntime } from '../schema/vocabulary.js';
import type * as tf from '@tensorflow/tfjs';
import type { InputBatches } from './input-batches.js';

/**
 * A user-supplied scoring function: maps `batchSize` row-major flattened examples to
 * row-major class scores (`batchSize * nClasses` values).
 */
export interface PredictFunctionSource {
  predict(inputs: Float32Array, batchSize: number): Promise<Float32Array>;
  /** Number of classes the function scores; inferred from the first batch when omitted. */
  nClasses?: number;
  /**
   * A stable identifier of the function's model (e.g. a checkpoint hash). Required for the on-disk
   * cache to hold this source's predictions: a function has no bytes pie-audit could hash.
   */
  cacheKey?: string;
  /** Name shown in progress, errors and `perModel[].source`. */
  name?: string;
}

/** Top-1 labels computed elsewhere, one per test example. */
export interface PrecomputedPredictionsSource {
  predictions: ArrayLike<number>;
  name?: string;
  /** Member id in a population (pairs it across levels, as `{ model, id }` does). */
  id?: string;
}

/** Class scores computed elsewhere: row-major, `n * nClasses` values. */
export interface PrecomputedProbabilitiesSource {
  probabilities: Float32Array;
  nClasses: number;
  name?: string;
  /** Member id in a population (pairs it across levels, as `{ model, id }` does). */
  id?: string;
}

/**
 * Class scores read when the evaluator reaches this member, one member at a time: for populations whose scores do
 * not all fit in memory at once (the distributed merge reads each job's file this way). The rows are used as
 * `{ probabilities, nClasses }` would be, then dropped; nothing keeps them past the member.
 *
 * @example
 * const member = { loadProbabilities: async () => ({ probabilities: readRows('m7.npy'), nClasses: 1000 }), name: 'm7' };
 */
export interface DeferredProbabilitiesSource {
  loadProbabilities(): Promise<{ probabilities: Float32Array; nClasses: number }>;
  name?: string;
  /** Member id in a population (pairs it across levels, as `{ model, id }` does). */
  id?: string;
}

/** File formats {@link loadPredictions} reads. */
export type PredictionsFileFormat = 'json' | 'csv' | 'npy' | 'arrow';

/** A file of predictions (labels or probability rows) written by another framework. */
export interface PredictionsFileSource {
  predictionsFile: string;
  /** Inferred from the extension when omitted (.json, .csv, .npy, .arrow/.feather/.ipc). */
  format?: PredictionsFileFormat;
  /** Member id in a population; without it the file name pairs it, as for a path string. */
  id?: string;
}

/**
 * Anything {@link evaluatePopulation} can turn into top-1 predictions:
 * - a tfjs `LayersModel` or `GraphModel`;
 * - a path string: a tfjs `model.json` (or the folder holding it), an `.onnx` file, or a predictions
 *   file ending in `.npy`, `.csv`, `.arrow`, `.feather` or `.ipc`;
 * - a {@link PredictFunctionSource};
 * - precomputed labels, precomputed probabilities (in memory, or read when reached), or a predictions file.
 */
export type ModelSource =
  | tf.LayersModel
  | tf.GraphModel
  | string
  | PredictFunctionSource
  | PrecomputedPredictionsSource
  | PrecomputedProbabilitiesSource
  | DeferredProbabilitiesSource
  | PredictionsFileSource;

/**
 * The examples every model is evaluated on.
 *
 * `inputs` holds `n` examples row-major (example after example, each flattened in C order); each
 * example has `inputShape` (without the batch dimension, e.g. `[28, 28, 1]` for tfjs NHWC images).
 * `inputs` may be omitted when every source is precomputed. `inputShape` may be omitted: each model
 * then reads `inputs.length / n` features in its own declared shape.
 */
export interface TestSet {
  inputs?: Float32Array;
  /** Inputs read batch by batch instead of `inputs` (an image folder, a large `.npy`): see {@link InputBatches}. */
  batches?: InputBatches;
  inputShape?: readonly number[];
  n: number;
  /** True labels; not used to compute predictions, only bounded-checked and used for `nClasses`. */
  labels?: ArrayLike<number>;
}

/** Which engine runs tfjs models: ONNX when possible (`auto`), always tfjs, or ONNX or an error. */
export type { EvaluationRuntime } from '../schema/vocabulary.js';

/** One progress event, sent after every batch of every evaluated model. */
export interface EvaluationProgress {
  /** Index of the model in the `models` array. */
  model: number;
  models: number;
  /** 1-based index of the batch just finished. */
  batch: number;
  batches: number;
  /** Examples of this model done so far. */
  examplesDone: number;
}

/** Options of {@link evaluatePopulation}. */
export interface EvaluatePopulationOptions {
  /** Examples per forward pass; bounds memory. Default 1024. */
  batchSize?: number;
  /** Also return each model's output rows (`models * n * nClasses` floats). Default false. */
  returnProbabilities?: boolean;
  /**
   * The classes precomputed predictions (labels, score rows, predictions files) may name: a label of
   * `maxClasses` or more is a `LABEL_OUT_OF_RANGE` error naming the source and the value as soon as that
   * source is read, before any per-class work is sized by it. Default: any label up to 65535.
   */
  maxClasses?: number;
  /**
   * Receives each model's output rows (`n * nClasses`, row-major) once the model is done, instead of keeping every
   * model's rows: memory holds one model's rows (per model running at once), whatever the model count. The array is
   * reused for later models, so read or copy what you need before returning. Models arrive in order, except that
   * with `concurrency` > 1 side-by-side models arrive as they finish. Every model must give scores, as with
   * `returnProbabilities`.
   */
  onScores?: (model: number, scores: Float32Array, nClasses: number) => void;
  /** Default `'auto'`. */
  runtime?: EvaluationRuntime;
  /** Threads for onnxruntime sessions (default: all cores). */
  threads?: number;
  /** On-disk prediction cache; off when omitted or `false`. */
  cache?: { dir: string } | false;
  onProgress?: (event: EvaluationProgress) => void;
  /**
   * Worker threads for LayersModels that run on tfjs (runtime 'tfjs', or 'auto' when ONNX is not
   * possible): each thread has its own single-threaded wasm backend and evaluates whole models side by
   * side. `'auto'` = one per core. Default 1 (everything in the calling thread).
   */
  concurrency?: 'auto' | number;
  /** Aborts between batches; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** How one model of the population was evaluated. */
export interface PerModelEvaluation {
  /** The runtime that computed the predictions (for cached entries: the one that computed them then). */
  runtime: 'tfjs' | 'onnx' | 'tflite' | 'function' | 'precomputed';
  /** Why ONNX was not used for a tfjs model under `runtime: 'auto'`. */
  fallbackReason?: string;
  /** Wall seconds spent on this model (loading, evaluating, caching). */
  seconds: number;
  /** True when the predictions came from the on-disk cache. */
  cached: boolean;
  /** A short description of the source (path, model name, or kind). */
  source: string;
  /** The tfjs backend that ran the model (`'wasm'`, `'tensorflow'`, `'cpu'`), for runtime 'tfjs' when computed in this run. */
  backend?: string;
  /** True when the model ran in a worker thread (`concurrency` > 1); `seconds` then overlap between models. */
  worker?: boolean;
}

/** Result of {@link evaluatePopulation}. */
export interface PopulationPredictions {
  /** Top-1 label of every model on every example, model-major: `predictions[m * n + i]`. */
  predictions: Uint16Array;
  /** Output rows, model-major then example then class: `[(m * n + i) * nClasses + c]`. Only when requested. */
  probabilities?: Float32Array;
  nClasses: number;
  n: number;
  perModel: PerModelEvaluation[];
}
