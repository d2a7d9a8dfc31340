import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { studentTCdf, studentTPdf, studentTQuantile, studentTSf } from '../../../src/analysis/stats/student-t-distribution.js';
import { expectClose, loadFixture } from './fixtures.js';

const reference = loadFixture('stats-extra/special-reference.json');
const rReference = loadFixture('stats-extra/r-reference.json');

describe('studentTCdf / studentTSf', () => {
  it('match 40-digit mpmath values to 3e-13 relative for df from 1 to 1e6, tails included', () => {
    for (const c of reference.student_t) {
      expectClose(studentTCdf(c.t, c.df), c.cdf, 3e-13, `studentTCdf(${c.t}, ${c.df})`);
      expectClose(studentTSf(c.t, c.df), c.sf, 3e-13, `studentTSf(${c.t}, ${c.df})`);
    }
  });

  it('match the closed forms for df = 1 (Cauchy) and df = 2', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (t) => {
        // The far tail of the Cauchy closed form is itself computed without cancellation.
        const cauchyLower = t < 0 ? Math.atan(-1 / t) / Math.PI : 0.5 + Math.atan(t) / Math.PI;
        expectClose(studentTCdf(t, 1), cauchyLower, 1e-13, `Cauchy(${t})`);
        const df2 = 0.5 + t / (2 * Math.sqrt(2 + t * t));
        if (t > -10) expectClose(studentTCdf(t, 2), df2, 1e-13, `df=2 at ${t}`);
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  it('are symmetric: CDF(t) = SF(-t), and CDF + SF = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0.5, max: 1e5, noNaN: true }), (t, df) => {
        expect(studentTCdf(t, df)).toBe(studentTSf(-t, df));
        expect(Math.abs(studentTCdf(t, df) + studentTSf(t, df) - 1)).toBeLessThanOrEqual(1e-15);
        const p = studentTCdf(t, df);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }),
      { seed: 23, numRuns: 300 },
    );
  });

  it('tend to the standard normal: df = Infinity gives Φ', () => {
    expectClose(studentTCdf(-1.959963984540054, Infinity), 0.025, 1e-14, 'Φ(-1.96)');
    expectClose(studentTSf(5, Infinity), 2.866515718791939e-7, 1e-13, '1 - Φ(5)');
    expect(studentTCdf(Infinity, 3)).toBe(1);
    expect(studentTCdf(-Infinity, 3)).toBe(0);
  });

  it('reject NaN t and non-positive df with INVALID_ARGUMENT', () => {
    expect(() => studentTCdf(Number.NaN, 3)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => studentTCdf(1, 0)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => studentTSf(1, -1)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('studentTPdf', () => {
  it('is 1/π at 0 for df = 1 and integrates to the CDF (finite differences)', () => {
    expectClose(studentTPdf(0, 1), 1 / Math.PI, 1e-15, 'Cauchy density at 0');
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 1, max: 200, noNaN: true }), (t, df) => {
        const h = 1e-5;
        const slope = (studentTCdf(t + h, df) - studentTCdf(t - h, df)) / (2 * h);
        expect(Math.abs(slope - studentTPdf(t, df))).toBeLessThanOrEqual(1e-7);
      }),
      { seed: 29, numRuns: 100 },
    );
  });
});

describe('studentTQuantile', () => {
  it('matches 40-digit mpmath quantiles to 1e-13 relative (p down to 1e-300, df 1 to 1e6)', () => {
    for (const c of reference.student_t_quantile) {
      expectClose(studentTQuantile(c.p, c.df), c.ref, 1e-13, `studentTQuantile(${c.p}, ${c.df})`);
    }
  });

  it("matches R's qt to 1e-12 relative for p >= 1e-20 (R's qt loses digits further out; mpmath covers that)", () => {
    for (const c of rReference.qt.filter((row: { p: number }) => row.p >= 1e-20 && row.p <= 1 - 1e-20)) {
      expectClose(studentTQuantile(c.p, c.df), c.q, 1e-12, `qt(${c.p}, ${c.df})`);
    }
  });

  it('inverts the CDF to full precision', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), fc.double({ min: 0.3, max: 1e5, noNaN: true }), (p, df) => {
        const q = studentTQuantile(p, df);
        const back = p < 0.5 ? studentTCdf(q, df) : studentTSf(q, df);
        expectClose(back, p < 0.5 ? p : 1 - p, 1e-12, `CDF(quantile(${p}, ${df}))`);
      }),
      { seed: 31, numRuns: 200 },
    );
  });

  it('gives ±Infinity at p = 0 and 1, 0 at 1/2, and rejects p outside [0, 1]', () => {
    expect(studentTQuantile(0, 4)).toBe(-Infinity);
    expect(studentTQuantile(1, 4)).toBe(Infinity);
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(() => studentTQuantile(1.2, 4)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => studentTQuantile(Number.NaN, 4)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
