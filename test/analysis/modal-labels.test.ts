import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { modalLabels } from '../../src/analysis/modal-labels.js';
import { PieAuditError } from '../../src/errors.js';
import { bruteModal, populationArb } from './helpers.js';

const SEED = 20240521;

function expectError(f: () => unknown, code: string, fragment: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PieAuditError);
    expect((e as PieAuditError).code).toBe(code);
    expect((e as PieAuditError).message).toContain(fragment);
    return;
  }
  throw new Error(`expected a PieAuditError ${code}`);
}

describe('modalLabels', () => {
  it('matches a brute-force count for both tie rules (scan path, few classes)', () => {
    fc.assert(
      fc.property(populationArb(), fc.constantFrom<'max' | 'min'>('max', 'min'), ({ rows, population, nClasses }, tieBreak) => {
        const nExamples = rows[0].length;
        const ref = bruteModal(rows, nExamples, tieBreak);
        const got = modalLabels(population, { tieBreak, nClasses });
        expect(Array.from(got.labels)).toEqual(ref.labels);
        expect(Array.from(got.isTie)).toEqual(ref.isTie);
        expect(got.ties).toBe(ref.isTie.reduce((s, x) => s + x, 0));
        expect(got.nModels).toBe(rows.length);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('matches a brute-force count with many classes (word-scan and label-revisit argmax paths)', () => {
    fc.assert(
      fc.property(
        populationArb({ minClasses: 65, maxClasses: 3000, maxModels: 12 }),
        fc.constantFrom<'max' | 'min'>('max', 'min'),
        ({ rows, population, nClasses }, tieBreak) => {
          const ref = bruteModal(rows, rows[0].length, tieBreak);
          const got = modalLabels(population, { tieBreak, nClasses });
          expect(Array.from(got.labels)).toEqual(ref.labels);
          expect(Array.from(got.isTie)).toEqual(ref.isTie);
        },
      ),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('matches a brute-force count with a huge class count (per-example sort path, Int32Array output)', () => {
    fc.assert(
      fc.property(populationArb({ maxClasses: 20 }), fc.constantFrom<'max' | 'min'>('max', 'min'), ({ rows, population }, tieBreak) => {
        const ref = bruteModal(rows, rows[0].length, tieBreak);
        const got = modalLabels(population, { tieBreak, nClasses: (1 << 22) + 1 });
        expect(got.labels).toBeInstanceOf(Int32Array);
        expect(Array.from(got.labels)).toEqual(ref.labels);
        expect(Array.from(got.isTie)).toEqual(ref.isTie);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('counts correctly with 256+ models (wider counters)', () => {
    const rows: number[][] = [];
    for (let m = 0; m < 300; m++) rows.push([m % 3, m < 200 ? 1 : 0, m % 2, 4, (m * 7) % 5]);
    for (const tieBreak of ['max', 'min'] as const) {
      const got = modalLabels(
        rows.map((r) => Uint8Array.from(r)),
        { tieBreak },
      );
      expect(Array.from(got.labels)).toEqual(bruteModal(rows, 5, tieBreak).labels);
    }
  });

  it('does not depend on the order of the models', () => {
    fc.assert(
      fc.property(populationArb(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ population }, seed) => {
        const shuffled = population.slice();
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        for (const tieBreak of ['max', 'min'] as const) {
          expect(Array.from(modalLabels(shuffled, { tieBreak }).labels)).toEqual(Array.from(modalLabels(population, { tieBreak }).labels));
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("tieBreak 'max' >= 'min', equal wherever there is no tie", () => {
    fc.assert(
      fc.property(populationArb(), ({ population }) => {
        const hi = modalLabels(population, { tieBreak: 'max' });
        const lo = modalLabels(population, { tieBreak: 'min' });
        expect(Array.from(hi.isTie)).toEqual(Array.from(lo.isTie));
        for (let i = 0; i < hi.labels.length; i++) {
          expect(hi.labels[i]).toBeGreaterThanOrEqual(lo.labels[i]);
          if (!hi.isTie[i]) expect(hi.labels[i]).toBe(lo.labels[i]);
        }
        if (hi.ties === 0) expect(Array.from(hi.labels)).toEqual(Array.from(lo.labels));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('infers nClasses as the largest label + 1 and defaults to the max tie rule', () => {
    const r = modalLabels([
      [3, 0],
      [5, 0],
    ]);
    expect(r.nClasses).toBe(6);
    expect(Array.from(r.labels)).toEqual([5, 0]);
    expect(r.labels).toBeInstanceOf(Uint16Array);
    expect(r.ties).toBe(1);
  });

  it('returns empty results for zero examples', () => {
    const r = modalLabels([new Uint8Array(0), new Uint8Array(0)], { nClasses: 3 });
    expect(r.labels.length).toBe(0);
    expect(r.ties).toBe(0);
  });

  it('rejects bad populations and labels with errors naming the argument', () => {
    expectError(() => modalLabels([]), 'EMPTY_POPULATION', 'population');
    expectError(() => modalLabels([[0, 1], [0]]), 'LENGTH_MISMATCH', 'population[1]');
    expectError(
      () =>
        modalLabels(
          [
            [0, 1],
            [0, 3],
          ],
          { nClasses: 3 },
        ),
      'LABEL_OUT_OF_RANGE',
      'population[1][1]',
    );
    expectError(() => modalLabels([[0, -1]], { nClasses: 3 }), 'LABEL_OUT_OF_RANGE', 'population[0][1]');
    expectError(() => modalLabels([[0, 1.5]]), 'LABEL_OUT_OF_RANGE', 'population[0][1]');
    expectError(() => modalLabels([[NaN, 1]], { nClasses: 3 }), 'NON_FINITE', 'population[0][0]');
    expectError(() => modalLabels([[0]], { nClasses: 0 }), 'INVALID_ARGUMENT', 'nClasses');
    expectError(() => modalLabels([[0]], { tieBreak: 'first' as never }), 'INVALID_ARGUMENT', 'tieBreak');
    expectError(() => modalLabels([[0], null as never]), 'INVALID_ARGUMENT', 'population[1]');
  });
});
