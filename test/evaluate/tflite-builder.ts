/**
 * Writes TFLite flatbuffers for tests, from the subset of tensorflow/lite/schema/schema.fbs they need:
 * Model, SubGraph, Tensor (with QuantizationParameters), Buffer, Operator and OperatorCode, and the ops
 * FULLY_CONNECTED, SOFTMAX and QUANTIZE, in float32, int8 or uint8. The files are run by the real TFLite runtime.
 */
import type * as tf from '@tensorflow/tfjs';
import * as flatbuffers from 'flatbuffers';

type TensorType = 'float32' | 'int8' | 'uint8' | 'int32';
/** TensorType numbers in schema.fbs. */
const TENSOR_TYPE: Record<TensorType, number> = { float32: 0, int32: 2, uint8: 3, int8: 9 };
/** BuiltinOperator numbers, and the BuiltinOptions union member each op's options are (0: none written). */
const OPS = {
  FULLY_CONNECTED: { code: 9, options: 8 },
  SOFTMAX: { code: 25, options: 9 },
  QUANTIZE: { code: 114, options: 0 },
} as const;

export interface Quant {
  scale: number;
  zeroPoint: number;
}

export interface TensorSpec {
  name: string;
  shape: number[];
  type: TensorType;
  /** Constant values (weights, biases), little-endian. */
  data?: Uint8Array;
  quant?: Quant;
}

export interface OpSpec {
  op: keyof typeof OPS;
  inputs: number[];
  outputs: number[];
  /** FULLY_CONNECTED: fused relu. */
  relu?: boolean;
  /** The op's version (int8 kernels declare a higher one). */
  version?: number;
}

export interface GraphSpec {
  tensors: TensorSpec[];
  ops: OpSpec[];
  inputs: number[];
  outputs: number[];
}

function intVector(b: flatbuffers.Builder, values: readonly number[]): flatbuffers.Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function offsetVector(b: flatbuffers.Builder, offsets: readonly flatbuffers.Offset[]): flatbuffers.Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

/** Serialises a one-subgraph TFLite model (file identifier TFL3, schema version 3). */
export function buildTflite(graph: GraphSpec): Uint8Array {
  const b = new flatbuffers.Builder(4096);
  // Buffer 0 is the empty sentinel activations point to; each constant gets its own.
  const constants: Uint8Array[] = [];
  const bufferOf = graph.tensors.map((t) => (t.data ? constants.push(t.data) : 0));
  const buffers = [undefined, ...constants].map((data) => {
    let vector = 0;
    if (data) {
      b.startVector(1, data.length, 16);
      for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]);
      vector = b.endVector();
    }
    b.startObject(3);
    if (vector) b.addFieldOffset(0, vector, 0);
    return b.endObject();
  });
  const tensors = graph.tensors.map((t, i) => {
    const name = b.createString(t.name);
    const shape = intVector(b, t.shape);
    let quant = 0;
    if (t.quant) {
      b.startVector(4, 1, 4);
      b.addFloat32(t.quant.scale);
      const scale = b.endVector();
      b.startVector(8, 1, 8);
      b.addInt64(BigInt(t.quant.zeroPoint));
      const zeroPoint = b.endVector();
      b.startObject(7);
      b.addFieldOffset(2, scale, 0);
      b.addFieldOffset(3, zeroPoint, 0);
      quant = b.endObject();
    }
    b.startObject(10);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, TENSOR_TYPE[t.type], 0);
    b.addFieldInt32(2, bufferOf[i], 0);
    b.addFieldOffset(3, name, 0);
    if (quant) b.addFieldOffset(4, quant, 0);
    return b.endObject();
  });
  const codes = [...new Set(graph.ops.map((o) => `${o.op}@${o.version ?? 1}`))];
  const operatorCodes = codes.map((key) => {
    const [op, version] = key.split('@') as [keyof typeof OPS, string];
    b.startObject(4);
    b.addFieldInt8(0, OPS[op].code, 0);
    b.addFieldInt32(2, Number(version), 1);
    b.addFieldInt32(3, OPS[op].code, 0);
    return b.endObject();
  });
  const operators = graph.ops.map((o) => {
    let options = 0;
    if (o.op === 'FULLY_CONNECTED') {
      b.startObject(5);
      b.addFieldInt8(0, o.relu ? 1 : 0, 0);
      options = b.endObject();
    } else if (o.op === 'SOFTMAX') {
      b.startObject(1);
      b.addFieldFloat32(0, 1, 0); // beta
      options = b.endObject();
    }
    const inputs = intVector(b, o.inputs);
    const outputs = intVector(b, o.outputs);
    b.startObject(9);
    b.addFieldInt32(0, codes.indexOf(`${o.op}@${o.version ?? 1}`), 0);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    b.addFieldInt8(3, OPS[o.op].options, 0);
    if (options) b.addFieldOffset(4, options, 0);
    return b.endObject();
  });
  const tensorVector = offsetVector(b, tensors);
  const inputs = intVector(b, graph.inputs);
  const outputs = intVector(b, graph.outputs);
  const operatorVector = offsetVector(b, operators);
  const graphName = b.createString('main');
  b.startObject(5);
  b.addFieldOffset(0, tensorVector, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, operatorVector, 0);
  b.addFieldOffset(4, graphName, 0);
  const subgraph = b.endObject();
  const codeVector = offsetVector(b, operatorCodes);
  const subgraphVector = offsetVector(b, [subgraph]);
  const description = b.createString('pie-audit test model');
  const bufferVector = offsetVector(b, buffers);
  b.startObject(8);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, codeVector, 0);
  b.addFieldOffset(2, subgraphVector, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, bufferVector, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}

