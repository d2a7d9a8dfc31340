import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  attributeOverIndex,
  bootstrapClassRecallIntervals,
  bootstrapErrorRateIntervals,
  bootstrapOverIndexIntervals,
  bootstrapPieRateInterval,
  bootstrapResample,
  bootstrapTop1Intervals,
  classImpactTest,
  compareSubgroupErrorRates,
  populationRecall,
  shareCorrect,
  sharePredicting,
  topOneAccuracy,
  type BootstrapInterval,
} from '../../src/analysis/index.js';
import { codeOf, rng } from './helpers.js';

const SEED = 777;

interface RefInterval {
  estimate: number | null;
  ci: [number, number];
  defined: number;
}
interface BootCase {
  seed: number;
  resamples: number;
  confidence: number;
  nClasses: number;
  positiveClass: number;
  labels: number[];
  groups: (string | null)[];
  baseline: number[][];
  compressed: number[][];
  isPIE: number[];
  intervals: Record<string, RefInterval>;
  /** A NumPy bootstrap with NumPy's own generator (20,000 resamples): end points and standard deviations. */
  independent: Record<string, { ci: [number, number]; sd: number }>;
}

const reference = JSON.parse(readFileSync(new URL('../fixtures/verdicts/verdicts-reference.json', import.meta.url), 'utf8')) as {
  bootstrap: BootCase[];
};

function expectMatches(actual: BootstrapInterval, expected: RefInterval, resamples: number, what: string): void {
  if (expected.estimate === null) expect(actual.estimate, what).toBeNull();
  else expect(Math.abs((actual.estimate as number) - expected.estimate), what).toBeLessThanOrEqual(1e-12);
  expect(actual.undefinedResamples, what).toBe(resamples - expected.defined);
  expect(actual.ci, what).not.toBeNull();
  const [lo, hi] = actual.ci as [number, number];
  expect(Math.abs(lo - expected.ci[0]), `${what} low`).toBeLessThanOrEqual(1e-12);
  expect(Math.abs(hi - expected.ci[1]), `${what} high`).toBeLessThanOrEqual(1e-12);
}

describe('bootstrap intervals against the NumPy reference (same index stream, estimates recomputed from raw predictions)', () => {
  reference.bootstrap.forEach((c, caseIndex) => {
    const options = { resamples: c.resamples, confidence: c.confidence, seed: c.seed };
    const sb = shareCorrect(c.labels, c.baseline);
    const sk = shareCorrect(c.labels, c.compressed);
    const ref = c.intervals;

    it(`case ${caseIndex}: mean top-1, its drop and the PIE rate`, () => {
      const top1 = bootstrapTop1Intervals(sb, sk, options);
      expectMatches(top1.baseline, ref.top1B, c.resamples, 'top1 baseline');
      expectMatches(top1.compressed, ref.top1K, c.resamples, 'top1 compressed');
      expectMatches(top1.drop, ref.drop, c.resamples, 'drop');
      expectMatches(bootstrapPieRateInterval(c.isPIE, options), ref.pieRate, c.resamples, 'PIE rate');
    });

    it(`case ${caseIndex}: every class's raw and normalized recall change`, () => {
      const rows = bootstrapClassRecallIntervals(c.labels, sb, sk, c.nClasses, options);
      for (const row of rows) {
        const k = row.classIndex;
        expectMatches(row.baselineRecall, ref[`recallB${k}`], c.resamples, `recall b ${k}`);
        expectMatches(row.compressedRecall, ref[`recallK${k}`], c.resamples, `recall k ${k}`);
        expectMatches(row.rawChange, ref[`raw${k}`], c.resamples, `raw ${k}`);
        expectMatches(row.normalizedChange, ref[`norm${k}`], c.resamples, `norm ${k}`);
      }
    });

    it(`case ${caseIndex}: over-index ratios and FPR/FNR, their change and the gap to the rest`, () => {
      const over = bootstrapOverIndexIntervals(c.isPIE, { sex: c.groups }, options);
      expect(over.map((r) => r.value)).toEqual(['F', 'M']);
      for (const row of over)
        expectMatches(row.overIndexRatio, ref[`ratio${String(row.value)}`], c.resamples, `ratio ${String(row.value)}`);
      const rates = bootstrapErrorRateIntervals(
        {
          labels: c.labels,
          groups: c.groups,
          positiveClass: c.positiveClass,
          baselineSharePositive: sharePredicting(c.baseline, c.positiveClass),
          compressedSharePositive: sharePredicting(c.compressed, c.positiveClass),
        },
        options,
      );
      for (const row of rates) {
        const v = String(row.group);
        for (const rate of ['fpr', 'fnr'] as const) {
          expectMatches(row[rate].baseline, ref[`${rate}B${v}`], c.resamples, `${rate} b ${v}`);
          expectMatches(row[rate].compressed, ref[`${rate}K${v}`], c.resamples, `${rate} k ${v}`);
          expectMatches(row[rate].change, ref[`${rate}change${v}`], c.resamples, `${rate} change ${v}`);
          expectMatches(row[rate].restChange, ref[`${rate}rest${v}`], c.resamples, `${rate} rest ${v}`);
          expectMatches(row[rate].gap, ref[`${rate}gap${v}`], c.resamples, `${rate} gap ${v}`);
        }
      }
    });
  });
});

