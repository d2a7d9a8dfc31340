import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { welchTTest } from '../../../src/analysis/stats/welch-t-test.js';
import { expectClose, loadFixture, relativeError } from './fixtures.js';

const oracle = loadFixture('stats-oracle.json');
const exact = loadFixture('stats-extra/special-reference.json').welch_exact as any[];
const rReference = loadFixture('stats-extra/r-reference.json');
const exactById = new Map(exact.map((row) => [row.id, row]));

/** Cases where R's own t is more than 1e-12 away from the exact value (it loses digits near 1e6). */
const rInaccurate = (w: any) => relativeError(w.two_sided.r.t, w.exact.t) > 1e-12;

const computable = oracle.welch.filter((w: any) => w.exact);
const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 25 });
const spreadSample = sample.filter((xs) => new Set(xs).size > 1);
/** Values on a 0.001 grid (as measured data usually is), so a shift cannot make a sample constant. */
const thousandthsSample = fc
  .array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 2, maxLength: 25 })
  .filter((xs) => new Set(xs).size > 1)
  .map((xs) => xs.map((v) => v / 1000));

describe('welchTTest against the R / SciPy oracle', () => {
  it('has t and df within 1e-10 of the exact values for every case R could compute', () => {
    for (const w of computable) {
      const r = welchTTest(w.a, w.b);
      expectClose(r.t, w.exact.t, 1e-10, `${w.id} t`);
      expectClose(r.df, w.exact.df, 1e-10, `${w.id} df`);
      expect(r.degenerate).toBe(false);
      expect(r.essentiallyConstant).toBe(false);
    }
  });

  it('has two-sided p within 1e-9 of scipy.special.stdtr at the exact t and df', () => {
    for (const w of computable) {
      expectClose(welchTTest(w.a, w.b).p, w.exact.p_two_sided_stdtr, 1e-9, `${w.id} p`);
    }
  });

  it("has one-sided p and 95% intervals within 1e-9 of R's (and of exact arithmetic where R loses digits)", () => {
    for (const w of computable) {
      const truth = exactById.get(w.id);
      for (const alternative of ['two-sided', 'less', 'greater'] as const) {
        const key = alternative === 'two-sided' ? 'two_sided' : alternative;
        const r = welchTTest(w.a, w.b, { alternative });
        const R = w[key].r;
        if (!rInaccurate(w)) {
          expectClose(r.p, R.p, 1e-9, `${w.id} ${alternative} p vs R`);
          expectClose(r.ci[0], R.conf_int_95[0], 1e-9, `${w.id} ${alternative} ci[0] vs R`);
          expectClose(r.ci[1], R.conf_int_95[1], 1e-9, `${w.id} ${alternative} ci[1] vs R`);
          expectClose(r.stderr, R.stderr, 1e-12, `${w.id} stderr`);
        }
        const exactP = alternative === 'two-sided' ? truth.p_two_sided : alternative === 'less' ? truth.p_less : truth.p_greater;
        expectClose(r.p, exactP, 1e-12, `${w.id} ${alternative} p vs exact`);
        const exactCi =
          alternative === 'two-sided'
            ? truth.ci_two_sided
            : alternative === 'less'
              ? [-Infinity, truth.ci_less_upper]
              : [truth.ci_greater_lower, Infinity];
        expectClose(r.ci[0], exactCi[0], 1e-12, `${w.id} ${alternative} ci[0] vs exact`);
        expectClose(r.ci[1], exactCi[1], 1e-12, `${w.id} ${alternative} ci[1] vs exact`);
      }
    }
  });

  it('keeps the digits R loses for values near 1e6 (oracle w16_large_offset)', () => {
    const w = oracle.welch.find((c: any) => c.id === 'w16_large_offset');
    const r = welchTTest(w.a, w.b);
    expect(relativeError(w.two_sided.r.t, w.exact.t)).toBeGreaterThan(1e-8); // R's t is off
    expectClose(r.t, w.exact.t, 1e-13, 'w16 t');
  });

  it("matches R's t.test at other confidence levels and alternatives", () => {
    for (const c of rReference.welch) {
      for (const R of c.results) {
        const alternative = R.alternative === 'two.sided' ? 'two-sided' : R.alternative;
        const r = welchTTest(c.a, c.b, { alternative, confLevel: c.conf_level });
        expectClose(r.t, R.t, 1e-12, `${c.id} ${alternative} t`);
        expectClose(r.df, R.df, 1e-12, `${c.id} ${alternative} df`);
        expectClose(r.p, R.p, 1e-10, `${c.id} ${alternative} p`);
        expectClose(r.ci[0], R.conf_int[0], 1e-10, `${c.id} ${alternative} ci[0]`);
        expectClose(r.ci[1], R.conf_int[1], 1e-10, `${c.id} ${alternative} ci[1]`);
      }
    }
  });

  it('treats one constant sample normally (df = n_other - 1, oracle w09)', () => {
    const w = oracle.welch.find((c: any) => c.id === 'w09_a_constant');
    const r = welchTTest(w.a, w.b);
    expect(r.varA).toBe(0);
    expect(r.df).toBe(5);
    expect(r.degenerate).toBe(false);
  });
});