const bytesOf = (values: Float32Array | Int8Array | Int32Array): Uint8Array =>
  new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();

/** A Dense layer's weights: TFLite's FULLY_CONNECTED takes the kernel as [units, inputs] (tfjs stores [inputs, units]). */
interface Dense {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  relu: boolean;
}

function denseLayers(model: tf.LayersModel): Dense[] {
  return model.layers
    .filter((l) => l.getClassName() === 'Dense')
    .map((l) => {
      const [kernel, bias] = l.getWeights().map((w) => w.dataSync() as Float32Array);
      const [inputs, units] = l.getWeights()[0].shape;
      const transposed = new Float32Array(units * inputs);
      for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) transposed[u * inputs + i] = kernel[i * units + u];
      return { kernel: transposed, bias: Float32Array.from(bias), inputs, units, relu: l.getConfig().activation === 'relu' };
    });
}

/** Each Dense layer's outputs (after its relu) on `inputs`, computed in float64: the ranges int8 calibration needs. */
function activationRanges(layers: Dense[], inputs: Float32Array, n: number): Array<{ min: number; max: number }> {
  const ranges = layers.map(() => ({ min: 0, max: 0 }));
  for (let e = 0; e < n; e++) {
    let x: ArrayLike<number> = inputs.subarray(e * layers[0].inputs, (e + 1) * layers[0].inputs);
    layers.forEach((layer, k) => {
      const y = new Float64Array(layer.units);
      for (let u = 0; u < layer.units; u++) {
        let s = layer.bias[u];
        for (let i = 0; i < layer.inputs; i++) s += layer.kernel[u * layer.inputs + i] * x[i];
        y[u] = layer.relu ? Math.max(0, s) : s;
        ranges[k].min = Math.min(ranges[k].min, y[u]);
        ranges[k].max = Math.max(ranges[k].max, y[u]);
      }
      x = y;
    });
  }
  return ranges;
}

/** Asymmetric int8 parameters covering [min, max] (and 0, so zero is exact). */
function asymmetric(min: number, max: number): Quant {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const scale = Math.fround((hi - lo) / 255);
  return { scale, zeroPoint: Math.max(-128, Math.min(127, Math.round(-128 - lo / scale))) };
}

/**
 * A tfjs MLP (Dense layers, relu between, softmax last; a Flatten first is folded into the first
 * FULLY_CONNECTED) as a .tflite flatbuffer at a fixed batch size. With `int8`, fully integer: int8 input and
 * output, int8 weights (per-tensor, symmetric), int32 biases, activations calibrated on `int8.inputs`. With
 * `int8.io: 'uint8'`, the input and output are uint8 around the int8 graph, joined by QUANTIZE ops, as TFLite's
 * converter writes a model asked for `inference_input_type=tf.uint8` and `inference_output_type=tf.uint8`.
 */
