/**
 * Hand-written ONNX graphs of the benchmark MLP and CNN, built directly with onnx-proto and
 * independent of src/onnx (no shared code): the reference for what onnxruntime does with the
 * graph a person would write for it. They take the tfjs model's weights so outputs can be compared.
 *
 * The CNN graph is plain NCHW end to end (no transposes); with one input channel the NHWC rows tfjs
 * is fed are byte-identical to NCHW, so both graphs read the same buffer. The first dense layer's
 * rows are permuted from tfjs's channels-last flatten order to the NCHW flatten order.
 */
import type * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Node = InstanceType<typeof onnx.NodeProto>;
type Tensor = InstanceType<typeof onnx.TensorProto>;

function floats(name: string, dims: number[], values: Float32Array): Tensor {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)),
  });
}

function node(opType: string, input: string[], output: string, attrs: Array<[string, number | number[]]> = []): Node {
  const T = onnx.AttributeProto.AttributeType;
  return onnx.NodeProto.create({
    opType,
    input,
    output: [output],
    attribute: attrs.map(([name, v]) => (Array.isArray(v) ? { name, type: T.INTS, ints: v } : { name, type: T.INT, i: v })),
  });
}

function model(nodes: Node[], initializer: Tensor[], inputDims: Array<number | string>): Uint8Array {
  const dim = (d: number | string) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const info = (name: string, dims: Array<number | string>) => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map(dim) } } },
  });
  return onnx.ModelProto.encode({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'pie-audit-bench-handwritten',
    graph: { name: 'handwritten', node: nodes, initializer, input: [info('x', inputDims)], output: [info('y', ['N', 10])] },
  }).finish();
}

function weights(m: tf.LayersModel, layer: number): Float32Array[] {
  return m.layers[layer].getWeights().map((w) => w.dataSync() as Float32Array);
}

/** tfjs conv kernel [kh, kw, in, out] -> [out, in, kh, kw]. */
function oihw(k: Float32Array, kh: number, kw: number, ci: number, co: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = k[((y * kw + x) * ci + i) * co + o];
  return out;
}

/** MLP 784-256-128-10: Gemm-Relu-Gemm-Relu-Gemm-Softmax on [N, 784]. */
export function handwrittenMlp(m: tf.LayersModel): Uint8Array {
  const [[k1, b1], [k2, b2], [k3, b3]] = [0, 1, 2].map((i) => weights(m, i));
  return model(
    [
      node('Gemm', ['x', 'k1', 'b1'], 'h1'),
      node('Relu', ['h1'], 'r1'),
      node('Gemm', ['r1', 'k2', 'b2'], 'h2'),
      node('Relu', ['h2'], 'r2'),
      node('Gemm', ['r2', 'k3', 'b3'], 'logits'),
      node('Softmax', ['logits'], 'y', [['axis', 1]]),
    ],
    [
      floats('k1', [784, 256], k1),
      floats('b1', [256], b1),
      floats('k2', [256, 128], k2),
      floats('b2', [128], b2),
      floats('k3', [128, 10], k3),
      floats('b3', [10], b3),
    ],
    ['N', 784],
  );
}

/** CNN on [N, 1, 28, 28]: Conv-Relu-Conv-Relu-MaxPool-Flatten-Gemm-Relu-Gemm-Softmax. */
export function handwrittenCnn(m: tf.LayersModel): Uint8Array {
  const [c1, cb1] = weights(m, 0);
  const [c2, cb2] = weights(m, 1);
  const [d1, db1] = weights(m, 5);
  const [d2, db2] = weights(m, 6);
  // tfjs flattens [12, 12, 64] channels-last; NCHW Flatten gives c * 144 + h * 12 + w.
  const d1nchw = new Float32Array(d1.length);
  for (let c = 0; c < 64; c++)
    for (let p = 0; p < 144; p++) d1nchw.set(d1.subarray((p * 64 + c) * 128, (p * 64 + c + 1) * 128), (c * 144 + p) * 128);
  return model(
    [
      node('Conv', ['x', 'c1', 'cb1'], 'h1', [['kernel_shape', [3, 3]]]),
      node('Relu', ['h1'], 'r1'),
      node('Conv', ['r1', 'c2', 'cb2'], 'h2', [['kernel_shape', [3, 3]]]),
      node('Relu', ['h2'], 'r2'),
      node('MaxPool', ['r2'], 'p', [
        ['kernel_shape', [2, 2]],
        ['strides', [2, 2]],
      ]),
      node('Flatten', ['p'], 'f', [['axis', 1]]),
      node('Gemm', ['f', 'd1', 'db1'], 'h3'),
      node('Relu', ['h3'], 'r3'),
      node('Gemm', ['r3', 'd2', 'db2'], 'logits'),
      node('Softmax', ['logits'], 'y', [['axis', 1]]),
    ],
    [
      floats('c1', [32, 1, 3, 3], oihw(c1, 3, 3, 1, 32)),
      floats('cb1', [32], cb1),
      floats('c2', [64, 32, 3, 3], oihw(c2, 3, 3, 32, 64)),
      floats('cb2', [64], cb2),
      floats('d1', [9216, 128], d1nchw),
      floats('db1', [128], db1),
      floats('d2', [128, 10], d2),
      floats('db2', [10], db2),
    ],
    ['N', 1, 28, 28],
  );
}
