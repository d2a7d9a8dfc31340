import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pieNoiseFloor, modelsNeeded } from '../../src/analysis/pie-noise-floor.js';
import { permutationSplits } from '../../src/analysis/permutation-splits.js';
import { pieSplitCounts } from '../../src/analysis/pie-split-counts.js';
import { modalLabels } from '../../src/analysis/modal-labels.js';
import { findPIEs } from '../../src/analysis/find-pies.js';
import { codeOf, rng } from './helpers.js';

const SEED = 4242;

interface FloorCase {
  name: string;
  design: 'independent' | 'paired';
  tieBreak: 'max' | 'min';
  nClasses: number;
  baseline: number[][];
  compressed: number[][];
  splits: number;
  observed: number;
  p: number;
  nullMedian: number;
  nullP95: number;
  minAchievableP: number;
}

const reference = JSON.parse(readFileSync(new URL('../fixtures/verdicts/verdicts-reference.json', import.meta.url), 'utf8')) as {
  noiseFloor: FloorCase[];
};

/** Two populations of `nModels` models over `nExamples` examples, labels in [0, nClasses). */
const pairArb = (maxModels: number) =>
  fc
    .record({
      nB: fc.integer({ min: 1, max: maxModels }),
      nK: fc.integer({ min: 1, max: maxModels }),
      nExamples: fc.integer({ min: 1, max: 12 }),
      nClasses: fc.integer({ min: 1, max: 4 }),
    })
    .chain(({ nB, nK, nExamples, nClasses }) => {
      const pop = (m: number) =>
        fc.array(fc.array(fc.integer({ min: 0, max: nClasses - 1 }), { minLength: nExamples, maxLength: nExamples }), {
          minLength: m,
          maxLength: m,
        });
      return fc.record({
        baseline: pop(nB),
        compressed: pop(nK),
        nClasses: fc.constant(nClasses),
        tieBreak: fc.constantFrom<'max' | 'min'>('max', 'min'),
      });
    });

describe('pieNoiseFloor against the NumPy reference (itertools enumeration)', () => {
  for (const c of reference.noiseFloor) {
    it(`${c.name}: exact p, null median and 95th percentile agree`, () => {
      const r = pieNoiseFloor(c.baseline, c.compressed, { design: c.design, tieBreak: c.tieBreak, nClasses: c.nClasses });
      expect(r.method).toBe('exact');
      expect(r.design).toBe(c.design);
      expect(r.splits).toBe(c.splits);
      expect(r.observed).toBe(c.observed);
      expect(Math.abs(r.p - c.p)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.minAchievableP - c.minAchievableP)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.nullMedian - c.nullMedian)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.nullP95 - c.nullP95)).toBeLessThanOrEqual(1e-12);
      expect(r.excess).toBe(c.observed - r.nullMedian);
      expect(r.excessRate).toBeCloseTo(r.excess / c.baseline[0].length, 15);
    });
  }
});

