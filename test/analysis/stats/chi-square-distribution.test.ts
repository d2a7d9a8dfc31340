import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chiSquareCdf, chiSquareSf } from '../../../src/analysis/stats/chi-square-distribution.js';
import { expectClose, loadFixture } from './fixtures.js';

const reference = loadFixture('stats-extra/special-reference.json');

describe('chiSquareSf / chiSquareCdf', () => {
  it('match 40-digit mpmath survival values to 1e-13 relative', () => {
    for (const c of reference.chi_square_sf) {
      expectClose(chiSquareSf(c.x, c.k), c.ref, 1e-13, `chiSquareSf(${c.x}, ${c.k})`);
    }
  });

  it('give the 5% critical value of one degree of freedom and e^(-x/2) for two', () => {
    expectClose(chiSquareSf(3.841458820694124, 1), 0.05, 1e-14, 'chi2(1) at 3.84');
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1400, noNaN: true }), (x) => {
        expectClose(chiSquareSf(x, 2), Math.exp(-x / 2), 1e-13, `chiSquareSf(${x}, 2)`);
        expect(Math.abs(chiSquareSf(x, 2) + chiSquareCdf(x, 2) - 1)).toBeLessThanOrEqual(1e-15);
      }),
      { seed: 17, numRuns: 200 },
    );
  });

  it('return 1 (sf) and 0 (cdf) at x <= 0 and reject bad degrees of freedom', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(-2, 3)).toBe(1);
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(() => chiSquareSf(1, 0)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => chiSquareSf(Number.NaN, 1)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
