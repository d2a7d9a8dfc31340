import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  classImpactTest,
  CONSTANT_DIFFERENT_REASON,
  CONSTANT_EQUAL_REASON,
  CONSTANT_UNREACHABLE_REASON,
} from '../../src/analysis/class-impact-test.js';
import { constantSamplesPermutationP } from '../../src/analysis/constant-samples-permutation-p.js';
import { welchTTest } from '../../src/analysis/stats/index.js';
import { codeOf } from './helpers.js';

const SEED = 31337;

const fraction = fc.integer({ min: 0, max: 1000 }).map((x) => x / 1000);

const inputArb = fc
  .record({ nB: fc.integer({ min: 2, max: 8 }), nK: fc.integer({ min: 2, max: 8 }), nClasses: fc.integer({ min: 1, max: 5 }) })
  .chain(({ nB, nK, nClasses }) =>
    fc.record({
      baselineRecall: fc.array(fc.array(fraction, { minLength: nClasses, maxLength: nClasses }), { minLength: nB, maxLength: nB }),
      compressedRecall: fc.array(fc.array(fraction, { minLength: nClasses, maxLength: nClasses }), { minLength: nK, maxLength: nK }),
      baselineAccuracy: fc.array(fraction, { minLength: nB, maxLength: nB }),
      compressedAccuracy: fc.array(fraction, { minLength: nK, maxLength: nK }),
    }),
  );

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('classImpactTest', () => {
  it('equals a direct Welch test on accuracy-normalized recalls, class by class', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = classImpactTest(input);
        const aB = mean(input.baselineAccuracy);
        const aK = mean(input.compressedAccuracy);
        result.classes.forEach((row, c) => {
          const normB = input.baselineRecall.map((r) => r[c] - aB);
          const normK = input.compressedRecall.map((r) => r[c] - aK);
          expect(row.classIndex).toBe(c);
          expect(row.status).toBe('ok');
          expect(row.normalizedRecallChange).toBeCloseTo(mean(normK) - mean(normB), 11);
          expect(row.baselineMeanRecall).toBeCloseTo(mean(input.baselineRecall.map((r) => r[c])), 12);
          const direct = welchTTest(normK, normB, { alternative: 'two-sided' });
          if (row.degenerate) {
            expect(row.t).toBeNull();
            // Never p = 0: the exact permutation floor 2 / C(nB + nK, nB), or 1 when the values are equal.
            const floor = constantSamplesPermutationP(input.baselineRecall.length, input.compressedRecall.length);
            expect(row.p === floor || row.p === 1).toBe(true);
            if (row.status === 'inconclusive') {
              expect(row.reason).toBe(CONSTANT_UNREACHABLE_REASON);
              expect(row.p).toBeGreaterThan(0.05);
              return;
            }
          } else {
            expect(row.t).toBe(direct.t);
            expect(row.df).toBe(direct.df);
            expect(row.p).toBe(direct.p);
          }
          // Default correction 'none' keeps p; significance is p < alpha; direction follows the sign.
          expect(row.pAdjusted).toBe(row.p);
          expect(row.significant).toBe((row.p as number) < 0.05);
          if (row.significant) expect(row.direction).toBe((row.normalizedRecallChange as number) < 0 ? 'hurt' : 'spared');
          else expect(row.direction).toBe('unchanged');
        });
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('keeps p-values in [0, 1], and adjusted p-values never below the raw ones', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.constantFrom('holm', 'bh', 'bonferroni') as fc.Arbitrary<'holm' | 'bh' | 'bonferroni'>,
        (input, correction) => {
          const result = classImpactTest(input, { correction, alpha: 0.1 });
          for (const row of result.classes) {
            expect(row.p).not.toBeNull();
            if (row.status === 'inconclusive') continue;
            expect(row.p as number).toBeGreaterThanOrEqual(0);
            expect(row.p as number).toBeLessThanOrEqual(1);
            expect(row.pAdjusted as number).toBeGreaterThanOrEqual((row.p as number) - 1e-15);
            expect(row.pAdjusted as number).toBeLessThanOrEqual(1);
            expect(row.significant).toBe((row.pAdjusted as number) < 0.1);
          }
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('marks every class inconclusive with a population of one model, without a p-value or an error', () => {
    const r = classImpactTest({
      baselineRecall: [[0.9, 0.5]],
      compressedRecall: [
        [0.8, 0.2],
        [0.82, 0.25],
      ],
      baselineAccuracy: [0.7],
      compressedAccuracy: [0.6, 0.61],
    });
    for (const row of r.classes) {
      expect(row.status).toBe('inconclusive');
      expect(row.reason).toBe('need at least 2 models per level');
      expect(row.p).toBeNull();
      expect(row.pAdjusted).toBeNull();
      expect(row.significant).toBe(false);
      expect(row.direction).toBeNull();
    }
    expect(r.nInconclusive).toBe(2);
  });

  it('marks a class without examples inconclusive and adjusts only over the testable classes', () => {
    const r = classImpactTest(
      {
        baselineRecall: [
          [0.9, null, 0.5],
          [0.91, null, 0.52],
          [0.88, null, 0.49],
        ],
        compressedRecall: [
          [0.7, null, 0.5],
          [0.72, null, 0.51],
          [0.69, null, 0.5],
        ],
        baselineAccuracy: [0.8, 0.81, 0.79],
        compressedAccuracy: [0.78, 0.79, 0.77],
      },
      { correction: 'bonferroni' },
    );
    expect(r.classes[1].status).toBe('inconclusive');
    expect(r.classes[1].reason).toBe('class has no examples');
    expect(r.classes[1].normalizedRecallChange).toBeNull();
    const ok = r.classes.filter((x) => x.status === 'ok');
    expect(ok).toHaveLength(2);
    for (const row of ok) expect(row.pAdjusted).toBeCloseTo(Math.min(1, 2 * (row.p as number)), 12);
    expect(r.classes[0].direction).toBe('hurt');
  });

  it('decides zero-variance classes exactly: equal values unchanged (p = 1), different values by the exact permutation p', () => {
    const twoModels = {
      baselineRecall: [
        [1, 0.5],
        [1, 0.5],
      ],
      compressedRecall: [
        [1, 0.3],
        [1, 0.3],
      ],
      baselineAccuracy: [0.8, 0.8],
      compressedAccuracy: [0.8, 0.8],
    };
    const r = classImpactTest(twoModels);
    expect(r.classes[0]).toMatchObject({
      status: 'ok',
      degenerate: true,
      p: 1,
      t: null,
      df: null,
      significant: false,
      direction: 'unchanged',
    });
    // 2 + 2 models: the most extreme split of four has p = 2/6; no alpha below 1/3 can be reached.
    expect(r.classes[1]).toMatchObject({ status: 'inconclusive', degenerate: true, t: null, significant: false, direction: null });
    expect(r.classes[1].p).toBeCloseTo(1 / 3, 15);
    expect(r.classes[1].reason).toBe(CONSTANT_UNREACHABLE_REASON);
    expect(r.nHurt).toBe(0);
    // With 5 + 5 models the same pattern reaches alpha: p = 2 / C(10, 5).
    const five = classImpactTest({
      baselineRecall: Array.from({ length: 5 }, () => [1, 0.5]),
      compressedRecall: Array.from({ length: 5 }, () => [1, 0.3]),
      baselineAccuracy: new Array(5).fill(0.8),
      compressedAccuracy: new Array(5).fill(0.8),
    });
    expect(five.classes[1]).toMatchObject({
      status: 'ok',
      degenerate: true,
      significant: true,
      direction: 'hurt',
      reason: CONSTANT_DIFFERENT_REASON,
    });
    expect(five.classes[1].p).toBeCloseTo(2 / 252, 15);
    expect(five.classes[1].normalizedRecallChange).toBeCloseTo(-0.2, 11);
  });

  it('gives the exact permutation p of scipy.stats.permutation_test for constant samples', () => {
    // /usr/bin/python3: scipy.stats.permutation_test((ones(a), zeros(b)), mean difference, permutation_type='independent',
    // alternative='two-sided', n_resamples=inf).pvalue
    const scipy: Array<[number, number, number]> = [
      [2, 2, 0.3333333333333333],
      [3, 2, 0.2],
      [2, 4, 0.13333333333333333],
      [5, 5, 0.007936507936507936],
      [4, 7, 0.006060606060606061],
      [6, 6, 0.0021645021645021645],
      [10, 10, 1.082508822446903e-5],
    ];
    for (const [a, b, p] of scipy) expect(constantSamplesPermutationP(a, b)).toBeCloseTo(p, 15);
    // Far beyond enumeration it stays positive (the floor of a design is never 0).
    expect(constantSamplesPermutationP(600, 600)).toBeGreaterThan(0);
  });

  it('never gives p = 0 or a hurt class that the design cannot support (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.constantFrom(0, 0.25, 1),
        fc.constantFrom(0, 0.5, 1),
        fc.constantFrom('none', 'holm', 'bh') as fc.Arbitrary<'none' | 'holm' | 'bh'>,
        (nB, nK, before, after, correction) => {
          const r = classImpactTest(
            {
              baselineRecall: Array.from({ length: nB }, () => [before]),
              compressedRecall: Array.from({ length: nK }, () => [after]),
              baselineAccuracy: new Array(nB).fill(0.7),
              compressedAccuracy: new Array(nK).fill(0.6),
            },
            { correction },
          );
          const row = r.classes[0];
          expect(row.p).toBeGreaterThan(0);
          const floor = constantSamplesPermutationP(nB, nK);
          if (before === after) expect(row).toMatchObject({ p: 1, direction: 'unchanged' });
          else if (floor > 0.05) expect(row).toMatchObject({ status: 'inconclusive', direction: null, significant: false });
          else expect(row).toMatchObject({ status: 'ok', p: floor, significant: true });
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('keeps a class at 100% recall in every model unchanged (p = 1) while top-1 moves from 91.5% to 93.1%', () => {
    // Class 0 is perfect everywhere; class 1 varies. The normalizers differ by 1.6 pp, which alone once gave p = 0.
    const r = classImpactTest(
      {
        baselineRecall: [
          [1, 0.83],
          [1, 0.84],
          [1, 0.82],
          [1, 0.85],
        ],
        compressedRecall: [
          [1, 0.86],
          [1, 0.87],
          [1, 0.85],
          [1, 0.88],
        ],
        baselineAccuracy: [0.914, 0.916, 0.913, 0.917],
        compressedAccuracy: [0.93, 0.932, 0.931, 0.931],
      },
      { correction: 'holm' },
    );
    expect(r.compressedMeanAccuracy - r.baselineMeanAccuracy).toBeCloseTo(0.016, 12);
    expect(r.classes[0]).toMatchObject({
      status: 'ok',
      degenerate: true,
      p: 1,
      pAdjusted: 1,
      significant: false,
      direction: 'unchanged',
      t: null,
    });
    expect(r.classes[0].reason).toBe(CONSTANT_EQUAL_REASON);
    // The normalized difference is still reported (−1.6 pp): it is the estimate, not a verdict.
    expect(r.classes[0].normalizedRecallChange).toBeCloseTo(-0.016, 11);
    expect(r.nHurt + r.nSpared).toBe(r.classes.filter((c) => c.significant).length);
    expect(r.classes.filter((c) => c.classIndex === 0 && c.significant)).toHaveLength(0);
  });

  it('keeps a class at 0% recall in every model unchanged, whatever top-1 does', () => {
    const r = classImpactTest({
      baselineRecall: [
        [0, 0.9],
        [0, 0.95],
        [0, 0.92],
      ],
      compressedRecall: [
        [0, 0.7],
        [0, 0.72],
        [0, 0.69],
      ],
      baselineAccuracy: [0.85, 0.9, 0.87],
      compressedAccuracy: [0.66, 0.68, 0.65],
    });
    expect(r.classes[0]).toMatchObject({
      status: 'ok',
      degenerate: true,
      p: 1,
      significant: false,
      direction: 'unchanged',
      reason: CONSTANT_EQUAL_REASON,
    });
    expect(r.nSpared).toBe(0);
  });

  it('decides a class constant within each population but different between them by its exact permutation p (sign of the normalized difference)', () => {
    const r = classImpactTest({
      baselineRecall: [[1], [1], [1], [1]],
      compressedRecall: [[0.5], [0.5], [0.5], [0.5]],
      baselineAccuracy: [0.9, 0.92, 0.9, 0.92],
      compressedAccuracy: [0.8, 0.81, 0.8, 0.81],
    });
    expect(r.classes[0]).toMatchObject({ degenerate: true, significant: true, direction: 'hurt', reason: CONSTANT_DIFFERENT_REASON });
    expect(r.classes[0].p).toBeCloseTo(2 / 70, 15);
  });

  it('rejects mismatched lengths, NaN and out-of-range values with named arguments', () => {
    const good = {
      baselineRecall: [[0.5], [0.6]],
      compressedRecall: [[0.5], [0.4]],
      baselineAccuracy: [0.5, 0.6],
      compressedAccuracy: [0.5, 0.4],
    };
    expect(codeOf(() => classImpactTest(good))).toBe('none');
    expect(codeOf(() => classImpactTest({ ...good, baselineAccuracy: [0.5] }))).toBe('LENGTH_MISMATCH');
    expect(
      codeOf(() =>
        classImpactTest({
          ...good,
          compressedRecall: [
            [0.5, 0.1],
            [0.4, 0.1],
          ],
        }),
      ),
    ).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => classImpactTest({ ...good, baselineRecall: [[0.5], [NaN]] }))).toBe('NON_FINITE');
    expect(codeOf(() => classImpactTest({ ...good, compressedAccuracy: [0.5, 40] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => classImpactTest({ ...good, baselineRecall: [], baselineAccuracy: [] }))).toBe('EMPTY_POPULATION');
    expect(codeOf(() => classImpactTest(good, { alpha: 0 }))).toBe('INVALID_ARGUMENT');
    expect(() => classImpactTest({ ...good, baselineRecall: [[0.5], [NaN]] })).toThrow(/baselineRecall\[1\]\[0\]/);
  });
});
