import type { LayersModel } from '@tensorflow/tfjs';
import { layerCalls, shapeOf } from './layer-calls.js';
import { LAYER_CONVERTERS } from './layer-converters.js';
import type { LayerConfig } from './layer-converters.js';

/** A layer the ONNX exporter cannot convert, and why. */
export interface OnnxUnsupportedLayer {
  /** The layer's name in the model (or the input's name for input problems). */
  readonly layer: string;
  /** The tfjs class name, e.g. 'LSTM'. */
  readonly className: string;
  /** What is not covered, e.g. "no ONNX converter for layer class LSTM" or "dataFormat 'channelsFirst' ...". */
  readonly reason: string;
}

/** Result of {@link onnxSupport}. */
export interface OnnxSupport {
  readonly supported: boolean;
  readonly unsupported: OnnxUnsupportedLayer[];
}

/** One line naming every unsupported layer, suitable for a fallback reason or an error message. */
export function describeUnsupported(unsupported: readonly OnnxUnsupportedLayer[]): string {
  return unsupported.map((u) => `layer '${u.layer}' (${u.className}): ${u.reason}`).join('; ');
}

/**
 * Whether {@link exportLayersModelToOnnx} can convert `model`, listing every layer it cannot
 * (each layer once, with the reason), without building anything.
 *
 * @example
 * const { supported, unsupported } = onnxSupport(model);
 * if (!supported) console.log(unsupported.map((u) => `${u.layer}: ${u.reason}`).join('\n'));
 */
export function onnxSupport(model: LayersModel): OnnxSupport {
  const unsupported: OnnxUnsupportedLayer[] = [];
  if (!Array.isArray(model.outputs) || !Array.isArray(model.inputs) || model.inputs.length === 0) {
    unsupported.push({
      layer: model.name,
      className: model.getClassName(),
      reason: 'the model is not built (it has no inputs/outputs); give the first layer an inputShape',
    });
    return { supported: false, unsupported };
  }
  model.inputs.forEach((input, i) => {
    if (input.dtype !== 'float32') {
      unsupported.push({
        layer: model.inputNames?.[i] ?? input.name,
        className: 'InputLayer',
        reason: `input dtype ${input.dtype} is not exported (only float32)`,
      });
    }
  });
  const seen = new Set<string>();
  for (const call of layerCalls(model)) {
    const { layer } = call;
    const className = layer.getClassName();
    const key = `${layer.name}\u0000${className}`;
    if (seen.has(key)) continue;
    const converter = LAYER_CONVERTERS[className];
    let reason: string | undefined;
    if (!converter) {
      reason =
        'layers' in layer
          ? 'nested models are not exported; rebuild the model with its layers inlined'
          : `no ONNX converter for layer class ${className}`;
    } else if (call.output.dtype !== 'float32') {
      reason = `output dtype ${call.output.dtype} is not exported (only float32)`;
    } else {
      reason = converter.issue(layer.getConfig() as LayerConfig, call.inputs.map(shapeOf), shapeOf(call.output));
    }
    if (reason !== undefined) {
      seen.add(key);
      unsupported.push({ layer: layer.name, className, reason });
    }
  }
  return { supported: unsupported.length === 0, unsupported };
}
