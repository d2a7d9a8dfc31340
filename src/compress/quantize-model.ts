import * as tf from '@tensorflow/tfjs';
import { VALUE_MOVING_LAYERS } from '../engine/value-moving-layers.js';
import { PieAuditError } from '../errors.js';
import { assertFiniteWeights } from './assert-finite-weights.js';
import { int8ActivationParams, type Int8ActivationParams } from './int8-activation-params.js';
import { channelLayout, quantizeInt8PerChannel } from './int8-per-channel.js';
import { QuantizeDequantize, registerQuantizeDequantize } from './quantize-dequantize-layer.js';
import { quantizeWeights } from './quantize-weights.js';

/** Post-training quantization modes, named as population levels and in reports. */
export type QuantizeModelMode = 'float16' | 'int8-dynamic' | 'int8-full';

/** Examples that calibrate int8-full activation ranges: a tensor, or a Float32Array with its full shape. */
export type RepresentativeData = tf.Tensor | { readonly x: Float32Array; readonly shape: readonly number[] };

/** Options for {@link quantizeModel}. */
export interface QuantizeModelOptions {
  readonly mode: QuantizeModelMode;
  /** Required for 'int8-full': a few hundred typical inputs (TFLite's `representative_dataset`). */
  readonly representativeData?: RepresentativeData;
  /** How activation ranges are calibrated: 'minmax' (default; the observed minimum and maximum). */
  readonly calibration?: 'minmax';
  /**
   * int8-full kernel bits: 8 (default, TFLite's [-127, 127]) or 7 ([-63, 63], ONNX Runtime's
   * `reduce_range`): x86 CPUs without VNNI saturate int16 partial sums of full-range int8 products, so
   * onnxruntime's int8 kernels there match the simulation exactly only with 7-bit weights.
   */
  readonly weightBits?: 8 | 7;
}

/** The int8 parameters of one activation tensor of an int8-full model. */
export interface ActivationQuantization extends Int8ActivationParams {
  /** Name of the QuantizeDequantize layer that simulates it. */
  readonly layer: string;
  /** The layer whose output it quantizes ('input' for the model input). */
  readonly after: string;
}

/** A quantized copy of a model: what it computes with, and what its weights take to store. */
export interface QuantizedModel {
  /** New model: dequantized weights and, for int8-full, QuantizeDequantize layers after each layer. */
  readonly model: tf.LayersModel;
  readonly mode: QuantizeModelMode;
  /** Bytes the weights take stored as quantized (int8: 1 per weight + 4 per scale; int32 biases; float32 rest). */
  readonly storedBytes: number;
  /** float32 bytes of the original weights. */
  readonly originalBytes: number;
  /** Largest |w' - w| over the weights. */
  readonly maxAbsWeightError: number;
  /** int8-full only: every quantized activation, input first. */
  readonly activations: readonly ActivationQuantization[];
}

const WEIGHTED = new Set(['Dense', 'Conv2D', 'DepthwiseConv2D']);
const COMPUTING = new Set(['BatchNormalization', 'Activation', 'ReLU', 'Softmax', 'AveragePooling2D', 'GlobalAveragePooling2D']);

interface LayerJson {
  class_name: string;
  config: Record<string, unknown> & { name: string };
}

/**
 * Post-training quantization of a copy of `model`, named as population levels:
 *
 * - `'float16'`: every weight rounded to float16 (TFLite float16 quantization).
 * - `'int8-dynamic'`: kernels int8 per output channel, activations float (TFLite dynamic range).
 * - `'int8-full'`: full-integer, as TFLite with a representative dataset: kernels int8 symmetric (per
 *   output channel for convolutions, per tensor for Dense, as TFLite), biases int32 at
 *   `input scale * kernel scale`, and every activation (the input and
 *   each layer's output) int8 per tensor with its min/max range calibrated on `representativeData`,
 *   simulated by a QuantizeDequantize layer after each layer. Activations other than ReLU get their
 *   own quantized tensor after the pre-activation one. Sequential models only; BatchNormalization stays
 *   float (TFLite folds it into the convolution first).
 *
 * @example
 * const representativeData = { x, shape: [200, 28, 28, 1] };
 * const { model: int8, activations } = await quantizeModel(model, { mode: 'int8-full', representativeData });
 * @throws PieAuditError INVALID_ARGUMENT for a bad mode or missing data, UNSUPPORTED_LAYER for a layer or model
 *   int8-full cannot simulate, SHAPE_MISMATCH for data that does not fit the model, NON_FINITE for NaN weights
 */
