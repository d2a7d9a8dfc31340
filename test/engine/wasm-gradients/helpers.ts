import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '../../../src/engine/wasm-gradients/index.js';

/** Initialises the wasm backend once, installs the composed kernels and leaves wasm active. */
export async function useWasmWithGradientKernels(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmGradientKernels();
}

/** Runs `body` on `backend` with copies of `inputs` made there, returning plain arrays. */
export function onBackend(backend: 'cpu' | 'wasm', inputs: tf.Tensor[], body: (...xs: tf.Tensor[]) => tf.Tensor[]): Float32Array[] {
  const previous = tf.getBackend();
  tf.setBackend(backend);
  try {
    return tf.tidy(() => {
      const local = inputs.map((t) => tf.tensor(t.dataSync() as Float32Array, t.shape, 'float32'));
      return body(...local).map((t) => t.dataSync() as Float32Array);
    });
  } finally {
    tf.setBackend(previous);
  }
}

/** max |a − b| / max |b|: the error of `a` relative to the scale of the reference `b`. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Seeded standard-normal tensor made on the cpu backend (identical values whichever backend is active). */
export function seededNormal(shape: number[], seed: number): tf.Tensor {
  const previous = tf.getBackend();
  tf.setBackend('cpu');
  try {
    return tf.randomNormal(shape, 0, 1, 'float32', seed);
  } finally {
    tf.setBackend(previous);
  }
}
