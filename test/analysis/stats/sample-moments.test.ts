import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sampleMoments } from '../../../src/analysis/stats/sample-moments.js';
import { compensatedSum } from '../../../src/analysis/stats/sum.js';
import { expectClose } from './fixtures.js';

describe('sampleMoments', () => {
  it('keeps all digits of values near 1e6 that differ by 1e-3', () => {
    const m = sampleMoments([1e6 + 0.001, 1e6 + 0.002, 1e6 + 0.003], 'a');
    // the doubles nearest these values differ from them by < 6e-11, so the variance is 1e-6 to ~1e-7 relative
    expectClose(m.variance, 1e-6, 2e-7, 'variance');
    expectClose(m.mean, 1e6 + 0.002, 1e-16, 'mean');
  });

  it('gives variance exactly 0 for a constant sample and is shift invariant', () => {
    expect(sampleMoments([3.3, 3.3, 3.3, 3.3], 'a').variance).toBe(0);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.integer({ min: -1000, max: 1000 }),
        (values, shift) => {
          const base = sampleMoments(values, 'a');
          const shifted = sampleMoments(
            values.map((v) => v + shift),
            'a',
          );
          // shifting rounds each value once (relative 1e-16 of |shift|), nothing more
          expect(Math.abs(shifted.variance - base.variance)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(shift)) * (1 + base.variance));
        },
      ),
      { seed: 43, numRuns: 200 },
    );
  });

  it('throws INSUFFICIENT_SAMPLES and NON_FINITE naming the argument', () => {
    expect(() => sampleMoments([1], 'b')).toThrowError(
      expect.objectContaining({ code: 'INSUFFICIENT_SAMPLES', message: expect.stringContaining('b') }),
    );
    expect(() => sampleMoments([1, Number.NaN], 'a')).toThrowError(
      expect.objectContaining({ code: 'NON_FINITE', message: expect.stringContaining('a[1]') }),
    );
  });
});

describe('compensatedSum', () => {
  it('recovers terms lost by naive summation', () => {
    expect(compensatedSum([1e16, 1, -1e16])).toBe(1);
    expect(compensatedSum(new Float64Array([1, 1e100, 1, -1e100]))).toBe(2);
  });
});