describe('bootstrap intervals against an independent NumPy bootstrap (NumPy generator, 20,000 resamples)', () => {
  reference.bootstrap.forEach((c, caseIndex) => {
    it(`case ${caseIndex}: end points agree within Monte Carlo error`, () => {
      const options = { resamples: 2000, confidence: c.confidence, seed: 99 };
      const sb = shareCorrect(c.labels, c.baseline);
      const sk = shareCorrect(c.labels, c.compressed);
      const cls = c.nClasses - 2;
      const rates = bootstrapErrorRateIntervals(
        {
          labels: c.labels,
          groups: c.groups,
          positiveClass: c.positiveClass,
          baselineSharePositive: sharePredicting(c.baseline, c.positiveClass),
          compressedSharePositive: sharePredicting(c.compressed, c.positiveClass),
        },
        options,
      );
      const mine: Record<string, BootstrapInterval> = {
        drop: bootstrapTop1Intervals(sb, sk, options).drop,
        pieRate: bootstrapPieRateInterval(c.isPIE, options),
        [`norm${cls}`]: bootstrapClassRecallIntervals(c.labels, sb, sk, c.nClasses, options)[cls].normalizedChange,
        fnrgapF: (rates.find((r) => r.group === 'F') as (typeof rates)[number]).fnr.gap,
      };
      for (const [key, ref] of Object.entries(c.independent)) {
        // An end point from R resamples has a standard error of about 0.06 bootstrap sd at R = 2000 (0.02 at 20,000);
        // 1/n allows for the lattice of a statistic on n examples.
        const tolerance = 0.3 * ref.sd + 1 / c.labels.length;
        const [lo, hi] = mine[key].ci as [number, number];
        expect(Math.abs(lo - ref.ci[0]), `${key} low`).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(hi - ref.ci[1]), `${key} high`).toBeLessThanOrEqual(tolerance);
      }
    });
  });
});

/** A seeded data set: labels in [0, nClasses), two populations with the given accuracies, a binary group. */
function dataset(seed: number, n: number, nClasses = 3, models = 3) {
  const next = rng(seed);
  const labels = Array.from({ length: n }, () => Math.floor(next() * nClasses));
  const groups = labels.map(() => (next() < 0.5 ? 'F' : 'M'));
  const pop = (acc: number) => Array.from({ length: models }, () => labels.map((y) => (next() < acc ? y : Math.floor(next() * nClasses))));
  return { labels, groups, baseline: pop(0.9), compressed: pop(0.75) };
}

