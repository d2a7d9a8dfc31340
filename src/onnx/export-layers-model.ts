import type { LayersModel } from '@tensorflow/tfjs';
import { VALUE_MOVING_LAYERS } from '../engine/value-moving-layers.js';
import { PieAuditError } from '../errors.js';
import { PIE_AUDIT_VERSION } from '../version.js';
import { ExportContext } from './export-context.js';
import type { OnnxValue } from './export-context.js';
import { layerCalls, shapeOf } from './layer-calls.js';
import { LAYER_CONVERTERS } from './layer-converters.js';
import type { LayerConfig } from './layer-converters.js';
import { describeUnsupported, onnxSupport } from './onnx-support.js';

/** Options for {@link exportLayersModelToOnnx}. */
export interface OnnxExportOptions {
  /** ONNX opset of the default domain, 13 to 21 (default 13); the graph is the same for all of them. */
  opset?: number;
}

/** The symbolic name of the batch dimension in exported graphs. */
export const ONNX_BATCH_DIM = 'batch';

/**
 * Converts a tfjs LayersModel (Sequential or functional) to a serialized ONNX model, in memory.
 *
 * Inputs and outputs keep tfjs's shapes and channels-last layout (feed the same NHWC float32 data);
 * inside, convolutional stretches run in NCHW with one Transpose at each boundary. Weights are
 * float32 initializers copied as they are, so pruned zeros stay exact zeros. A model quantized by
 * `quantizeModel(model, { mode: 'int8-full' })` is written as a QDQ graph: int8 per-channel kernels and
 * int32 biases behind DequantizeLinear, and a QuantizeLinear/DequantizeLinear pair for each
 * QuantizeDequantize layer, which ONNX Runtime fuses into its int8 kernels.
 * Throws PieAuditError `UNSUPPORTED_LAYER` naming every layer it cannot convert (see {@link onnxSupport}).
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `UNSUPPORTED_LAYER`, `CORRUPT_MODEL`
 * @example
 * const bytes = exportLayersModelToOnnx(model);
 * const session = await ort.InferenceSession.create(bytes);
 */
export function exportLayersModelToOnnx(model: LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  const opset = options.opset ?? 13;
  if (!Number.isInteger(opset) || opset < 13 || opset > 21) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.opset must be an integer from 13 to 21, got ${String(opset)}`, { opset });
  }
  const support = onnxSupport(model);
  if (!support.supported) {
    throw new PieAuditError(
      'UNSUPPORTED_LAYER',
      `model '${model.name}' cannot be exported to ONNX: ${describeUnsupported(support.unsupported)}. Use the tfjs runtime for this model.`,
      { unsupported: support.unsupported },
    );
  }

  // A model with QuantizeDequantize layers is int8-full: its kernels are int8 too (a QDQ graph).
  const qdq = model.layers.find((l) => l.getClassName() === 'QuantizeDequantize');
  const weightBits = Number((qdq?.getConfig() as { weightBits?: unknown } | undefined)?.weightBits ?? 8);
  const ctx = new ExportContext({ int8Kernels: qdq !== undefined, kernelMax: 2 ** (weightBits - 1) - 1 });
  const values = new Map<number, OnnxValue>();
  model.inputs.forEach((input, i) => {
    const shape = shapeOf(input);
    const name = ctx.g.input(
      model.inputNames[i] ?? `input_${i}`,
      shape.map((d, k) => d ?? (k === 0 ? ONNX_BATCH_DIM : `${ONNX_BATCH_DIM}_dim${k}`)),
    );
    values.set(input.id, ctx.value(name, shape, 'nhwc'));
  });

  for (const call of layerCalls(model)) {
    const inputs = call.inputs.map((t) => {
      const v = values.get(t.id);
      if (!v)
        throw new PieAuditError(
          'CORRUPT_MODEL',
          `layer '${call.layer.name}' reads tensor '${t.name}', which is not computed from the model inputs`,
        );
      return v;
    });
    const converter = LAYER_CONVERTERS[call.layer.getClassName()];
    const out = converter.emit(ctx, call.layer, call.layer.getConfig() as LayerConfig, inputs, shapeOf(call.output));
    const scale =
      inputs.length === 1 && VALUE_MOVING_LAYERS.has(call.layer.getClassName()) ? ctx.activationScales.get(inputs[0].name) : undefined;
    if (scale !== undefined) ctx.activationScales.set(out.name, scale);
    values.set(call.output.id, out);
  }

  model.outputs.forEach((output, i) => {
    const v = ctx.toNatural(values.get(output.id)!);
    // An Identity gives every output its own name even when it is an input or shared (runtimes elide it).
    const name = ctx.g.node('Identity', [v.name], {}, model.outputNames[i] ?? `output_${i}`);
    ctx.g.output(
      name,
      shapeOf(output).map((d, k) => d ?? (k === 0 ? ONNX_BATCH_DIM : `${name}_dim${k}`)),
    );
  });

  return ctx.g.encode({ opset, producer: 'pie-audit', producerVersion: PIE_AUDIT_VERSION, graphName: model.name });
}