describe('welchTTest degenerate and invalid input', () => {
  it('follows SciPy when both samples are constant: ±Infinity and p = 0 if the means differ (oracle w11)', () => {
    const w = oracle.welch.find((c: any) => c.id === 'w11_both_constant_diff');
    const r = welchTTest(w.a, w.b);
    expect(r.degenerate).toBe(true);
    expect(r.t).toBe(w.two_sided.scipy.t);
    expect(r.p).toBe(w.two_sided.scipy.p);
    expect(r.ci).toEqual([-1, -1]);
    expect(welchTTest(w.a, w.b, { alternative: 'less' }).p).toBe(w.less.scipy.p);
    expect(welchTTest(w.a, w.b, { alternative: 'greater' }).p).toBe(w.greater.scipy.p);
  });

  it('returns t = p = NaN (documented) when both samples are the same constant (oracle w10)', () => {
    const w = oracle.welch.find((c: any) => c.id === 'w10_both_constant_equal');
    const r = welchTTest(w.a, w.b);
    expect(r.degenerate).toBe(true);
    expect(r.t).toBeNaN();
    expect(r.p).toBeNaN();
  });

  it("flags R's 'essentially constant' case: values differing only in their last bits", () => {
    const a = [0.1 + 0.2, 0.3, 0.3]; // 0.30000000000000004, 0.3, 0.3
    const b = [0.7, 0.7, 0.7 + 1e-16];
    const r = welchTTest(a, b);
    expect(r.degenerate).toBe(false);
    expect(r.essentiallyConstant).toBe(true);
    expect(welchTTest([1, 2, 3], [2, 3, 4]).essentiallyConstant).toBe(false);
    expect(welchTTest([1, 1], [2, 2]).essentiallyConstant).toBe(true);
  });

  it('throws INSUFFICIENT_SAMPLES naming the short sample (oracle w12)', () => {
    const w = oracle.welch.find((c: any) => c.id === 'w12_a_size1');
    expect(() => welchTTest(w.a, w.b)).toThrowError(
      expect.objectContaining({ code: 'INSUFFICIENT_SAMPLES', message: expect.stringMatching(/^a has 1 value/) }),
    );
    expect(() => welchTTest([1, 2], [])).toThrowError(
      expect.objectContaining({ code: 'INSUFFICIENT_SAMPLES', message: expect.stringMatching(/^b has 0 values/) }),
    );
  });

  it('throws NON_FINITE naming the argument and index', () => {
    expect(() => welchTTest([1, 2, 3], [1, Infinity, 2])).toThrowError(
      expect.objectContaining({ code: 'NON_FINITE', details: expect.objectContaining({ argument: 'b', index: 1 }) }),
    );
    expect(() => welchTTest([Number.NaN, 2, 3], [1, 2])).toThrowError(
      expect.objectContaining({ code: 'NON_FINITE', message: expect.stringContaining('a[0]') }),
    );
  });

  it('rejects bad options with INVALID_ARGUMENT', () => {
    expect(() => welchTTest([1, 2], [3, 4], { confLevel: 1 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => welchTTest([1, 2], [3, 4], { alternative: 'both' as never })).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('accepts typed arrays', () => {
    const r = welchTTest(new Float64Array([0.493, 1.067]), new Float32Array([0.5, 0.25]));
    expect(Number.isFinite(r.t)).toBe(true);
  });
});

describe('welchTTest properties', () => {
  it('p is in [0, 1] and the two-sided p is twice the smaller one-sided p, clipped at 1', () => {
    fc.assert(
      fc.property(spreadSample, spreadSample, (a, b) => {
        const two = welchTTest(a, b);
        const less = welchTTest(a, b, { alternative: 'less' });
        const greater = welchTTest(a, b, { alternative: 'greater' });
        for (const r of [two, less, greater]) {
          expect(r.p).toBeGreaterThanOrEqual(0);
          expect(r.p).toBeLessThanOrEqual(1);
        }
        const expected = Math.min(1, 2 * Math.min(less.p, greater.p));
        expect(Math.abs(two.p - expected)).toBeLessThanOrEqual(1e-14 + 1e-12 * expected);
        expect(Math.abs(less.p + greater.p - 1)).toBeLessThanOrEqual(1e-14);
      }),
      { seed: 101, numRuns: 200 },
    );
  });

  it('swapping a and b negates t and keeps df and the two-sided p', () => {
    fc.assert(
      fc.property(spreadSample, spreadSample, (a, b) => {
        const ab = welchTTest(a, b);
        const ba = welchTTest(b, a);
        expect(ba.t).toBe(-ab.t);
        expect(ba.df).toBe(ab.df);
        expect(ba.p).toBe(ab.p);
        expect(ba.ci[0]).toBeCloseTo(-ab.ci[1], 9);
      }),
      { seed: 103, numRuns: 200 },
    );
  });

  it('is invariant to adding the same constant to both samples', () => {
    fc.assert(
      fc.property(thousandthsSample, thousandthsSample, fc.integer({ min: -1e6, max: 1e6 }), (a, b, shift) => {
        const base = welchTTest(a, b);
        const shifted = welchTTest(
          a.map((v) => v + shift),
          b.map((v) => v + shift),
        );
        // adding the shift rounds each value once (by at most 1.1e-16 |shift|); nothing else may move t
        const inputNoise = (2.3e-16 * Math.abs(shift)) / base.stderr;
        expect(Math.abs(shifted.t - base.t)).toBeLessThanOrEqual((1e-13 + 10 * inputNoise) * (1 + Math.abs(base.t)));
        expect(Math.abs(shifted.df - base.df)).toBeLessThanOrEqual((1e-13 + 1e3 * inputNoise) * base.df);
      }),
      { seed: 107, numRuns: 200 },
    );
  });

  it('the interval contains the mean difference and excludes 0 exactly when p < 1 - confLevel', () => {
    fc.assert(
      fc.property(spreadSample, spreadSample, fc.constantFrom(0.8, 0.9, 0.95, 0.99), (a, b, confLevel) => {
        const r = welchTTest(a, b, { confLevel });
        expect(r.ci[0]).toBeLessThanOrEqual(r.meanDifference);
        expect(r.ci[1]).toBeGreaterThanOrEqual(r.meanDifference);
        const excludesZero = r.ci[0] > 0 || r.ci[1] < 0;
        const alpha = 1 - confLevel;
        if (Math.abs(r.p - alpha) > 1e-9) expect(excludesZero).toBe(r.p < alpha);
      }),
      { seed: 109, numRuns: 200 },
    );
  });
});
