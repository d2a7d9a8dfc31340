import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '../../../src/engine/wasm-gradients/index.js';
import { onBackend, relativeError, seededNormal } from './helpers.js';

// Runs in its own test file (own process): the kernels are registered before the wasm backend exists.
describe('registerWasmGradientKernels before the wasm backend initialises', () => {
  it('still gives working wrapped kernels (their setup is forwarded to the backend kernels they wrap)', async () => {
    registerWasmGradientKernels();
    await tf.setBackend('wasm');
    await tf.ready();
    const a = seededNormal([20, 7], 1);
    const b = seededNormal([20, 5], 2);
    const v = seededNormal([1, 3], 3);
    // A transposed product (wrapper path), an untransposed one (delegated to the backend's kernel) and a tile.
    const run = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => [
      tf.matMul(x, y, true, false),
      tf.matMul(x.transpose(), x),
      tf.tile(z, [4, 1]),
    ];
    const cpu = onBackend('cpu', [a, b, v], run);
    const wasm = onBackend('wasm', [a, b, v], run);
    for (let i = 0; i < cpu.length; i++) expect(relativeError(wasm[i], cpu[i])).toBeLessThanOrEqual(5e-6);
  });
});
