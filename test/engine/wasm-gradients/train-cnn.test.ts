import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { seededNormal, useWasmWithGradientKernels } from './helpers.js';

/**
 * A tiny conv-BN-relu-pool + depthwise-separable + dense classifier: every kernel a small CNN trains with.
 * The conv before BN has no bias: BN cancels it, so its gradient is rounding noise that Adam would
 * amplify into backend-dependent steps.
 */
function tinyCnn(): tf.LayersModel {
  const seed = 7;
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 6, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(1) }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', depthwiseInitializer: init(2) }),
      tf.layers.conv2d({ filters: 8, kernelSize: 1, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.conv2d({ filters: 8, kernelSize: 2, strides: 2, padding: 'valid', activation: 'relu', kernelInitializer: init(4) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(5) }),
      tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: init(6) }),
    ],
  });
}

/** Trains `steps` Adam steps on `backend` from identical initial weights; returns losses and final weights. */
async function train(
  backend: 'cpu' | 'wasm',
  steps: number,
): Promise<{ losses: number[]; weights: Float32Array[]; initial: Float32Array[] }> {
  tf.setBackend(backend);
  const model = tinyCnn();
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const initial = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const xs = tf.tensor(seededNormal([16, 12, 12, 2], 101).dataSync(), [16, 12, 12, 2]);
  const labels = Array.from({ length: 16 }, (_, i) => (i * 7) % 5);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 5).toFloat();
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push(Number(await model.trainOnBatch(xs, ys)));
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([xs, ys]);
  model.dispose();
  return { losses, weights, initial };
}

beforeAll(useWasmWithGradientKernels);

describe('training a small CNN on wasm', () => {
  it('gives the same weights after 8 Adam steps as the cpu backend (conv, BN, max-pool, depthwise, dense)', async () => {
    const cpu = await train('cpu', 8);
    const wasm = await train('wasm', 8);
    tf.setBackend('wasm');
    expect(wasm.initial).toEqual(cpu.initial);
    for (let s = 0; s < cpu.losses.length; s++) expect(Math.abs(wasm.losses[s] - cpu.losses[s])).toBeLessThan(1e-4);
    // Training moved every weight tensor, and both backends moved it to the same place (error relative to the move).
    for (let l = 0; l < cpu.weights.length; l++) {
      let moved = 0;
      let diff = 0;
      for (let i = 0; i < cpu.weights[l].length; i++) {
        moved = Math.max(moved, Math.abs(cpu.weights[l][i] - cpu.initial[l][i]));
        diff = Math.max(diff, Math.abs(wasm.weights[l][i] - cpu.weights[l][i]));
      }
      expect(moved).toBeGreaterThan(0);
      expect(diff).toBeLessThanOrEqual(1e-4 * moved);
    }
    expect(cpu.losses[cpu.losses.length - 1]).toBeLessThan(cpu.losses[0]);
  });
});
