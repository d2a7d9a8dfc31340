/**
 * int8-full: the tfjs quantize-dequantize simulation against onnxruntime running the exported QDQ graph
 * with its int8 kernels, on MNIST test images, for a small MLP and a small CNN trained on MNIST.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quantizeModel, type QuantizedModel } from '../../src/compress/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { initBackend } from '../../src/engine/index.js';
import { exportLayersModelToOnnx } from '../../src/onnx/index.js';
import { seededPermutation } from '../../src/random/seeded-permutation.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { argmaxRows, ortPredict, tfjsPredict, useWasmBackend } from './helpers.js';

const TRAIN = 2000;
const TEST = 1000;
let train: { x: Float32Array; y: Int32Array };
let test: Float32Array;

beforeAll(async () => {
  await useWasmBackend();
  await initBackend({ backend: 'wasm' }); // registers the wasm gradients the CNN's training needs
  const t = loadMnist('train');
  const pick = seededPermutation(t.n, mulberry32(5)).subarray(0, TRAIN);
  train = { x: new Float32Array(TRAIN * 784), y: new Int32Array(TRAIN) };
  pick.forEach((r, i) => {
    train.x.set(t.images.subarray(r * 784, (r + 1) * 784), i * 784);
    train.y[i] = t.labels[r];
  });
  test = loadMnist('test').images.subarray(0, TEST * 784);
});

async function trainBriefly(model: tf.LayersModel): Promise<tf.LayersModel> {
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor4d(train.x, [TRAIN, 28, 28, 1]);
  const y = tf.tensor1d(train.y, 'float32');
  await model.fit(x, y, { epochs: 1, batchSize: 100, shuffle: false, verbose: 0 });
  x.dispose();
  y.dispose();
  return model;
}

const mlp = (): tf.LayersModel =>
  tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });

const cnn = (): tf.LayersModel =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 8,
        kernelSize: 3,
        strides: 2,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.depthwiseConv2d({
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        depthwiseInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
    ],
  });

interface Agreement {
  top1: number;
  maxDiff: number;
  quanta: number;
}

async function agreement(q: QuantizedModel): Promise<Agreement> {
  const simulated = tfjsPredict(q.model, test, TEST);
  const ort = await ortPredict(exportLayersModelToOnnx(q.model), [TEST, 28, 28, 1], test);
  const a = argmaxRows(simulated, 10);
  const b = argmaxRows(ort, 10);
  let same = 0;
  for (let i = 0; i < TEST; i++) if (a[i] === b[i]) same++;
  let maxDiff = 0;
  for (let i = 0; i < ort.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ort[i] - simulated[i]));
  return { top1: same / TEST, maxDiff, quanta: maxDiff / (q.activations.at(-1)?.scale ?? 1) };
}

const representative = () => ({ x: train.x.subarray(0, 200 * 784), shape: [200, 28, 28, 1] });

describe('int8-full: tfjs simulation vs onnxruntime int8 kernels (MNIST)', () => {
  it.each([
    ['MLP', mlp],
    ['CNN', cnn],
  ] as const)('%s with 7-bit weights: onnxruntime computes what the simulation computes', async (_, make) => {
    const model = await trainBriefly(make());
    const q = await quantizeModel(model, { mode: 'int8-full', representativeData: representative(), calibration: 'minmax', weightBits: 7 });
    const r = await agreement(q);
    // the same int8 arithmetic: at most one output quantum apart (rounding of the requantization)
    expect(r.quanta).toBeLessThanOrEqual(1 + 1e-6);
    expect(r.top1).toBeGreaterThanOrEqual(0.998);
    // and the quantized model still mostly classifies like the float one (small nets, one short epoch)
    const float = argmaxRows(tfjsPredict(model, test, TEST), 10);
    const int8 = argmaxRows(tfjsPredict(q.model, test, TEST), 10);
    expect(float.filter((c, i) => c === int8[i]).length / TEST).toBeGreaterThan(0.9);
    q.model.dispose();
    model.dispose();
  });

  it('MLP with 8-bit weights (TFLite): agreement measured; exact on CPUs whose int8 dot products do not saturate', async () => {
    const model = await trainBriefly(mlp());
    const q = await quantizeModel(model, { mode: 'int8-full', representativeData: representative(), weightBits: 8 });
    const r = await agreement(q);
    // x86 without VNNI saturates int16 pair sums of full-range products; the difference stays small
    expect(r.top1).toBeGreaterThan(0.9);
    expect(r.maxDiff).toBeLessThan(0.25);
    q.model.dispose();
    model.dispose();
  });
});
