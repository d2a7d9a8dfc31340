import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { perClassRecall } from '../../src/analysis/per-class-recall.js';
import { topOneAccuracy } from '../../src/analysis/top-one-accuracy.js';
import { populationRecall } from '../../src/analysis/population-recall.js';
import { codeOf } from './helpers.js';

const SEED = 99;

const labelled = fc.integer({ min: 1, max: 6 }).chain((nClasses) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: nClasses - 1 }), fc.integer({ min: 0, max: nClasses - 1 })), {
      minLength: 1,
      maxLength: 40,
    })
    .map((pairs) => ({ nClasses, labels: pairs.map((p) => p[0]), predicted: pairs.map((p) => p[1]) })),
);

describe('perClassRecall and topOneAccuracy', () => {
  it('match a direct count; empty classes get null recall, never NaN', () => {
    fc.assert(
      fc.property(labelled, ({ nClasses, labels, predicted }) => {
        const r = perClassRecall(labels, Int32Array.from(predicted), nClasses);
        for (let c = 0; c < nClasses; c++) {
          const idx = labels.map((y, i) => (y === c ? i : -1)).filter((i) => i >= 0);
          const hits = idx.filter((i) => predicted[i] === c).length;
          expect(r.support[c]).toBe(idx.length);
          expect(r.correct[c]).toBe(hits);
          expect(r.recall[c]).toBe(idx.length === 0 ? null : hits / idx.length);
        }
        const acc = topOneAccuracy(labels, predicted);
        expect(acc).toBeCloseTo(labels.filter((y, i) => y === predicted[i]).length / labels.length, 12);
        // Accuracy is the support-weighted mean of the recalls.
        const weighted = r.correct.reduce((s, x) => s + x, 0) / labels.length;
        expect(acc).toBeCloseTo(weighted, 12);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('populationRecall gives one recall row and one accuracy per model', () => {
    const labels = [0, 0, 1, 2];
    const r = populationRecall(
      labels,
      [
        [0, 1, 1, 2],
        [0, 0, 1, 1],
      ],
      4,
    );
    expect(r.recall).toEqual([
      [0.5, 1, 1, null],
      [1, 1, 0, null],
    ]);
    expect(r.accuracy).toEqual([0.75, 0.75]);
    expect(r.support).toEqual([2, 1, 1, 0]);
    expect(() =>
      populationRecall(
        labels,
        [
          [0, 1, 1, 2],
          [0, 0, 1, 9],
        ],
        4,
      ),
    ).toThrow(/population\[1\]\[3\]/);
  });

  it('reject mismatched lengths, out-of-range labels and NaN with named arguments', () => {
    expect(codeOf(() => perClassRecall([0, 1], [0], 2))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => perClassRecall([0, 2], [0, 1], 2))).toBe('LABEL_OUT_OF_RANGE');
    expect(codeOf(() => perClassRecall([0, 1], [0, NaN], 2))).toBe('NON_FINITE');
    expect(codeOf(() => topOneAccuracy([], []))).toBe('INSUFFICIENT_SAMPLES');
    expect(codeOf(() => topOneAccuracy([0, 1], [0, -1]))).toBe('LABEL_OUT_OF_RANGE');
    expect(() => perClassRecall([0, 1], [0, 5], 2)).toThrow(/predicted\[1\]/);
  });
});
