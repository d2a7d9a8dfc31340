import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { onBackend, relativeError, seededNormal, useWasmWithGradientKernels } from './helpers.js';

beforeAll(useWasmWithGradientKernels);

describe('BatchMatMul with transposed operands on wasm', () => {
  it('matches the cpu backend for random sizes, batch shapes (with the broadcasting of a single matrix that tfjs supports) and all four transpose flags', () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 40 }),
          k: fc.integer({ min: 1, max: 40 }),
          n: fc.integer({ min: 1, max: 40 }),
          batch: fc.constantFrom<number[][]>(
            [[], []],
            [[3], [3]],
            [[1], [4]],
            [
              [2, 3],
              [2, 3],
            ],
            [
              [2, 3],
              [1, 1],
            ],
            [[4], []],
          ),
          transposeA: fc.boolean(),
          transposeB: fc.boolean(),
          seed: fc.nat(1_000_000),
        }),
        (c) => {
          const [batchA, batchB] = c.batch;
          const a = seededNormal([...batchA, ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])], c.seed);
          const b = seededNormal([...batchB, ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])], c.seed + 1);
          const product = (x: tf.Tensor, y: tf.Tensor) => [tf.matMul(x, y, c.transposeA, c.transposeB)];
          const [cpu] = onBackend('cpu', [a, b], product);
          const [wasm] = onBackend('wasm', [a, b], product);
          tf.dispose([a, b]);
          return relativeError(wasm, cpu) <= 5e-6;
        },
      ),
      { seed: 20261123, numRuns: 80 },
    );
  });

  it('dense-layer gradients (Aᵀ·dy and dy·Wᵀ) match the cpu backend', () => {
    const x = seededNormal([32, 300], 1);
    const w = seededNormal([300, 24], 2);
    const r = seededNormal([32, 24], 3);
    const grads = (a: tf.Tensor, b: tf.Tensor, s: tf.Tensor) =>
      tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.matMul(xi, wi).mul(s).sum())([a, b]);
    const [cpuDx, cpuDw] = onBackend('cpu', [x, w, r], grads);
    const [wasmDx, wasmDw] = onBackend('wasm', [x, w, r], grads);
    expect(relativeError(wasmDx, cpuDx)).toBeLessThanOrEqual(5e-6);
    expect(relativeError(wasmDw, cpuDw)).toBeLessThanOrEqual(5e-6);
  });
});
