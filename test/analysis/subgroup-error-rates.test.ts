import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { subgroupErrorRates } from '../../src/analysis/subgroup-error-rates.js';
import { compareSubgroupErrorRates } from '../../src/analysis/compare-subgroup-error-rates.js';
import { codeOf } from './helpers.js';

const SEED = 4242;

const binaryData = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    labels: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
    groups: fc.array(fc.constantFrom<string | null>('F', 'M', 'X', null), { minLength: n, maxLength: n }),
    baseline: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
    compressed: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
  }),
);

function ratesByHand(labels: number[], predicted: number[], keep: (i: number) => boolean, positive: number) {
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0;
  labels.forEach((y, i) => {
    if (!keep(i)) return;
    const pp = predicted[i] === positive;
    if (y === positive) pp ? tp++ : fn++;
    else pp ? fp++ : tn++;
  });
  return {
    tp,
    fp,
    tn,
    fn,
    fpr: fp + tn ? fp / (fp + tn) : null,
    fnr: fn + tp ? fn / (fn + tp) : null,
    errorRate: tp + fp + tn + fn ? (fp + fn) / (tp + fp + tn + fn) : null,
  };
}

describe('subgroupErrorRates', () => {
  it('matches confusion counts by hand for every subgroup and overall; undefined rates are null', () => {
    fc.assert(
      fc.property(binaryData, ({ labels, groups, baseline }) => {
        const predicted = baseline[0];
        const r = subgroupErrorRates(labels, predicted, groups, { positiveClass: 1 });
        const present = [...new Set(groups.filter((g): g is string => g !== null))].sort();
        expect(r.subgroups.map((s) => s.group)).toEqual(present);
        for (const s of r.subgroups) {
          const ref = ratesByHand(labels, predicted, (i) => groups[i] === s.group, 1);
          expect({ tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn, fpr: s.fpr, fnr: s.fnr, errorRate: s.errorRate }).toEqual(ref);
          expect(s.positives).toBe(s.tp + s.fn);
          expect(s.negatives).toBe(s.fp + s.tn);
        }
        const all = ratesByHand(labels, predicted, () => true, 1);
        expect(r.overall.fpr).toEqual(all.fpr);
        expect(r.overall.n).toBe(labels.length);
        expect(r.nMissingGroup).toBe(groups.filter((g) => g === null).length);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('rejects bad input with named arguments', () => {
    expect(codeOf(() => subgroupErrorRates([0, 1], [0], ['a', 'b'], { positiveClass: 1 }))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => subgroupErrorRates([0, 1], [0, 1], ['a'], { positiveClass: 1 }))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => subgroupErrorRates([0, 1], [0, 1], ['a', 'b'], { positiveClass: -1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => subgroupErrorRates([0, NaN], [0, 1], ['a', 'b'], { positiveClass: 1 }))).toBe('NON_FINITE');
    expect(codeOf(() => subgroupErrorRates([0, 1], [0, 1], ['a', NaN], { positiveClass: 1 }))).toBe('NON_FINITE');
  });
});

describe('compareSubgroupErrorRates', () => {
  it('averages each rate over the models of each population and derives the changes', () => {
    fc.assert(
      fc.property(binaryData, ({ labels, groups, baseline, compressed }) => {
        const r = compareSubgroupErrorRates({
          labels,
          groups,
          baselinePredictions: baseline,
          compressedPredictions: compressed,
          positiveClass: 1,
        });
        const meanOf = (pop: number[][], keep: (i: number) => boolean, key: 'fpr' | 'fnr' | 'errorRate') => {
          const vals = pop.map((p) => ratesByHand(labels, p, keep, 1)[key]);
          return vals[0] === null ? null : (vals as number[]).reduce((s, x) => s + x, 0) / vals.length;
        };
        const rows = [...r.subgroups.map((s) => ({ s, keep: (i: number) => groups[i] === s.group })), { s: r.overall, keep: () => true }];
        for (const { s, keep } of rows) {
          for (const key of ['fpr', 'fnr', 'errorRate'] as const) {
            const b = meanOf(baseline, keep, key);
            const c = meanOf(compressed, keep, key);
            if (b === null) expect(s.baseline[key]).toBeNull();
            else expect(s.baseline[key]).toBeCloseTo(b, 12);
            if (c === null) expect(s.compressed[key]).toBeNull();
            else expect(s.compressed[key]).toBeCloseTo(c, 12);
            if (b !== null && c !== null) {
              expect(s.absoluteChange[key]).toBeCloseTo(c - b, 12);
              expect(s.relativeChange[key]).toBe(b === 0 ? null : (c - b) / b);
            }
          }
        }
        for (const key of ['fpr', 'fnr', 'errorRate'] as const) {
          const n = r.overall.normalizedChange[key];
          if (n !== null) expect(n).toBeCloseTo(1, 12);
          const e = r.overall.excessChange[key];
          if (e !== null) expect(e).toBeCloseTo(0, 12);
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('shows no change when a population is compared with itself', () => {
    fc.assert(
      fc.property(binaryData, ({ labels, groups, baseline }) => {
        const r = compareSubgroupErrorRates({
          labels,
          groups,
          baselinePredictions: baseline,
          compressedPredictions: baseline,
          positiveClass: 1,
        });
        for (const s of [...r.subgroups, r.overall]) {
          for (const key of ['fpr', 'fnr', 'errorRate'] as const) {
            if (s.absoluteChange[key] !== null) expect(s.absoluteChange[key]).toBe(0);
            if (s.normalizedChange[key] !== null) expect(s.normalizedChange[key]).toBeCloseTo(1, 12);
          }
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('normalizes a subgroup change by the overall change (ratio of rate ratios)', () => {
    // Overall FNR 0.25 -> 0.5 (x2); group M FNR 0 -> ... ; group F FNR 0.5 -> 1 (x2): normalized 1.
    const labels = [1, 1, 1, 1, 0, 0];
    const groups = ['F', 'F', 'M', 'M', 'F', 'M'];
    const r = compareSubgroupErrorRates({
      labels,
      groups,
      baselinePredictions: [[1, 0, 1, 1, 0, 0]],
      compressedPredictions: [[0, 0, 1, 1, 0, 0]],
      positiveClass: 1,
    });
    const f = r.subgroups[0];
    expect(f.group).toBe('F');
    expect(f.baseline.fnr).toBe(0.5);
    expect(f.compressed.fnr).toBe(1);
    expect(r.overall.baseline.fnr).toBe(0.25);
    expect(r.overall.compressed.fnr).toBe(0.5);
    expect(f.normalizedChange.fnr).toBeCloseTo(1, 12);
    expect(f.excessChange.fnr).toBeCloseTo(0.25, 12);
    expect(r.subgroups[1].normalizedChange.fnr).toBeNull(); // M's baseline FNR is 0
  });

  it('rejects empty populations and mismatched predictions', () => {
    expect(() =>
      compareSubgroupErrorRates({
        labels: [0, 1],
        groups: ['a', 'b'],
        baselinePredictions: [],
        compressedPredictions: [[0, 1]],
        positiveClass: 1,
      }),
    ).toThrow(/baselinePredictions/);
    expect(() =>
      compareSubgroupErrorRates({
        labels: [0, 1],
        groups: ['a', 'b'],
        baselinePredictions: [[0, 1]],
        compressedPredictions: [[0, 1, 1]],
        positiveClass: 1,
      }),
    ).toThrow(/compressedPredictions\[0\]/);
  });
});
