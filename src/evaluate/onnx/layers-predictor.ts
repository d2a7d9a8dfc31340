import type * as tf from '@tensorflow/tfjs';
import type { Predictor } from '../predictor.js';
import { isPieAuditError } from '../../errors.js';
import { exportLayersModelToOnnx } from '../../onnx/export-layers-model.js';
import { loadOnnxRuntime, resolveThreads } from './onnx-runtime.js';
import { describeUnsupported, onnxSupport } from '../../onnx/onnx-support.js';
import { createOnnxSessionPredictor } from './session-predictor.js';

/** Options for {@link createOnnxLayersPredictor}. */
export interface OnnxLayersPredictorOptions {
  /** Intra-op threads of the onnxruntime session; defaults to all cores. */
  threads?: number;
}

/**
 * Exports a tfjs LayersModel to ONNX in memory and runs it on onnxruntime-node.
 *
 * Resolves to `{ predictor }` (runtime 'onnx'; feed the same NHWC float32 rows as tfjs), or to
 * `{ fallbackReason }` when onnxruntime-node is absent, a layer is not covered (the reason names
 * each such layer), the model does not have exactly one input and one output, or onnxruntime
 * rejects the export, so the caller can fall back to tfjs. Throws only for an invalid `threads`.
 *
 * @throws PieAuditError naming the argument and the fix
 * @example
 * const r = await createOnnxLayersPredictor(model, { threads: 2 });
 * if ('predictor' in r) scores = await r.predictor.predict(batch, 256);
 * else console.warn(`using tfjs: ${r.fallbackReason}`);
 */
export async function createOnnxLayersPredictor(
  model: tf.LayersModel,
  options: OnnxLayersPredictorOptions = {},
): Promise<{ predictor: Predictor } | { fallbackReason: string }> {
  const threads = resolveThreads(options.threads);
  const status = await loadOnnxRuntime();
  if (!status.ok) return { fallbackReason: status.reason };
  const support = onnxSupport(model);
  if (!support.supported) return { fallbackReason: `ONNX export does not cover ${describeUnsupported(support.unsupported)}` };
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    return {
      fallbackReason: `model '${model.name}' has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the ONNX predictor takes exactly one of each`,
    };
  }
  const featureDims = model.inputs[0].shape.slice(1);
  if (!featureDims.every((d) => typeof d === 'number' && d > 0)) {
    return {
      fallbackReason: `input '${model.inputNames[0]}' has unknown feature dimensions [${featureDims.join(', ')}]; give the model a fixed inputShape`,
    };
  }
  try {
    const predictor = await createOnnxSessionPredictor(exportLayersModelToOnnx(model), { threads, name: `'${model.name}' (exported)` });
    return { predictor };
  } catch (e) {
    if (isPieAuditError(e)) return { fallbackReason: `ONNX export of model '${model.name}' failed: ${e.message}` };
    throw e;
  }
}
