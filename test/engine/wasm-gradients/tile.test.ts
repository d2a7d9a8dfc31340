import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { onBackend, seededNormal, useWasmWithGradientKernels } from './helpers.js';

beforeAll(useWasmWithGradientKernels);

describe('Tile on wasm', () => {
  it('equals the cpu backend for random shapes and repetitions (the memcpy fast path and the general one)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ size: fc.integer({ min: 1, max: 4 }), rep: fc.integer({ min: 1, max: 3 }), unit: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat(1_000_000),
        (axes, seed) => {
          // Unit axes first make the fast path likely; the rest exercise the general kernel.
          const shape = axes.map((a) => (a.unit ? 1 : a.size));
          const reps = axes.map((a) => a.rep);
          const x = seededNormal(shape, seed);
          const [cpu] = onBackend('cpu', [x], (t) => [tf.tile(t, reps)]);
          const [wasm] = onBackend('wasm', [x], (t) => [tf.tile(t, reps)]);
          x.dispose();
          return cpu.length === wasm.length && cpu.every((v, i) => v === wasm[i]);
        },
      ),
      { seed: 20261125, numRuns: 120 },
    );
  });

  it('tiles a per-channel vector over batch and space as batch-norm gradients do', () => {
    const v = seededNormal([1, 1, 1, 5], 3);
    const [cpu] = onBackend('cpu', [v], (t) => [tf.tile(t, [3, 4, 2, 1])]);
    const [wasm] = onBackend('wasm', [v], (t) => [tf.tile(t, [3, 4, 2, 1])]);
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
  });
});