describe('pieNoiseFloor properties', () => {
  it('observes exactly the PIE count of findPIEs, and gives p in (0, 1] under both designs and both methods', () => {
    fc.assert(
      fc.property(pairArb(4), fc.boolean(), ({ baseline, compressed, nClasses, tieBreak }, monteCarlo) => {
        const pies = findPIEs(baseline, compressed, { tieBreak, nClasses });
        const designs: ('independent' | 'paired')[] = baseline.length === compressed.length ? ['independent', 'paired'] : ['independent'];
        for (const design of designs) {
          const r = pieNoiseFloor(baseline, compressed, {
            design,
            tieBreak,
            nClasses,
            maxExactSplits: monteCarlo ? 1 : 20_000,
            draws: 99,
            seed: 5,
          });
          expect(r.observed).toBe(pies.count);
          expect(r.p).toBeGreaterThan(0);
          expect(r.p).toBeLessThanOrEqual(1);
          // A Monte Carlo p can fall below the design's smallest exact p by chance, never below 1 / (1 + draws).
          expect(r.p).toBeGreaterThanOrEqual(monteCarlo ? 1 / 100 : r.minAchievableP - 1e-15);
          expect(r.method).toBe(monteCarlo ? 'monteCarlo' : 'exact');
          expect(r.nullMedian).toBeLessThanOrEqual(r.nullP95);
        }
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('a population compared with itself: p = 1 under both designs; excess 0 when paired, never positive when independent', () => {
    fc.assert(
      fc.property(pairArb(5), ({ baseline, nClasses, tieBreak }) => {
        const paired = pieNoiseFloor(baseline, baseline, { design: 'paired', tieBreak, nClasses });
        expect(paired).toMatchObject({ observed: 0, p: 1, excess: 0, nullMedian: 0, nullP95: 0, significant: false });
        const independent = pieNoiseFloor(baseline, baseline, { design: 'independent', tieBreak, nClasses, seed: 3 });
        expect(independent.observed).toBe(0);
        expect(independent.p).toBe(1);
        // Re-splitting two copies of the same models can disagree, so the null median may exceed the observed 0.
        expect(independent.excess).toBeLessThanOrEqual(0);
      }),
      { seed: SEED, numRuns: 80 },
    );
    // Identical models: every split of the pool agrees, so the excess is 0 in the independent design too.
    const same = Array.from({ length: 4 }, () => [0, 1, 2, 1, 0]);
    expect(pieNoiseFloor(same, same, { design: 'independent' })).toMatchObject({ p: 1, excess: 0, nullMedian: 0 });
  });

  it('exact and Monte Carlo p agree within Monte Carlo error on a case small enough for both', () => {
    const reference6 = reference.noiseFloor.filter((c) => c.splits >= 56);
    for (const c of reference6) {
      const exact = pieNoiseFloor(c.baseline, c.compressed, { design: c.design, tieBreak: c.tieBreak, nClasses: c.nClasses });
      const mc = pieNoiseFloor(c.baseline, c.compressed, {
        design: c.design,
        tieBreak: c.tieBreak,
        nClasses: c.nClasses,
        maxExactSplits: 10,
        draws: 4999,
        seed: 11,
      });
      expect(mc.method).toBe('monteCarlo');
      expect(mc.splits).toBe(5000);
      const se = Math.sqrt((exact.p * (1 - exact.p)) / 4999);
      expect(Math.abs(mc.p - exact.p)).toBeLessThanOrEqual(4 * se + 1 / 5000);
      expect(Math.abs(mc.nullMedian - exact.nullMedian)).toBeLessThanOrEqual(1);
    }
  });

  it('permuting the models within a level changes nothing (exact); pairing by member id ignores the compressed order (any method)', () => {
    fc.assert(
      fc.property(pairArb(4), fc.integer({ min: 0, max: 1000 }), ({ baseline, compressed, nClasses, tieBreak }, salt) => {
        const rotate = <T>(xs: T[]) => xs.map((_, i) => xs[(i + salt) % xs.length]);
        const a = pieNoiseFloor(baseline, compressed, { design: 'independent', tieBreak, nClasses });
        const b = pieNoiseFloor(rotate(baseline), rotate(compressed), { design: 'independent', tieBreak, nClasses });
        expect(b).toEqual(a);
        if (baseline.length === compressed.length) {
          const ids = baseline.map((_, i) => `seed-${i}`);
          for (const maxExactSplits of [20_000, 1]) {
            const options = { tieBreak, nClasses, maxExactSplits, draws: 49, seed: salt };
            const p1 = pieNoiseFloor(baseline, compressed, { ...options, baselineIds: ids, compressedIds: ids });
            const p2 = pieNoiseFloor(baseline, rotate(compressed), { ...options, baselineIds: ids, compressedIds: rotate(ids) });
            expect(p1.design).toBe('paired');
            expect(p2).toEqual(p1);
          }
        }
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('gives the same result whichever side is the smaller population, and whatever the number of empty classes', () => {
    fc.assert(
      fc.property(pairArb(5), fc.boolean(), ({ baseline, compressed, nClasses, tieBreak }, monteCarlo) => {
        const options = { design: 'independent' as const, tieBreak, maxExactSplits: monteCarlo ? 1 : 20_000, draws: 99, seed: 2 };
        const a = pieNoiseFloor(baseline, compressed, { ...options, nClasses });
        // Classes no model predicts change nothing (labels are ranked per example among the pooled labels).
        const wide = pieNoiseFloor(baseline, compressed, { ...options, nClasses: nClasses + 400 });
        expect(wide).toEqual(a);
        if (!monteCarlo) {
          const swapped = pieNoiseFloor(compressed, baseline, { ...options, nClasses });
          const core = (r: typeof a) => [r.status, r.splits, r.observed, r.p, r.nullMedian, r.nullP95, r.minAchievableP, r.nContested];
          expect(core(swapped)).toEqual(core(a));
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('is seeded: the same seed repeats the Monte Carlo result, and 30 + 30 models draw 1,999 splits', () => {
    const pop = (shift: number) =>
      Array.from({ length: 30 }, (_, m) => Array.from({ length: 40 }, (_, i) => ((i * 7 + m * shift) % 11 < 8 ? i % 3 : (i + m) % 3)));
    const b = pop(1);
    const k = pop(2);
    const r1 = pieNoiseFloor(b, k, { design: 'independent', seed: 9 });
    const r2 = pieNoiseFloor(b, k, { design: 'independent', seed: 9 });
    expect(r1).toEqual(r2);
    expect(r1).toMatchObject({ method: 'monteCarlo', splits: 2000, seed: 9, minAchievableP: 1 / 2000 });
  });
});

describe('pieSplitCounts against modalLabels, split by split', () => {
  it('counts the PIEs of every split like two modalLabels calls, with few or many distinct labels per example', () => {
    const next = rng(17);
    for (const nClasses of [2, 9, 40, 300]) {
      for (const tieBreak of ['max', 'min'] as const) {
        // 30 + 30 models: up to 10 distinct labels per example use the packed counters, more use one counter per label.
        const pooled = Array.from({ length: 60 }, () =>
          Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? i % nClasses : Math.floor(next() * nClasses))),
        );
        const splits = permutationSplits('independent', 30, 30, { draws: 40, seed: nClasses });
        const { counts } = pieSplitCounts(pooled, splits, { nClasses, tieBreak });
        for (let s = 0; s < splits.nSplits; s++) {
          const sideA = new Set(splits.sides.subarray(s * 30, s * 30 + 30));
          const a = modalLabels(
            pooled.filter((_, m) => sideA.has(m)),
            { nClasses, tieBreak },
          ).labels;
          const b = modalLabels(
            pooled.filter((_, m) => !sideA.has(m)),
            { nClasses, tieBreak },
          ).labels;
          let differ = 0;
          for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
          expect(counts[s], `${nClasses} classes, ${tieBreak}, split ${s}`).toBe(differ);
        }
      }
    }
  });
});

describe('pieNoiseFloor designs and power', () => {
  const b = [
    [0, 1, 2, 0],
    [0, 1, 2, 1],
    [0, 1, 1, 0],
    [0, 2, 2, 0],
    [1, 1, 2, 0],
  ];
  const k = [
    [0, 1, 1, 1],
    [0, 2, 1, 1],
    [0, 1, 1, 0],
    [0, 2, 2, 1],
    [1, 1, 1, 1],
  ];

  it('with 5 paired models cannot reach alpha 0.05: inconclusive, naming the 6 models needed', () => {
    const r = pieNoiseFloor(b, k, { design: 'paired' });
    expect(r).toMatchObject({ status: 'inconclusive', method: 'exact', splits: 32, minAchievableP: 0.0625, significant: false });
    expect(r.reason).toContain('need at least 6 models per level');
    expect(r.p).toBeGreaterThanOrEqual(0.0625);
    expect(modelsNeeded('paired', 0.05)).toBe(6);
    expect(modelsNeeded('independent', 0.05)).toBe(4);
    expect(modelsNeeded('paired', 0.01)).toBe(8);
    // The independent design of the same 5 + 5 models has C(10, 5) = 252 splits: alpha is reachable.
    expect(pieNoiseFloor(b, k, { design: 'independent' })).toMatchObject({
      status: 'ok',
      splits: 252,
      minAchievableP: 2 / 252,
      reason: null,
    });
  });

  it('says when too few draws, not too few models, keep alpha out of reach', () => {
    const r = pieNoiseFloor(b, k, { design: 'independent', maxExactSplits: 10, draws: 9 });
    expect(r).toMatchObject({ status: 'inconclusive', method: 'monteCarlo', minAchievableP: 0.1 });
    expect(r.reason).toContain('use at least 19 draws');
  });

  it("'auto' pairs by member id (in any order) and falls back to independent otherwise, saying why", () => {
    const ids = ['seed-0', 'seed-1', 'seed-2', 'seed-3', 'seed-4'];
    const auto = pieNoiseFloor(b, k, { baselineIds: ids, compressedIds: [...ids].reverse() });
    expect(auto.design).toBe('paired');
    expect(auto.designReason).toContain('member ids');
    const explicit = pieNoiseFloor(b, [...k].reverse(), { design: 'paired' });
    expect(auto.p).toBe(explicit.p);
    expect(pieNoiseFloor(b, k).design).toBe('independent');
    expect(pieNoiseFloor(b, k, { baselineIds: ids, compressedIds: ['a', 'b', 'c', 'd', 'e'] }).design).toBe('independent');
    expect(pieNoiseFloor(b, k.slice(0, 3), { baselineIds: ids, compressedIds: ids.slice(0, 3) }).design).toBe('independent');
  });

  it('enumerates each split once: C(M, a) subsets and 2^M swaps, the observed split first', () => {
    const s = permutationSplits('independent', 2, 3);
    expect(s.nSplits).toBe(10);
    expect(Array.from(s.sides.subarray(0, 2))).toEqual([0, 1]);
    const keys = new Set<string>();
    for (let i = 0; i < s.nSplits; i++) keys.add(Array.from(s.sides.subarray(2 * i, 2 * i + 2)).join(','));
    expect(keys.size).toBe(10);
    const smallerCompressed = permutationSplits('independent', 3, 1);
    expect(Array.from(smallerCompressed.sides.subarray(0, 1))).toEqual([3]);
    expect(smallerCompressed.designMinP).toBe(1 / 4);
    const p = permutationSplits('paired', 3, 3);
    expect(p.nSplits).toBe(8);
    expect(Array.from(p.sides.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(p.sides.subarray(21, 24))).toEqual([3, 4, 5]);
  });

  it('rejects bad input with a typed error naming the argument', () => {
    expect(codeOf(() => pieNoiseFloor(b, [[0, 1, 2]]))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => pieNoiseFloor([], k))).toBe('EMPTY_POPULATION');
    expect(codeOf(() => pieNoiseFloor([[]], [[]]))).toBe('INSUFFICIENT_SAMPLES');
    expect(codeOf(() => pieNoiseFloor(b, k.slice(0, 2), { design: 'paired' }))).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(() =>
        pieNoiseFloor(b, k, { design: 'paired', baselineIds: ['a', 'b', 'c', 'd', 'e'], compressedIds: ['a', 'b', 'c', 'd', 'x'] }),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => pieNoiseFloor(b, k, { baselineIds: ['a', 'a', 'c', 'd', 'e'], compressedIds: ['a', 'b', 'c', 'd', 'e'] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => pieNoiseFloor(b, k, { design: 'bogus' as 'paired' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => pieNoiseFloor(b, k, { alpha: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => pieNoiseFloor(b, k, { draws: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => pieNoiseFloor(b, k, { seed: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => pieNoiseFloor(b, k, { nClasses: 2 }))).toBe('LABEL_OUT_OF_RANGE');
    expect(codeOf(() => pieNoiseFloor([[0, NaN, 1, 0]], k))).toBe('NON_FINITE');
    expect(() => pieNoiseFloor(b, [k[0], [0, 1, 7, 0], ...k.slice(2)], { nClasses: 3 })).toThrow(/compressed\[1\]\[2\] is 7/);
  });
});
