import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { regularizedLowerGamma, regularizedUpperGamma } from '../../../src/analysis/stats/incomplete-gamma.js';
import { expectClose, loadFixture } from './fixtures.js';

const reference = loadFixture('stats-extra/special-reference.json');

describe('regularizedUpperGamma / regularizedLowerGamma', () => {
  it('match 40-digit mpmath values of Q(a, x) to 1e-13 relative, including a = 5e5 and far tails', () => {
    for (const c of reference.upper_gamma) {
      expectClose(regularizedUpperGamma(c.a, c.x), c.ref, 1e-13, `Q(${c.a}, ${c.x})`);
    }
  });

  it('have the closed form Q(1, x) = e^-x and P + Q = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 700, noNaN: true }), fc.double({ min: 0.01, max: 1000, noNaN: true }), (x, a) => {
        expectClose(regularizedUpperGamma(1, x), Math.exp(-x), 1e-13, `Q(1, ${x})`);
        const sum = regularizedUpperGamma(a, x) + regularizedLowerGamma(a, x);
        expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-15);
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('handle the ends x = 0 and x = Infinity', () => {
    expect(regularizedUpperGamma(2, 0)).toBe(1);
    expect(regularizedLowerGamma(2, 0)).toBe(0);
    expect(regularizedUpperGamma(2, Infinity)).toBe(0);
  });

  it('reject a <= 0, x < 0 and NaN with INVALID_ARGUMENT', () => {
    for (const [a, x] of [
      [0, 1],
      [1, -1],
      [Number.NaN, 1],
      [1, Number.NaN],
    ]) {
      expect(() => regularizedUpperGamma(a, x)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
