import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findPIEs } from '../../src/analysis/find-pies.js';
import { isPieAuditError } from '../../src/errors.js';
import { bruteModal, populationArb, toContainer } from './helpers.js';

const SEED = 7321;

describe('findPIEs', () => {
  it('finds no PIEs when a population is compared with itself', () => {
    fc.assert(
      fc.property(populationArb(), fc.constantFrom<'max' | 'min'>('max', 'min'), ({ population }, tieBreak) => {
        const r = findPIEs(population, population, { tieBreak });
        expect(r.count).toBe(0);
        expect(r.rate).toBe(0);
        expect(r.isPIE.every((x) => x === 0)).toBe(true);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('flags exactly the examples whose modal labels differ; count is the sum of the flags', () => {
    const pair = fc
      .record({
        nExamples: fc.integer({ min: 1, max: 30 }),
        nClasses: fc.integer({ min: 2, max: 5 }),
        nB: fc.integer({ min: 1, max: 7 }),
        nK: fc.integer({ min: 1, max: 7 }),
      })
      .chain(({ nExamples, nClasses, nB, nK }) => {
        const rows = (n: number) =>
          fc.array(fc.array(fc.integer({ min: 0, max: nClasses - 1 }), { minLength: nExamples, maxLength: nExamples }), {
            minLength: n,
            maxLength: n,
          });
        return fc.tuple(rows(nB), rows(nK), fc.constantFrom<'max' | 'min'>('max', 'min'));
      });
    fc.assert(
      fc.property(pair, ([baseRows, compRows, tieBreak]) => {
        const n = baseRows[0].length;
        const r = findPIEs(
          baseRows.map((x) => toContainer(x, 'u8')),
          compRows.map((x) => toContainer(x, 'array')),
          { tieBreak },
        );
        const a = bruteModal(baseRows, n, tieBreak).labels;
        const b = bruteModal(compRows, n, tieBreak).labels;
        expect(Array.from(r.isPIE)).toEqual(a.map((x, i) => (x === b[i] ? 0 : 1)));
        expect(r.count).toBe(r.isPIE.reduce((s, x) => s + x, 0));
        expect(r.rate).toBeCloseTo(r.count / n, 12);
        expect(Array.from(r.baselineModal)).toEqual(a);
        expect(Array.from(r.compressedModal)).toEqual(b);
        expect(r.nExamples).toBe(n);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('uses one class count for both populations when inferring it', () => {
    const r = findPIEs([[0, 1]], [[0, 7]]);
    expect(r.nClasses).toBe(8);
    expect(Array.from(r.isPIE)).toEqual([0, 1]);
  });

  it('rejects populations that label different numbers of examples, naming the argument', () => {
    let err: unknown;
    try {
      findPIEs([[0, 1, 2]], [[0, 1]]);
    } catch (e) {
      err = e;
    }
    expect(isPieAuditError(err, 'LENGTH_MISMATCH')).toBe(true);
    expect((err as Error).message).toContain('compressedPopulation');
    expect(() => findPIEs([], [[0]])).toThrow(/baselinePopulation/);
    expect(() => findPIEs([[0]], [[2]], { nClasses: 2 })).toThrow(/compressedPopulation\[0\]\[0\]/);
  });
});
