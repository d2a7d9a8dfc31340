import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-node';
import { mulberry32 } from '../../src/random/mulberry32.js';

/** tfjs on the wasm backend, the reference the exported graphs are compared with. */
export async function useWasmBackend(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}

/** mulberry32: a small seeded PRNG giving floats in [0, 1). */
export const seededRandom = mulberry32;

/** `n` uniform values in [lo, hi). */
export function uniform(rand: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

/**
 * Replaces every weight with seeded random values of a sensible scale: kernels ~ U(+-sqrt(3 / fanIn)),
 * biases and BN shifts/means small, BN scales and variances around 1 (variances positive).
 */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rand = seededRandom(seed);
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const values = layer.weights.map((w) => {
      const shape = w.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      const role = w.originalName.split('/').pop()!;
      let data: Float32Array;
      if (role === 'moving_variance' || role === 'gamma') data = uniform(rand, n, 0.5, 1.5);
      else if (role === 'beta' || role === 'moving_mean' || role === 'bias') data = uniform(rand, n, -0.3, 0.3);
      else {
        const fanIn = shape.length > 1 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
        const a = Math.sqrt(3 / fanIn);
        data = uniform(rand, n, -a, a);
      }
      return tf.tensor(data, shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** tfjs's output for a batch given as a flat NHWC Float32Array. */
export function tfjsPredict(model: tf.LayersModel, inputs: Float32Array, batch: number): Float32Array {
  const shape = [batch, ...(model.inputs[0].shape.slice(1) as number[])];
  return tf
    .tidy(() => {
      const y = model.predictOnBatch(tf.tensor(inputs, shape)) as tf.Tensor;
      return y.dataSync() as Float32Array;
    })
    .slice();
}

/** onnxruntime's output for the same batch, fed with the model's own (NHWC) input shape. */
export async function ortPredict(bytes: Uint8Array, inputShape: number[], inputs: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', inputs, inputShape) });
    return (out[session.outputNames[0]].data as Float32Array).slice();
  } finally {
    await session.release();
  }
}

/**
 * The error measure used throughout: max |onnx - tfjs| over all outputs divided by max |tfjs|
 * (a relative error of the whole output tensor, immune to near-zero elements).
 */
export function relativeMaxError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    if (!Number.isFinite(actual[i]) || !Number.isFinite(expected[i])) return Infinity;
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Row-wise argmax of row-major scores. */
export function argmaxRows(scores: Float32Array, classes: number): Int32Array {
  const rows = scores.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[r * classes + c] > scores[r * classes + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Number of rows whose top score beats the runner-up by less than `margin` (ties tfjs/ORT may break differently). */
export function nearTies(scores: Float32Array, classes: number, margin: number): number {
  let count = 0;
  for (let r = 0; r < scores.length / classes; r++) {
    const row = Array.from(scores.subarray(r * classes, (r + 1) * classes)).sort((a, b) => b - a);
    if (row[0] - row[1] < margin) count++;
  }
  return count;
}