export function tfliteMlp(
  model: tf.LayersModel,
  options: { batch?: number; int8?: { inputs: Float32Array; n: number; inputRange: [number, number]; io?: 'uint8' } } = {},
): Uint8Array {
  const batch = options.batch ?? 1;
  const layers = denseLayers(model);
  const exampleShape = model.inputs[0].shape.slice(1) as number[];
  const tensors: TensorSpec[] = [];
  const ops: OpSpec[] = [];
  const int8 = options.int8;
  const ranges = int8 ? activationRanges(layers, int8.inputs, int8.n) : [];
  let current =
    tensors.push({
      name: 'input',
      shape: [batch, ...exampleShape],
      type: int8 ? 'int8' : 'float32',
      ...(int8 ? { quant: asymmetric(...int8.inputRange) } : {}),
    }) - 1;
  const uint8 = int8?.io === 'uint8';
  if (uint8) {
    // The same real values in uint8: zero point 128 higher, same scale; QUANTIZE turns them into the int8 input.
    const inQuant = tensors[current].quant as Quant;
    const raw =
      tensors.push({
        name: 'input_uint8',
        shape: [batch, ...exampleShape],
        type: 'uint8',
        quant: { ...inQuant, zeroPoint: inQuant.zeroPoint + 128 },
      }) - 1;
    ops.push({ op: 'QUANTIZE', inputs: [raw], outputs: [current], version: 2 });
  }
  layers.forEach((layer, k) => {
    const inQuant = tensors[current].quant;
    if (!int8 || !inQuant) {
      const w =
        tensors.push({ name: `dense_${k}/kernel`, shape: [layer.units, layer.inputs], type: 'float32', data: bytesOf(layer.kernel) }) - 1;
      const bias = tensors.push({ name: `dense_${k}/bias`, shape: [layer.units], type: 'float32', data: bytesOf(layer.bias) }) - 1;
      const out = tensors.push({ name: `dense_${k}/out`, shape: [batch, layer.units], type: 'float32' }) - 1;
      ops.push({ op: 'FULLY_CONNECTED', inputs: [current, w, bias], outputs: [out], relu: layer.relu });
      current = out;
      return;
    }
    const maxAbs = layer.kernel.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const wScale = Math.fround(maxAbs / 127);
    const q = Int8Array.from(layer.kernel, (v) => Math.round(v / wScale));
    const biasScale = Math.fround(inQuant.scale * wScale);
    const qBias = Int32Array.from(layer.bias, (v) => Math.round(v / biasScale));
    const w =
      tensors.push({
        name: `dense_${k}/kernel`,
        shape: [layer.units, layer.inputs],
        type: 'int8',
        data: bytesOf(q),
        quant: { scale: wScale, zeroPoint: 0 },
      }) - 1;
    const bias =
      tensors.push({
        name: `dense_${k}/bias`,
        shape: [layer.units],
        type: 'int32',
        data: bytesOf(qBias),
        quant: { scale: biasScale, zeroPoint: 0 },
      }) - 1;
    const out =
      tensors.push({ name: `dense_${k}/out`, shape: [batch, layer.units], type: 'int8', quant: asymmetric(ranges[k].min, ranges[k].max) }) -
      1;
    ops.push({ op: 'FULLY_CONNECTED', inputs: [current, w, bias], outputs: [out], relu: layer.relu, version: 4 });
    current = out;
  });
  const probs =
    tensors.push({
      name: 'probabilities',
      shape: [batch, layers.at(-1)!.units],
      type: int8 ? 'int8' : 'float32',
      ...(int8 ? { quant: { scale: 1 / 256, zeroPoint: -128 } } : {}),
    }) - 1;
  ops.push({ op: 'SOFTMAX', inputs: [current], outputs: [probs], ...(int8 ? { version: 2 } : {}) });
  if (!uint8) return buildTflite({ tensors, ops, inputs: [0], outputs: [probs] });
  const out =
    tensors.push({
      name: 'probabilities_uint8',
      shape: [batch, layers.at(-1)!.units],
      type: 'uint8',
      quant: { scale: 1 / 256, zeroPoint: 0 },
    }) - 1;
  ops.push({ op: 'QUANTIZE', inputs: [probs], outputs: [out], version: 2 });
  // Ops run in order: the input's QUANTIZE was pushed after the graph's first tensor, before the first layer.
  return buildTflite({ tensors, ops, inputs: [tensors.findIndex((t) => t.name === 'input_uint8')], outputs: [out] });
}
