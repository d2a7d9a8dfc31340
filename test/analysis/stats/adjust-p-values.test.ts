import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adjustPValues, type PAdjustMethod } from '../../../src/analysis/stats/adjust-p-values.js';
import { expectClose, loadFixture } from './fixtures.js';

const oracle = loadFixture('stats-oracle.json');
const rReference = loadFixture('stats-extra/r-reference.json');
const METHODS: PAdjustMethod[] = ['bh', 'by', 'holm', 'bonferroni', 'hochberg', 'none'];

function expectSameAdjusted(actual: (number | null)[], expected: (number | null)[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((v, i) => {
    if (expected[i] === null) expect(v, `${label}[${i}]`).toBeNull();
    else expectClose(v as number, expected[i] as number, 1e-12, `${label}[${i}]`);
  });
}

describe('adjustPValues against R', () => {
  it("matches the oracle's p.adjust(p, 'BH') to 1e-12, NA included", () => {
    for (const c of oracle.bh) {
      expectSameAdjusted(adjustPValues(c.p, 'bh'), c.r_p_adjust_BH, c.id);
    }
  });

  it('matches R 4.2 p.adjust for every method on ties, NA, 0/1, single and random inputs', () => {
    for (const c of rReference.p_adjust) {
      for (const method of METHODS) {
        expectSameAdjusted(adjustPValues(c.p, method), c[method], `${c.id} ${method}`);
      }
    }
  });

  it("follows R's NA rule: null and NaN stay missing and n counts only the others", () => {
    expect(adjustPValues([0.01, null, 0.04, 0.03], 'bonferroni')).toEqual([0.03, null, 0.12, 0.09]);
    expect(adjustPValues([0.01, Number.NaN, 0.02], 'bonferroni')).toEqual([0.02, null, 0.04]);
    expect(adjustPValues([null, 0.2], 'holm')).toEqual([null, 0.2]); // one value: n = 1, unchanged
    expect(adjustPValues([], 'bh')).toEqual([]);
  });
});

const pValues = fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.05)), {
  minLength: 1,
  maxLength: 40,
});

describe('adjustPValues properties', () => {
  it('adjusted p-values are in [0, 1], never below the raw p, and keep the order of the raw p-values', () => {
    fc.assert(
      fc.property(pValues, fc.constantFrom<PAdjustMethod>('bh', 'by', 'holm', 'bonferroni', 'hochberg'), (p, method) => {
        const adjusted = adjustPValues(p, method) as number[];
        for (let i = 0; i < p.length; i++) {
          expect(adjusted[i]).toBeGreaterThanOrEqual(p[i]);
          expect(adjusted[i]).toBeLessThanOrEqual(1);
          for (let j = 0; j < p.length; j++) {
            if (p[i] < p[j]) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]);
          }
        }
      }),
      { seed: 201, numRuns: 200 },
    );
  });

  it('orders the methods as theory says: hochberg <= holm <= bonferroni, bh <= by, bh <= hochberg', () => {
    fc.assert(
      fc.property(pValues, (p) => {
        const [bh, by, holm, bonferroni, hochberg] = (['bh', 'by', 'holm', 'bonferroni', 'hochberg'] as const).map(
          (m) => adjustPValues(p, m) as number[],
        );
        for (let i = 0; i < p.length; i++) {
          expect(hochberg[i]).toBeLessThanOrEqual(holm[i] * (1 + 1e-15));
          expect(holm[i]).toBeLessThanOrEqual(bonferroni[i] * (1 + 1e-15));
          expect(bh[i]).toBeLessThanOrEqual(by[i] * (1 + 1e-15));
          expect(bh[i]).toBeLessThanOrEqual(hochberg[i] * (1 + 1e-15));
        }
      }),
      { seed: 203, numRuns: 200 },
    );
  });

  it('does not depend on where missing values sit', () => {
    fc.assert(
      fc.property(pValues, fc.integer({ min: 0, max: 40 }), (p, position) => {
        const at = Math.min(position, p.length);
        const withGap: (number | null)[] = [...p.slice(0, at), null, ...p.slice(at)];
        const adjusted = adjustPValues(withGap, 'bh');
        const expected = adjustPValues(p, 'bh');
        expect([...adjusted.slice(0, at), ...adjusted.slice(at + 1)]).toEqual(expected);
        expect(adjusted[at]).toBeNull();
      }),
      { seed: 205, numRuns: 100 },
    );
  });
});

describe('adjustPValues invalid input', () => {
  it('throws INVALID_ARGUMENT for p outside [0, 1] naming the index, and for unknown methods', () => {
    expect(() => adjustPValues([0.2, 1.5], 'bh')).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('p[1]') }),
    );
    expect(() => adjustPValues([-0.1], 'holm')).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => adjustPValues([Infinity], 'holm')).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => adjustPValues([0.1], 'fdr' as never)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
