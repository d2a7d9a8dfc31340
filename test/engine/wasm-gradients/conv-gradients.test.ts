import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { onBackend, relativeError, seededNormal, useWasmWithGradientKernels } from './helpers.js';

type Padding = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

const TOLERANCE = 5e-6;

/** Random small convolution problems: batch, spatial size, channels, filter, stride, padding. */
const convCase = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 3, max: 9 }),
    width: fc.integer({ min: 3, max: 9 }),
    inChannels: fc.integer({ min: 1, max: 4 }),
    outOrMultiplier: fc.integer({ min: 1, max: 5 }),
    filterHeight: fc.integer({ min: 1, max: 3 }),
    filterWidth: fc.integer({ min: 1, max: 3 }),
    stride: fc.constantFrom(1, 2),
    padKind: fc.constantFrom('same', 'valid', 'explicit'),
    explicit: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    seed: fc.nat(1_000_000),
  })
  .map((c) => {
    const pad: Padding =
      c.padKind === 'explicit'
        ? [
            [0, 0],
            [c.explicit[0], c.explicit[1]],
            [c.explicit[2], c.explicit[3]],
            [0, 0],
          ]
        : (c.padKind as 'same' | 'valid');
    return { ...c, pad };
  });

beforeAll(useWasmWithGradientKernels);

type Conv = (x: tf.Tensor4D, w: tf.Tensor4D, strides: number, pad: Padding) => tf.Tensor4D;

/**
 * Largest wasm-vs-cpu relative error of dx and dw of `conv` over 60 random problems (each one must
 * also be within TOLERANCE, so fast-check reports the first failing shape).
 */
function worstGradientError(conv: Conv, seed: number): number {
  let worst = 0;
  fc.assert(
    fc.property(convCase, (c) => {
      const x = seededNormal([c.batch, c.height, c.width, c.inChannels], c.seed);
      const w = seededNormal([c.filterHeight, c.filterWidth, c.inChannels, c.outOrMultiplier], c.seed + 1);
      const out = conv(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad);
      // A weighted sum makes dy a random tensor rather than all ones.
      const weight = seededNormal(out.shape, c.seed + 2);
      const grads = (a: tf.Tensor, b: tf.Tensor, r: tf.Tensor) =>
        tf.grads((xi: tf.Tensor, wi: tf.Tensor) =>
          conv(xi as tf.Tensor4D, wi as tf.Tensor4D, c.stride, c.pad)
            .mul(r)
            .sum(),
        )([a, b]);
      const [cpuDx, cpuDw] = onBackend('cpu', [x, w, weight], grads);
      const [wasmDx, wasmDw] = onBackend('wasm', [x, w, weight], grads);
      const err = Math.max(relativeError(wasmDx, cpuDx), relativeError(wasmDw, cpuDw));
      worst = Math.max(worst, err);
      tf.dispose([x, w, out, weight]);
      return err <= TOLERANCE;
    }),
    { seed, numRuns: 60 },
  );
  return worst;
}

describe('Conv2DBackpropFilter / Conv2DBackpropInput on wasm', () => {
  it('tf.grad of a conv2d matches the cpu backend for random shapes, strides 1|2 and same/valid/explicit padding', () => {
    expect(worstGradientError(tf.conv2d, 20261121)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('Conv2DBackpropFilter also accepts NCHW input and dy', () => {
    const x = seededNormal([2, 3, 7, 6], 11);
    const dy = seededNormal([2, 4, 4, 3], 12);
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
    const run = (a: tf.Tensor, b: tf.Tensor) => [
      tf.engine().runKernel('Conv2DBackpropFilter', { x: a, dy: b }, attrs as never) as tf.Tensor,
    ];
    const [cpu] = onBackend('cpu', [x, dy], run);
    const [wasm] = onBackend('wasm', [x, dy], run);
    expect(relativeError(wasm, cpu)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('DepthwiseConv2dNative gradients on wasm', () => {
  it('tf.grad of a depthwiseConv2d matches the cpu backend (channel multiplier 1..5, strides 1|2, all paddings)', () => {
    expect(worstGradientError(tf.depthwiseConv2d, 20261122)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('depthwise gradient kernels outside their domain', () => {
  it('reject dilated depthwise convolutions with INVALID_ARGUMENT naming the kernel', () => {
    const x = seededNormal([1, 9, 9, 2], 1);
    const dy = seededNormal([1, 5, 5, 2], 2);
    const attrs = { strides: [1, 1], dilations: [2, 2], pad: 'valid', filterShape: [3, 3, 2, 1] };
    expect(() => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs as never)).toThrow(
      /DepthwiseConv2dNativeBackpropFilter on wasm supports only dilations 1/,
    );
  });
});
