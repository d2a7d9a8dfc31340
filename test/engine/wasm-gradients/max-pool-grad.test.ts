import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { onBackend, relativeError, seededNormal, useWasmWithGradientKernels } from './helpers.js';

beforeAll(useWasmWithGradientKernels);

/** Integer-valued input (many ties inside windows) or continuous input, made on the cpu backend. */
function poolInput(shape: number[], seed: number, ties: boolean): tf.Tensor {
  if (!ties) return seededNormal(shape, seed);
  const previous = tf.getBackend();
  tf.setBackend('cpu');
  try {
    return tf.randomUniform(shape, 0, 3, 'int32', seed).toFloat();
  } finally {
    tf.setBackend(previous);
  }
}

describe('MaxPoolGrad on wasm', () => {
  it('matches the cpu backend (same routing, ties included) for random windows, strides and same/valid padding', () => {
    fc.assert(
      fc.property(
        fc.record({
          batch: fc.integer({ min: 1, max: 3 }),
          height: fc.integer({ min: 3, max: 10 }),
          width: fc.integer({ min: 3, max: 10 }),
          channels: fc.integer({ min: 1, max: 4 }),
          window: fc.integer({ min: 1, max: 3 }),
          stride: fc.integer({ min: 1, max: 3 }),
          pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
          ties: fc.boolean(),
          seed: fc.nat(1_000_000),
        }),
        (c) => {
          const x = poolInput([c.batch, c.height, c.width, c.channels], c.seed, c.ties);
          const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, c.window, c.stride, c.pad);
          const weight = seededNormal(pool(x).shape, c.seed + 1);
          const grad = (a: tf.Tensor, w: tf.Tensor) => [tf.grad((xi: tf.Tensor) => pool(xi).mul(w).sum())(a)];
          const [cpu] = onBackend('cpu', [x, weight], grad);
          const [wasm] = onBackend('wasm', [x, weight], grad);
          tf.dispose([x, weight]);
          // Overlapping windows add several dy values at one input: only the order of those sums may differ.
          return relativeError(wasm, cpu) <= 1e-6;
        },
      ),
      { seed: 20261124, numRuns: 80 },
    );
  });

  it('routes a 2x2 stride-2 gradient to the first maximum of each window', () => {
    // Windows (channel 0): [1 2; 4 7] -> 7, [5 5; 0 5] -> first 5 (row-major).
    const x = tf.tensor4d([1, 2, 5, 5, 4, 7, 0, 5], [1, 2, 4, 1]);
    const dx = tf.grad((t: tf.Tensor) =>
      tf
        .maxPool(t as tf.Tensor4D, 2, 2, 'valid')
        .mul(tf.tensor4d([10, 20], [1, 1, 2, 1]))
        .sum(),
    )(x);
    expect(Array.from(dx.dataSync())).toEqual([0, 0, 20, 0, 0, 10, 0, 0]);
  });
});
