import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hypergeometricCdf, logHypergeometricPmf } from '../../../src/analysis/stats/hypergeometric-distribution.js';
import { expectClose, loadFixture } from './fixtures.js';

const reference = loadFixture('stats-extra/special-reference.json');

/** Exact pmf by BigInt binomials, for small cases. */
function exactPmf(x: number, r: number, b: number, n: number): number {
  const choose = (m: number, k: number): bigint => {
    if (k < 0 || k > m) return 0n;
    let result = 1n;
    for (let i = 1; i <= k; i++) result = (result * BigInt(m - k + i)) / BigInt(i);
    return result;
  };
  const numerator = choose(r, x) * choose(b, n - x);
  const denominator = choose(r + b, n);
  // scale to keep 20 significant digits through Number()
  const scale = 10n ** 30n;
  return Number((numerator * scale) / denominator) / 1e30;
}

describe('logHypergeometricPmf / hypergeometricCdf', () => {
  it('match exact rational values (counts up to thousands) to 1e-13', () => {
    for (const c of reference.hypergeometric) {
      expect(Math.abs(logHypergeometricPmf(c.x, c.r, c.b, c.n) - c.log_pmf), `log pmf ${c.x},${c.r},${c.b},${c.n}`).toBeLessThanOrEqual(
        2e-13,
      );
      expectClose(hypergeometricCdf(c.x, c.r, c.b, c.n), c.cdf, 1e-13, `cdf ${c.x},${c.r},${c.b},${c.n}`);
      expectClose(hypergeometricCdf(c.x, c.r, c.b, c.n, false), c.sf, 1e-13, `sf ${c.x},${c.r},${c.b},${c.n}`);
    }
  });

  it('agree with exact BigInt probabilities on random small tables, and the pmf sums to 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 60 }), (r, b, nRaw) => {
        const n = Math.min(nRaw, r + b);
        let total = 0;
        for (let x = Math.max(0, n - b); x <= Math.min(n, r); x++) {
          const pmf = Math.exp(logHypergeometricPmf(x, r, b, n));
          const exact = exactPmf(x, r, b, n);
          if (exact > 1e-25) expectClose(pmf, exact, 1e-12, `pmf(${x}; ${r}, ${b}, ${n})`);
          total += pmf;
        }
        expect(Math.abs(total - 1)).toBeLessThanOrEqual(1e-13);
      }),
      { seed: 37, numRuns: 150 },
    );
  });

  it('has lower and upper tails summing to 1 and zero probability outside the support', () => {
    expect(logHypergeometricPmf(5, 4, 4, 4)).toBe(-Infinity);
    expect(hypergeometricCdf(-1, 4, 4, 4)).toBe(0);
    expect(hypergeometricCdf(4, 4, 4, 4)).toBe(1);
    for (let x = 0; x <= 4; x++) {
      expect(Math.abs(hypergeometricCdf(x, 4, 4, 4) + hypergeometricCdf(x, 4, 4, 4, false) - 1)).toBeLessThanOrEqual(1e-15);
    }
  });
});
