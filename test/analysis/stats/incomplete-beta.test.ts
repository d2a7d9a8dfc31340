import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { incompleteBetaPair, regularizedIncompleteBeta } from '../../../src/analysis/stats/incomplete-beta.js';
import { expectClose, loadFixture } from './fixtures.js';

const reference = loadFixture('stats-extra/special-reference.json');

describe('regularizedIncompleteBeta', () => {
  it('matches 40-digit mpmath values to 1e-13 relative (tails, tiny and large parameters)', () => {
    for (const c of reference.incomplete_beta) {
      expectClose(regularizedIncompleteBeta(c.x, c.a, c.b), c.ref, 1e-13, `I_${c.x}(${c.a}, ${c.b})`);
    }
  });

  it('has closed forms I_x(a, 1) = x^a and I_x(1, b) = 1 - (1-x)^b', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), (x, a) => {
        expectClose(regularizedIncompleteBeta(x, a, 1), x ** a, 1e-13, `I_${x}(${a}, 1)`);
        expectClose(regularizedIncompleteBeta(x, 1, a), -Math.expm1(a * Math.log1p(-x)), 1e-13, `I_${x}(1, ${a})`);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('satisfies the reflection I_x(a, b) + I_{1-x}(b, a) = 1 and stays within [0, 1]', () => {
    fc.assert(
      fc.property(
        // x = k / 2^20, so that 1 - x is exact and both sides see the same point
        fc.integer({ min: 0, max: 2 ** 20 }).map((k) => k / 2 ** 20),
        fc.double({ min: 0.05, max: 500, noNaN: true }),
        fc.double({ min: 0.05, max: 500, noNaN: true }),
        (x, a, b) => {
          const pair = incompleteBetaPair(x, 1 - x, a, b);
          expect(pair.lower).toBeGreaterThanOrEqual(0);
          expect(pair.lower).toBeLessThanOrEqual(1);
          expect(Math.abs(pair.lower + pair.upper - 1)).toBeLessThanOrEqual(1e-15);
          const mirrored = regularizedIncompleteBeta(1 - x, b, a);
          expect(Math.abs(regularizedIncompleteBeta(x, a, b) + mirrored - 1)).toBeLessThanOrEqual(1e-13);
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it('is increasing in x', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        (x1, x2, a, b) => {
          const [lo, hi] = x1 <= x2 ? [x1, x2] : [x2, x1];
          expect(regularizedIncompleteBeta(lo, a, b)).toBeLessThanOrEqual(regularizedIncompleteBeta(hi, a, b) + 1e-15);
        },
      ),
      { seed: 9, numRuns: 200 },
    );
  });

  it('rejects x outside [0, 1] and non-positive parameters with INVALID_ARGUMENT', () => {
    for (const [x, a, b] of [
      [1.5, 1, 1],
      [Number.NaN, 1, 1],
      [0.5, 0, 1],
      [0.5, 1, -2],
      [0.5, Infinity, 1],
    ]) {
      expect(() => regularizedIncompleteBeta(x, a, b)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