describe("bootstrap point estimates are the audit's estimates", () => {
  const { labels, groups, baseline, compressed } = dataset(1, 300);
  const sb = shareCorrect(labels, baseline);
  const sk = shareCorrect(labels, compressed);

  it('mean top-1 and class recall changes match topOneAccuracy and classImpactTest', () => {
    const top1 = bootstrapTop1Intervals(sb, sk, { resamples: 0 });
    const meanAcc = (pop: number[][]) => pop.reduce((s, p) => s + topOneAccuracy(labels, p), 0) / pop.length;
    expect(top1.baseline.estimate).toBeCloseTo(meanAcc(baseline), 14);
    expect(top1.drop.estimate).toBeCloseTo(meanAcc(baseline) - meanAcc(compressed), 14);
    expect(top1.drop.ci).toBeNull();
    const b = populationRecall(labels, baseline, 3);
    const k = populationRecall(labels, compressed, 3);
    const impact = classImpactTest({
      baselineRecall: b.recall,
      baselineAccuracy: b.accuracy,
      compressedRecall: k.recall,
      compressedAccuracy: k.accuracy,
    });
    const rows = bootstrapClassRecallIntervals(labels, sb, sk, 3, { resamples: 0 });
    rows.forEach((row, c) => {
      expect(row.baselineRecall.estimate).toBeCloseTo(impact.classes[c].baselineMeanRecall as number, 14);
      expect(row.normalizedChange.estimate as number).toBeCloseTo(impact.classes[c].normalizedRecallChange as number, 13);
    });
  });

  it('FPR/FNR match compareSubgroupErrorRates, and the over-index ratio attributeOverIndex', () => {
    const cmp = compareSubgroupErrorRates({
      labels,
      groups,
      baselinePredictions: baseline,
      compressedPredictions: compressed,
      positiveClass: 1,
    });
    const rates = bootstrapErrorRateIntervals(
      {
        labels,
        groups,
        positiveClass: 1,
        baselineSharePositive: sharePredicting(baseline, 1),
        compressedSharePositive: sharePredicting(compressed, 1),
      },
      { resamples: 0 },
    );
    rates.forEach((row, g) => {
      expect(row.group).toBe(cmp.subgroups[g].group);
      expect(row.fpr.baseline.estimate).toBeCloseTo(cmp.subgroups[g].baseline.fpr as number, 14);
      expect(row.fnr.change.estimate).toBeCloseTo(cmp.subgroups[g].absoluteChange.fnr as number, 14);
    });
    // With two groups and no missing values, each group's rest is the other group: the gaps are opposite.
    expect(rates[0].fnr.gap.estimate as number).toBeCloseTo(-(rates[1].fnr.gap.estimate as number), 14);
    const isPIE = labels.map((_, i) => (i % 7 === 0 ? 1 : 0));
    const over = attributeOverIndex(isPIE, { sex: groups });
    const intervals = bootstrapOverIndexIntervals(isPIE, { sex: groups }, { resamples: 0 });
    intervals.forEach((row, j) => expect(row.overIndexRatio.estimate).toBe(over.rows[j].overIndexRatio));
  });
});

