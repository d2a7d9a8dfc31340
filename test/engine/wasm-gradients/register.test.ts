import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  addedWasmKernelConfigs,
  registerWasmGradientKernels,
  replacedWasmKernelConfigs,
} from '../../../src/engine/wasm-gradients/index.js';
import { seededNormal, useWasmWithGradientKernels } from './helpers.js';

beforeAll(useWasmWithGradientKernels);

describe('registerWasmGradientKernels', () => {
  it('installs the missing convolution gradient kernels and the faster replacements for wasm', () => {
    const names = tf.getKernelsForBackend('wasm').map((k) => k.kernelName);
    for (const name of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      expect(names).toContain(name);
    }
    for (const config of [...addedWasmKernelConfigs, ...replacedWasmKernelConfigs]) {
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
  });

  it('is idempotent: calling it again keeps the same kernels and forward results', () => {
    const x = seededNormal([4, 6], 1);
    const w = seededNormal([6, 3], 2);
    const before = tf.matMul(x, w, false, false).dataSync().slice();
    registerWasmGradientKernels();
    registerWasmGradientKernels();
    for (const config of replacedWasmKernelConfigs) {
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
    expect(Array.from(tf.matMul(x, w).dataSync())).toEqual(Array.from(before));
  });

  it('frees every intermediate buffer: repeated conv gradients leave the wasm backend with no extra tensors', () => {
    const x = tf.tensor(seededNormal([2, 9, 9, 3], 3).dataSync(), [2, 9, 9, 3]) as tf.Tensor4D;
    const w = tf.tensor(seededNormal([3, 3, 3, 4], 4).dataSync(), [3, 3, 3, 4]) as tf.Tensor4D;
    const d = tf.tensor(seededNormal([3, 3, 3, 2], 5).dataSync(), [3, 3, 3, 2]) as tf.Tensor4D;
    const step = () =>
      tf.tidy(() => {
        const g1 = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').sum())([x, w]);
        const g2 = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').sum())([
          x,
          d,
        ]);
        const g3 = tf.grads((a: tf.Tensor) => tf.matMul(a.reshape([18, 27]), a.reshape([18, 27]), true, false).sum())([x]);
        return [...g1, ...g2, ...g3].map((g) => g.sum());
      });
    tf.dispose(step());
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 3; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
  });
});
