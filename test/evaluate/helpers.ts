import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { onnx } from '../../src/onnx/onnx-proto.js';

/** The first `n` real handwritten digits (8x8, scaled to 0..1), NHWC [8, 8, 1] per example. */
export function loadDigits(n: number): { inputs: Float32Array; labels: Uint8Array; n: number; inputShape: number[] } {
  const text = gunzipSync(readFileSync(join(import.meta.dirname, 'fixtures', 'digits.csv.gz'))).toString('utf8');
  const rows = text.trim().split('\n').slice(0, n);
  const inputs = new Float32Array(rows.length * 64);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    const v = row.split(',').map(Number);
    for (let j = 0; j < 64; j++) inputs[i * 64 + j] = v[j] / 16;
    labels[i] = v[64];
  });
  return { inputs, labels, n: rows.length, inputShape: [8, 8, 1] };
}

export async function useWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}

/** Seeded MLP on flattened 8x8 digits: 64-32-10 softmax. */
export function digitsMlp(seed: number, inputShape: number[] = [64]): tf.LayersModel {
  const layers: tf.layers.Layer[] = [];
  if (inputShape.length > 1) layers.push(tf.layers.flatten({ inputShape }));
  layers.push(
    tf.layers.dense({
      ...(inputShape.length > 1 ? {} : { inputShape }),
      units: 32,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      biasInitializer: tf.initializers.randomNormal({ seed: seed + 1, stddev: 0.1 }),
    }),
    tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
  );
  return tf.sequential({ layers });
}

/** Seeded small CNN on 8x8x1 digits. */
export function digitsCnn(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

/** numpy-style argmax of each row (first maximum). */
export function argmaxReference(scores: ArrayLike<number>, rows: number, k: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (scores[r * k + c] > scores[r * k + best]) best = c;
    out.push(best);
  }
  return out;
}

/**
 * A hand-built ONNX graph: input `[batch, ...inputDims]` -> optional Transpose -> Flatten -> Gemm(W, b).
 * `batch` is a symbolic dimension unless `fixedBatch` is given.
 */
export function gemmOnnx(options: {
  inputDims: number[];
  perm?: number[];
  weights: Float32Array;
  bias: Float32Array;
  nClasses: number;
  fixedBatch?: number;
}): Uint8Array {
  const { inputDims, perm, weights, bias, nClasses } = options;
  const features = inputDims.reduce((a, b) => a * b, 1);
  const dim = (d: number | string) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const valueInfo = (name: string, dims: Array<number | string>) => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map(dim) } } },
  });
  const nodes = [];
  let current = 'x';
  if (perm) {
    nodes.push({
      opType: 'Transpose',
      input: [current],
      output: ['t'],
      attribute: [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: perm }],
    });
    current = 't';
  }
  nodes.push({
    opType: 'Flatten',
    input: [current],
    output: ['f'],
    attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
  });
  nodes.push({ opType: 'Gemm', input: ['f', 'W', 'b'], output: ['y'] });
  const batch = options.fixedBatch ?? 'batch';
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'pie-audit-test',
    graph: {
      name: 'gemm',
      node: nodes,
      input: [valueInfo('x', [batch, ...inputDims])],
      output: [valueInfo('y', [batch, nClasses])],
      initializer: [
        {
          name: 'W',
          dims: [features, nClasses],
          dataType: onnx.TensorProto.DataType.FLOAT,
          rawData: new Uint8Array(weights.buffer.slice(0)),
        },
        { name: 'b', dims: [nClasses], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(bias.buffer.slice(0)) },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function seededFloats(length: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}