describe('bootstrap interval properties', () => {
  const width = (i: BootstrapInterval) => (i.ci as [number, number])[1] - (i.ci as [number, number])[0];

  it('intervals contain their point estimate and narrow as the test set grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 60, max: 150 }), (seed, n) => {
        const small = dataset(seed, n);
        // The same examples four times over: the same estimates from a test set four times as large.
        const big = {
          labels: [0, 1, 2, 3].flatMap(() => small.labels),
          groups: [0, 1, 2, 3].flatMap(() => small.groups),
          baseline: small.baseline.map((p) => [0, 1, 2, 3].flatMap(() => p)),
          compressed: small.compressed.map((p) => [0, 1, 2, 3].flatMap(() => p)),
        };
        const intervals = (d: typeof small) => {
          const sb = shareCorrect(d.labels, d.baseline);
          const sk = shareCorrect(d.labels, d.compressed);
          const options = { resamples: 300, seed };
          const top1 = bootstrapTop1Intervals(sb, sk, options);
          const rates = bootstrapErrorRateIntervals(
            {
              labels: d.labels,
              groups: d.groups,
              positiveClass: 1,
              baselineSharePositive: sharePredicting(d.baseline, 1),
              compressedSharePositive: sharePredicting(d.compressed, 1),
            },
            options,
          );
          const classes = bootstrapClassRecallIntervals(d.labels, sb, sk, 3, options);
          return [top1.baseline, top1.drop, classes[0].rawChange, classes[2].normalizedChange, rates[0].fnr.change];
        };
        const a = intervals(small);
        const b = intervals(big);
        a.forEach((interval, j) => {
          const [lo, hi] = interval.ci as [number, number];
          expect(lo).toBeLessThanOrEqual(interval.estimate as number);
          expect(hi).toBeGreaterThanOrEqual(interval.estimate as number);
          expect(b[j].estimate).toBeCloseTo(interval.estimate as number, 12);
          // Four times the examples: about half the width; allow for the resampling noise of 300 resamples.
          if (width(interval) > 0) expect(width(b[j])).toBeLessThan(0.8 * width(interval));
        });
      }),
      { seed: SEED, numRuns: 15 },
    );
  });

  it('permuting the models within a level changes nothing', () => {
    const { labels, baseline, compressed } = dataset(5, 120);
    const shuffled = [compressed[2], compressed[0], compressed[1]];
    const a = bootstrapTop1Intervals(shareCorrect(labels, baseline), shareCorrect(labels, compressed), { resamples: 200, seed: 3 });
    const b = bootstrapTop1Intervals(shareCorrect(labels, [...baseline].reverse()), shareCorrect(labels, shuffled), {
      resamples: 200,
      seed: 3,
    });
    expect(b).toEqual(a);
  });

  it('is seeded: one seed gives one set of resamples, shared by every function', () => {
    const { labels, baseline, compressed } = dataset(8, 100);
    const sb = shareCorrect(labels, baseline);
    const sk = shareCorrect(labels, compressed);
    const options = { resamples: 150, seed: 12 };
    const top1 = bootstrapTop1Intervals(sb, sk, options);
    expect(bootstrapTop1Intervals(sb, sk, options)).toEqual(top1);
    const [viaEngine] = bootstrapResample(labels.length, 1, options, (w, out) => {
      let s = 0;
      let t = 0;
      for (let i = 0; i < labels.length; i++) {
        s += w[i] * sb[i];
        t += w[i];
      }
      out[0] = s / t;
    });
    expect(viaEngine.ci).toEqual(top1.baseline.ci);
    expect(bootstrapTop1Intervals(sb, sk, { ...options, seed: 13 }).baseline.ci).not.toEqual(top1.baseline.ci);
  });

  it('leaves resamples where an estimate is undefined out of its interval and counts them', () => {
    // Class 2 has one example among 20: about (19/20)^20 = 36% of resamples miss it.
    const labels = [...Array.from({ length: 19 }, (_, i) => i % 2), 2];
    const sb = Float64Array.from(labels, () => 1);
    const sk = Float64Array.from(labels, (_, i) => (i % 3 === 0 ? 0 : 1));
    const rows = bootstrapClassRecallIntervals(labels, sb, sk, 4, { resamples: 400, seed: 1 });
    expect(rows[2].rawChange.undefinedResamples).toBeGreaterThan(100);
    expect(rows[2].rawChange.undefinedResamples).toBeLessThan(200);
    expect(rows[3]).toMatchObject({ support: 0, rawChange: { estimate: null, ci: null, undefinedResamples: 400 } });
  });

  it('rejects bad options and inputs with typed errors naming them', () => {
    const s = Float64Array.of(0.5, 1);
    expect(codeOf(() => bootstrapTop1Intervals(s, s, { resamples: -1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bootstrapTop1Intervals(s, s, { confidence: 1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bootstrapTop1Intervals(s, s, { seed: 0.5 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bootstrapTop1Intervals(s, Float64Array.of(0.5), {}))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => bootstrapTop1Intervals(s, Float64Array.of(0.5, 2), {}))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bootstrapTop1Intervals(s, Float64Array.of(0.5, NaN), {}))).toBe('NON_FINITE');
    expect(codeOf(() => bootstrapTop1Intervals([], [], {}))).toBe('INSUFFICIENT_SAMPLES');
    expect(codeOf(() => bootstrapPieRateInterval([0, 2]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bootstrapClassRecallIntervals([0, 3], s, s, 3))).toBe('LABEL_OUT_OF_RANGE');
    expect(
      codeOf(() =>
        bootstrapErrorRateIntervals({
          labels: [0, 1],
          groups: ['a'],
          baselineSharePositive: s,
          compressedSharePositive: s,
          positiveClass: 1,
        }),
      ),
    ).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => bootstrapOverIndexIntervals([0, 1], { sex: ['F'] }))).toBe('LENGTH_MISMATCH');
  });
});
