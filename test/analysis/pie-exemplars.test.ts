import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  findPIEs,
  meanProbabilities,
  pieAccuracyBreakdown,
  shareCorrect,
  taxicabDistances,
  topExemplarsByDistance,
  topKAccuracy,
} from '../../src/analysis/index.js';
import { codeOf } from './helpers.js';

interface ExemplarCase {
  seed: number;
  nClasses: number;
  topN: number;
  labels: number[];
  baselineProbabilities: number[][];
  compressedProbabilities: number[][];
  top5Compressed: number[];
  distances: number[];
  topIndices: number[];
  topPieShare: number;
  pies: [number, number, number];
  rest: [number, number, number];
  control: [number, number, number];
  piesCompressedModalCorrect: number;
  piesBaselineModalCorrect: number;
}

const reference = JSON.parse(readFileSync(new URL('../fixtures/verdicts/verdicts-reference.json', import.meta.url), 'utf8')) as {
  exemplars: ExemplarCase[];
};

/** Argmax of each row, first maximum on ties (as np.argmax). */
function predictions(probabilities: number[], nClasses: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < probabilities.length; row += nClasses) {
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (probabilities[row + c] > probabilities[row + best]) best = c;
    out.push(best);
  }
  return out;
}

describe('PIE exemplars against the NumPy reference', () => {
  for (const c of reference.exemplars) {
    const predB = c.baselineProbabilities.map((p) => predictions(p, c.nClasses));
    const predK = c.compressedProbabilities.map((p) => predictions(p, c.nClasses));
    const pies = findPIEs(predB, predK, { nClasses: c.nClasses });

    it('top-5 accuracy breaks ties like a stable descending sort', () => {
      c.compressedProbabilities.forEach((p, m) => expect(topKAccuracy(c.labels, p, c.nClasses, 5)).toBe(c.top5Compressed[m]));
    });

    it('taxicab distances, the top exemplars and the share of PIEs among them', () => {
      const d = taxicabDistances(
        meanProbabilities(c.baselineProbabilities, c.nClasses),
        meanProbabilities(c.compressedProbabilities, c.nClasses),
        c.nClasses,
      );
      d.forEach((x, i) => expect(Math.abs(x - c.distances[i])).toBeLessThanOrEqual(1e-12));
      const top = topExemplarsByDistance(c.distances, pies.isPIE, c.topN);
      expect(Array.from(top.indices)).toEqual(c.topIndices);
      expect(top.pieShare).toBe(c.topPieShare);
    });

    it('accuracy on PIEs, the rest and a same-size random control; PIEs the modal labels get right', () => {
      const r = pieAccuracyBreakdown(
        {
          labels: c.labels,
          isPIE: pies.isPIE,
          baselineModal: pies.baselineModal,
          compressedModal: pies.compressedModal,
          baselineShareCorrect: shareCorrect(c.labels, predB),
          compressedShareCorrect: shareCorrect(c.labels, predK),
        },
        { seed: c.seed },
      );
      for (const [mine, theirs] of [
        [r.pies, c.pies],
        [r.rest, c.rest],
        [r.control, c.control],
      ] as const) {
        expect(mine.n).toBe(theirs[0]);
        expect(Math.abs((mine.baselineAccuracy as number) - theirs[1])).toBeLessThanOrEqual(1e-12);
        expect(Math.abs((mine.compressedAccuracy as number) - theirs[2])).toBeLessThanOrEqual(1e-12);
      }
      expect(r.piesCompressedModalCorrect).toBe(c.piesCompressedModalCorrect);
      expect(r.piesBaselineModalCorrect).toBe(c.piesBaselineModalCorrect);
    });
  }
});

describe('PIE exemplar properties', () => {
  it('top-k accuracy grows with k and reaches 1 at k = nClasses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((nClasses) =>
          fc.record({
            nClasses: fc.constant(nClasses),
            rows: fc.array(
              fc.record({
                y: fc.integer({ min: 0, max: nClasses - 1 }),
                p: fc.array(
                  fc.integer({ min: 0, max: 4 }).map((x) => x / 4),
                  { minLength: nClasses, maxLength: nClasses },
                ),
              }),
              { minLength: 1, maxLength: 20 },
            ),
          }),
        ),
        ({ nClasses, rows }) => {
          const labels = rows.map((r) => r.y);
          const probs = rows.flatMap((r) => r.p);
          let last = 0;
          for (let k = 1; k <= nClasses; k++) {
            const acc = topKAccuracy(labels, probs, nClasses, k);
            expect(acc).toBeGreaterThanOrEqual(last);
            last = acc;
          }
          expect(last).toBe(1);
          expect(topKAccuracy(labels, probs, nClasses, nClasses + 3)).toBe(1);
        },
      ),
      { seed: 99, numRuns: 100 },
    );
  });

  it('the control is a seeded sample of the PIE count; no PIEs gives empty subsets without NaN', () => {
    const labels = [0, 1, 1, 0];
    const share = Float64Array.of(1, 0.5, 0, 1);
    const input = {
      labels,
      isPIE: [0, 0, 0, 0],
      baselineShareCorrect: share,
      compressedShareCorrect: share,
      baselineModal: labels,
      compressedModal: labels,
    };
    const r = pieAccuracyBreakdown(input, { seed: 2 });
    expect(r.pies).toEqual({ n: 0, baselineAccuracy: null, compressedAccuracy: null });
    expect(r.control.n).toBe(0);
    expect(r.rest).toEqual({ n: 4, baselineAccuracy: 0.625, compressedAccuracy: 0.625 });
    const two = pieAccuracyBreakdown({ ...input, isPIE: [1, 0, 1, 0] }, { seed: 2 });
    expect(two.control.n).toBe(2);
    expect(pieAccuracyBreakdown({ ...input, isPIE: [1, 0, 1, 0] }, { seed: 2 })).toEqual(two);
  });

  it('rejects bad input with typed errors', () => {
    expect(codeOf(() => topKAccuracy([0], [0.5, 0.5, 0], 2))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => topKAccuracy([0], [0.5, NaN], 2))).toBe('NON_FINITE');
    expect(codeOf(() => topKAccuracy([0], [1.5, 0], 2))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => topKAccuracy([0], [1, 0], 2, 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => meanProbabilities([], 2))).toBe('EMPTY_POPULATION');
    expect(
      codeOf(() =>
        meanProbabilities(
          [
            [1, 0],
            [1, 0, 0, 1],
          ],
          2,
        ),
      ),
    ).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => taxicabDistances([1, 0], [1, 0, 0], 2))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => topExemplarsByDistance([1, 2], [0], 1))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => topExemplarsByDistance([1, 2], [0, 1], -1))).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(() =>
        pieAccuracyBreakdown({
          labels: [0],
          isPIE: [2],
          baselineShareCorrect: [1],
          compressedShareCorrect: [1],
          baselineModal: [0],
          compressedModal: [0],
        }),
      ),
    ).toBe('INVALID_ARGUMENT');
  });
});
