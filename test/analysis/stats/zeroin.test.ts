import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { zeroin } from '../../../src/analysis/stats/zeroin.js';

describe('zeroin', () => {
  it('finds roots to the requested tolerance', () => {
    expect(Math.abs(zeroin((x) => x * x - 2, 0, 2, { tol: 1e-15 }).root - Math.SQRT2)).toBeLessThanOrEqual(1e-15);
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), (root) => {
        const f = (x: number) => Math.atan(x - root);
        const result = zeroin(f, -200, 200, { tol: 1e-12 });
        expect(result.iterations).toBeGreaterThanOrEqual(0);
        expect(Math.abs(result.root - root)).toBeLessThanOrEqual(1e-11);
      }),
      { seed: 41, numRuns: 100 },
    );
  });

  it("reproduces R's uniroot with its default tolerance (uniroot(function(x) x^3 - x - 1, c(1, 2))$root)", () => {
    // R 4.2.2 prints 1.3247178251287683; the exact root is 1.3247179572447460
    expect(zeroin((x) => x ** 3 - x - 1, 1, 2).root).toBe(1.3247178251287683);
  });

  it('returns an endpoint that is already a root, and reports -1 iterations when the limit is hit', () => {
    expect(zeroin((x) => x - 1, 1, 3).root).toBe(1);
    expect(zeroin((x) => Math.atan(x - 1), 0, 3, { tol: 0, maxIterations: 2 }).iterations).toBe(-1);
  });
});
