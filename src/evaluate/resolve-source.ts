import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { predictionsFormatOf } from './predictions/load-predictions.js';
import type {
  DeferredProbabilitiesSource,
  ModelSource,
  PrecomputedPredictionsSource,
  PrecomputedProbabilitiesSource,
  PredictFunctionSource,
  PredictionsFileFormat,
} from './types.js';

/** A {@link ModelSource} classified by what it is. @internal */
export type ResolvedSource =
  | { kind: 'layers'; model: tf.LayersModel; label: string }
  | { kind: 'graph'; model: tf.GraphModel; label: string }
  | { kind: 'tfjs-file'; path: string; label: string }
  | { kind: 'onnx-file'; path: string; label: string }
  | { kind: 'tflite-file'; path: string; label: string }
  | { kind: 'keras-file'; path: string; label: string }
  | { kind: 'function'; fn: PredictFunctionSource; label: string }
  | { kind: 'labels'; source: PrecomputedPredictionsSource; label: string }
  | { kind: 'probabilities'; source: PrecomputedProbabilitiesSource; label: string }
  | { kind: 'deferred-probabilities'; source: DeferredProbabilitiesSource; label: string }
  | { kind: 'predictions-file'; path: string; format?: PredictionsFileFormat; label: string };

/** A source whose predictions are given (labels, score rows in memory or read when reached, a file), not computed. @internal */
export type PrecomputedSource = Extract<
  ResolvedSource,
  { kind: 'labels' | 'probabilities' | 'deferred-probabilities' | 'predictions-file' }
>;

/**
 * Whether a classified source is precomputed (its predictions are read, no model runs).
 * @internal
 * @example
 * isPrecomputedSource(resolveSource({ predictions: [0, 1] }, 'models[0]')); // true
 */
export function isPrecomputedSource(source: ResolvedSource): source is PrecomputedSource {
  return (
    source.kind === 'labels' ||
    source.kind === 'probabilities' ||
    source.kind === 'deferred-probabilities' ||
    source.kind === 'predictions-file'
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Classifies a model source, throwing `INVALID_ARGUMENT` (naming `what`) for anything else.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * resolveSource('runs/7/model.onnx', 'models[7]').kind; // 'onnx-file'
 */
export function resolveSource(source: ModelSource, what: string): ResolvedSource {
  if (typeof source === 'string') {
    const lower = source.toLowerCase();
    if (lower.endsWith('.onnx')) return { kind: 'onnx-file', path: source, label: source };
    if (lower.endsWith('.tflite')) return { kind: 'tflite-file', path: source, label: source };
    if (lower.endsWith('.h5') || lower.endsWith('.keras')) return { kind: 'keras-file', path: source, label: source };
    const format = lower.endsWith('.json') ? undefined : predictionsFormatOf(source);
    if (format) return { kind: 'predictions-file', path: source, format, label: source };
    return { kind: 'tfjs-file', path: source, label: source };
  }
  if (source instanceof tf.LayersModel) return { kind: 'layers', model: source, label: `LayersModel "${source.name}"` };
  if (source instanceof tf.GraphModel) return { kind: 'graph', model: source, label: 'GraphModel' };
  if (isObject(source)) {
    const name = typeof source.name === 'string' ? source.name : undefined;
    if (typeof source.execute === 'function' && typeof source.executeAsync === 'function') {
      // A GraphModel from another copy of tfjs fails instanceof.
      return { kind: 'graph', model: source as unknown as tf.GraphModel, label: 'GraphModel' };
    }
    if (typeof source.predict === 'function') {
      // A LayersModel from another copy of tfjs fails instanceof but still has predictOnBatch.
      if (typeof source.predictOnBatch === 'function' && typeof source.toJSON === 'function') {
        return { kind: 'layers', model: source as unknown as tf.LayersModel, label: `LayersModel "${String(source.name)}"` };
      }
      return { kind: 'function', fn: source as unknown as PredictFunctionSource, label: name ?? 'predict function' };
    }
    if (typeof source.loadProbabilities === 'function') {
      return {
        kind: 'deferred-probabilities',
        source: source as unknown as DeferredProbabilitiesSource,
        label: name ?? 'deferred probabilities',
      };
    }
    if ('predictions' in source && source.predictions !== undefined) {
      const list = source.predictions as { length?: unknown } | null;
      if (list === null || typeof list !== 'object' || typeof list.length !== 'number') {
        throw new PieAuditError(
          'INVALID_ARGUMENT',
          `${what}.predictions must be an array of labels; got ${list === null ? 'null' : typeof list}.`,
          { argument: what },
        );
      }
      return { kind: 'labels', source: source as unknown as PrecomputedPredictionsSource, label: name ?? 'precomputed predictions' };
    }
    if (source.probabilities instanceof Float32Array) {
      return {
        kind: 'probabilities',
        source: source as unknown as PrecomputedProbabilitiesSource,
        label: name ?? 'precomputed probabilities',
      };
    }
    if (typeof source.predictionsFile === 'string') {
      const format = source.format as PredictionsFileFormat | undefined;
      return { kind: 'predictions-file', path: source.predictionsFile, ...(format ? { format } : {}), label: source.predictionsFile };
    }
  }
  throw new PieAuditError(
    'INVALID_ARGUMENT',
    `${what} is not a model source: pass a tfjs LayersModel/GraphModel, a path to model.json, .onnx, .tflite, .h5 or .keras, { predict(inputs, batchSize) }, { predictions }, { probabilities, nClasses }, { loadProbabilities } or { predictionsFile }.`,
    { argument: what },
  );
}