export async function quantizeModel(model: tf.LayersModel, options: QuantizeModelOptions): Promise<QuantizedModel> {
  const mode = options?.mode;
  if (mode === 'float16' || mode === 'int8-dynamic') {
    const r = await quantizeWeights(model, mode === 'float16' ? 'float16' : 'int8');
    return {
      model: r.model,
      mode,
      storedBytes: r.quantizedBytes,
      originalBytes: r.originalBytes,
      maxAbsWeightError: r.maxAbsError,
      activations: [],
    };
  }
  if (mode !== 'int8-full')
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `options.mode must be 'float16', 'int8-dynamic' or 'int8-full' (got ${JSON.stringify(mode)})`,
    );
  if ((options.calibration ?? 'minmax') !== 'minmax') {
    throw new PieAuditError('INVALID_ARGUMENT', `options.calibration must be 'minmax' (got ${JSON.stringify(options.calibration)})`);
  }
  if (!options.representativeData) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      "options.representativeData is required for 'int8-full': a few hundred typical inputs calibrate the activation ranges",
    );
  }
  const weightBits = options.weightBits ?? 8;
  if (weightBits !== 8 && weightBits !== 7)
    throw new PieAuditError('INVALID_ARGUMENT', `options.weightBits must be 8 or 7 (got ${JSON.stringify(weightBits)})`);
  assertFiniteWeights(model);
  const layers = int8FullLayers(model, weightBits);
  const topology = {
    class_name: 'Sequential',
    config: { name: `${model.name}_int8_full`, layers },
  } as unknown as tf.io.ModelJSON['modelTopology'];
  registerQuantizeDequantize();
  const copy = await tf.models.modelFromJSON({ modelTopology: topology });
  try {
    for (const layer of model.layers) if (layer.weights.length > 0) copy.getLayer(layer.name).setWeights(layer.getWeights());
    const activations = calibrate(copy, options.representativeData);
    const weights = quantizeKernelsAndBiases(copy, 2 ** (weightBits - 1) - 1);
    return {
      model: copy,
      mode,
      storedBytes: weights.storedBytes + activations.length * 5,
      originalBytes: weights.originalBytes,
      maxAbsWeightError: weights.maxAbsError,
      activations,
    };
  } catch (e) {
    copy.dispose();
    throw e;
  }
}

/** The int8-full model's layers as Sequential JSON: the original ones with QuantizeDequantize layers inserted. */
function int8FullLayers(model: tf.LayersModel, weightBits: number): LayerJson[] {
  if (model.getClassName() !== 'Sequential') {
    throw new PieAuditError(
      'UNSUPPORTED_LAYER',
      `int8-full simulates Sequential models; '${model.name}' is a ${model.getClassName()} model. ` +
        "Use 'int8-dynamic', or rebuild it as tf.sequential",
    );
  }
  const json = model.toJSON(null, false) as unknown as { config: { layers: LayerJson[] } };
  const source = json.config.layers.filter((l) => l.class_name !== 'InputLayer');
  const out: LayerJson[] = [];
  const qdq = (after: string, extra: Record<string, unknown> = {}): LayerJson => ({
    class_name: QuantizeDequantize.className,
    config: { name: `${after}_qdq`, scale: 1, zero_point: 0, weight_bits: weightBits, ...extra },
  });
  const inputShape =
    source[0]?.config.batch_input_shape ?? json.config.layers.find((l) => l.class_name === 'InputLayer')?.config.batch_input_shape;
  out.push(qdq('input', { batch_input_shape: inputShape }));
  for (const layer of source) {
    const cls = layer.class_name;
    const config: LayerJson['config'] = { ...layer.config };
    delete config.batch_input_shape;
    if (VALUE_MOVING_LAYERS.has(cls)) {
      out.push({ class_name: cls, config });
    } else if (WEIGHTED.has(cls)) {
      const activation = String(config.activation ?? 'linear');
      const fused = activation === 'linear' || activation === 'relu';
      out.push({ class_name: cls, config: fused ? config : { ...config, activation: 'linear' } });
      out.push(qdq(config.name));
      if (!fused)
        out.push({ class_name: 'Activation', config: { name: `${config.name}_activation`, activation } }, qdq(`${config.name}_activation`));
    } else if (COMPUTING.has(cls)) {
      out.push({ class_name: cls, config }, qdq(config.name));
    } else {
      throw new PieAuditError(
        'UNSUPPORTED_LAYER',
        `layer "${config.name}" (${cls}) is not simulated by int8-full; ` +
          `supported: ${[...WEIGHTED, ...COMPUTING, ...VALUE_MOVING_LAYERS].join(', ')}`,
        { layer: config.name, className: cls },
      );
    }
  }
  return out;
}

const SOFTMAX_PARAMS: Int8ActivationParams = { min: 0, max: 255 / 256, scale: 1 / 256, zeroPoint: -128 };

function isSoftmax(layer: tf.layers.Layer): boolean {
  return (
    layer.getClassName() === 'Softmax' ||
    (layer.getClassName() === 'Activation' && (layer.getConfig() as { activation?: unknown }).activation === 'softmax')
  );
}

/** Runs the representative data through the model with QuantizeDequantize off, recording each one's input range. */
function calibrate(model: tf.LayersModel, data: RepresentativeData): ActivationQuantization[] {
  const x = data instanceof tf.Tensor ? Float32Array.from(data.dataSync()) : data.x;
  const shape = data instanceof tf.Tensor ? data.shape : [...data.shape];
  const featureShape = shape.slice(1);
  const expected = model.inputs[0].shape.slice(1);
  const n = shape[0] ?? 0;
  if (
    !(x instanceof Float32Array) ||
    n < 1 ||
    x.length !== n * featureShape.reduce((a, b) => a * b, 1) ||
    expected.length !== featureShape.length ||
    expected.some((d, i) => d !== null && d !== featureShape[i])
  ) {
    throw new PieAuditError(
      'SHAPE_MISMATCH',
      `options.representativeData must be [n, ${expected.map((d) => d ?? 'any').join(', ')}] float32 inputs ` +
        `(got shape [${shape.join(', ')}], ${x.length} values)`,
    );
  }
  const qdqs = model.layers.filter((l): l is QuantizeDequantize => l instanceof QuantizeDequantize);
  const lo = new Float64Array(qdqs.length).fill(Infinity);
  const hi = new Float64Array(qdqs.length).fill(-Infinity);
  qdqs.forEach((q) => (q.enabled = false));
  const size = x.length / n;
  for (let start = 0; start < n; start += 256) {
    const b = Math.min(256, n - start);
    tf.tidy(() => {
      let t = tf.tensor(x.subarray(start * size, (start + b) * size), [b, ...featureShape]);
      let k = 0;
      for (const layer of model.layers) {
        if (layer instanceof QuantizeDequantize) {
          lo[k] = Math.min(lo[k], t.min().dataSync()[0]);
          hi[k] = Math.max(hi[k], t.max().dataSync()[0]);
          k++;
        }
        t = layer.apply(t) as tf.Tensor;
      }
    });
  }
  return qdqs.map((q, k) => {
    if (!Number.isFinite(lo[k]) || !Number.isFinite(hi[k])) {
      throw new PieAuditError(
        'NON_FINITE',
        `calibration saw ${lo[k]}..${hi[k]} before layer "${q.name}"; check options.representativeData for NaN or huge values`,
      );
    }
    const index = model.layers.indexOf(q);
    // TFLite fixes softmax outputs at scale 1/256, zero point -128 (the int8 softmax kernels assume it)
    const params = index > 0 && isSoftmax(model.layers[index - 1]) ? SOFTMAX_PARAMS : int8ActivationParams(lo[k], hi[k]);
    q.scale = params.scale;
    q.zeroPoint = params.zeroPoint;
    q.enabled = true;
    return { layer: q.name, after: index === 0 ? 'input' : model.layers[index - 1].name, ...params };
  });
}

/** Kernels to int8 per channel and biases to int32 at (input scale x kernel scale), in place; bytes stored. */
function quantizeKernelsAndBiases(
  model: tf.LayersModel,
  qmax: number,
): { storedBytes: number; originalBytes: number; maxAbsError: number } {
  let inputScale = 1;
  let storedBytes = 0;
  let originalBytes = 0;
  let maxAbsError = 0;
  for (const layer of model.layers) {
    if (layer instanceof QuantizeDequantize) inputScale = layer.scale;
    const values = layer.getWeights().map((w) => Float32Array.from(w.dataSync()));
    values.forEach((v) => (originalBytes += v.byteLength));
    if (!WEIGHTED.has(layer.getClassName())) {
      values.forEach((v) => (storedBytes += v.byteLength));
      continue;
    }
    const shortName = layer.weights[0].originalName.split('/').pop() ?? '';
    // per output channel for convolutions, per tensor for Dense (TFLite's fully connected int8 scheme)
    const layout =
      layer.getClassName() === 'Dense'
        ? { channels: 1, channelOf: () => 0 }
        : channelLayout(layer.getClassName(), shortName, layer.weights[0].shape as number[]);
    const kernel = quantizeInt8PerChannel(values[0], layout, qmax);
    const out = [kernel.dequantized];
    storedBytes += kernel.q.length + kernel.scales.length * 4;
    if (values[1]) {
      // int32 bias at scale input_scale * kernel_scale[c]; an all-zero channel keeps scale 1 for its kernel
      const bias = values[1].map((b, c) => {
        const kernelScale = kernel.scales[kernel.scales.length === 1 ? 0 : c];
        const s = Math.fround(inputScale * (kernelScale === 0 ? 1 : kernelScale));
        const r = b / s;
        return Math.fround(Math.sign(r) * Math.round(Math.abs(r)) * s);
      });
      out.push(bias);
      storedBytes += bias.length * 4;
    }
    out.forEach((v, i) => v.forEach((w, j) => (maxAbsError = Math.max(maxAbsError, Math.abs(w - values[i][j])))));
    const tensors = out.map((v, i) => tf.tensor(v, layer.weights[i].shape as number[]));
    layer.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
  }
  return { storedBytes, originalBytes, maxAbsError };
}
