import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attributeOverIndex } from '../../src/analysis/attribute-over-index.js';
import { adjustPValues, fisherExactTest } from '../../src/analysis/stats/index.js';
import { codeOf, rng } from './helpers.js';

const SEED = 2718;

const dataArb = fc.integer({ min: 2, max: 60 }).chain((n) =>
  fc.record({
    isPIE: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    sex: fc.array(fc.constantFrom<string | null>('Female', 'Male', null), { minLength: n, maxLength: n }),
    blond: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  }),
);

describe('attributeOverIndex', () => {
  it('computes shares, ratios and Fisher p-values per value, BH-adjusted across all values of all attributes', () => {
    fc.assert(
      fc.property(dataArb, ({ isPIE, sex, blond }) => {
        const r = attributeOverIndex(isPIE, { sex, Blond_Hair: blond });
        const ok = r.rows.filter((x) => x.status === 'ok');
        const adjusted = adjustPValues(
          ok.map((x) => x.p as number),
          'bh',
        );
        ok.forEach((row, i) => expect(row.pAdjusted).toBe(adjusted[i]));
        for (const row of r.rows) {
          const values = (row.attribute === 'sex' ? sex : blond) as (string | boolean | null)[];
          const keep = values.map((v) => v !== null);
          const nOverall = keep.filter(Boolean).length;
          const nPIEs = isPIE.filter((p, i) => p && keep[i]).length;
          const countOverall = values.filter((v) => String(v) === row.value).length;
          const a = values.filter((v, i) => String(v) === row.value && isPIE[i]).length;
          expect({ nOverall: row.nOverall, nPIEs: row.nPIEs, countOverall: row.countOverall, countAmongPIEs: row.countAmongPIEs }).toEqual({
            nOverall,
            nPIEs,
            countOverall,
            countAmongPIEs: a,
          });
          expect(row.shareOverall).toBeCloseTo(countOverall / nOverall, 12);
          if (nPIEs === 0) {
            expect(row.status).toBe('inconclusive');
            expect(row.overIndexRatio).toBeNull();
            expect(row.p).toBeNull();
          } else {
            expect(row.overIndexRatio).toBeCloseTo(a / nPIEs / (countOverall / nOverall), 12);
            expect(row.shareDifference).toBeCloseTo(a / nPIEs - countOverall / nOverall, 11);
            if (nPIEs < nOverall) {
              const p = fisherExactTest(
                [
                  [a, nPIEs - a],
                  [countOverall - a, nOverall - nPIEs - countOverall + a],
                ],
                { alternative: 'two-sided' },
              ).p;
              expect(row.p).toBe(p);
              expect(row.p as number).toBeGreaterThanOrEqual(0);
              expect(row.p as number).toBeLessThanOrEqual(1);
            } else {
              expect(row.status).toBe('inconclusive');
            }
          }
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('gives a ratio of exactly 1 when the shares among PIEs and overall are equal', () => {
    // 8 examples, 4 PIEs; 'F' is half of the PIEs and half overall.
    const r = attributeOverIndex([1, 1, 1, 1, 0, 0, 0, 0], { sex: ['F', 'F', 'M', 'M', 'F', 'F', 'M', 'M'] });
    for (const row of r.rows) {
      expect(row.overIndexRatio).toBe(1);
      expect(row.shareDifference).toBe(0);
      expect(row.p).toBeCloseTo(1, 12);
    }
  });

  it('averages to a ratio of 1 when PIEs are a random sample of the examples', () => {
    const next = rng(SEED);
    const n = 2000;
    const attr: string[] = [];
    for (let i = 0; i < n; i++) attr.push(next() < 0.2 ? 'rare' : 'common');
    const ratios: number[] = [];
    for (let draw = 0; draw < 200; draw++) {
      const isPIE = new Uint8Array(n);
      for (let i = 0; i < n; i++) isPIE[i] = next() < 0.05 ? 1 : 0;
      const row = attributeOverIndex(isPIE, { attr }).rows.find((x) => x.value === 'rare');
      ratios.push(row?.overIndexRatio as number);
    }
    const meanRatio = ratios.reduce((s, x) => s + x, 0) / ratios.length;
    // The ratio of one draw has a standard deviation of about 0.2 here; the mean of 200 draws about 0.015.
    expect(Math.abs(meanRatio - 1)).toBeLessThan(0.05);
  });

  it('reports rows as inconclusive, with no ratio, when there are no PIEs', () => {
    const r = attributeOverIndex([0, 0, 0], { sex: ['F', 'M', 'F'] });
    expect(r.rows).toHaveLength(2);
    for (const row of r.rows) {
      expect(row.status).toBe('inconclusive');
      expect(row.overIndexRatio).toBeNull();
      expect(row.shareAmongPIEs).toBeNull();
      expect(row.p).toBeNull();
      expect(row.significant).toBe(false);
    }
  });

  it('excludes missing values per attribute', () => {
    const r = attributeOverIndex([1, 0, 1, 0], { age: ['Young', null, null, 'Old'], sex: ['F', 'M', 'F', 'M'] });
    const young = r.rows.find((x) => x.attribute === 'age' && x.value === 'Young');
    expect(young).toMatchObject({
      nOverall: 2,
      nPIEs: 1,
      nMissing: 2,
      countAmongPIEs: 1,
      shareAmongPIEs: 1,
      shareOverall: 0.5,
      overIndexRatio: 2,
    });
    const f = r.rows.find((x) => x.attribute === 'sex' && x.value === 'F');
    expect(f).toMatchObject({ nOverall: 4, nPIEs: 2, overIndexRatio: 2 });
  });

  it('rejects mismatched lengths and bad flags with named arguments', () => {
    expect(codeOf(() => attributeOverIndex([1, 0], { sex: ['F'] }))).toBe('LENGTH_MISMATCH');
    expect(() => attributeOverIndex([1, 0], { sex: ['F'] })).toThrow(/attributes\.sex/);
    expect(codeOf(() => attributeOverIndex([1, 2], { sex: ['F', 'M'] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => attributeOverIndex([1, 0], { score: [1, NaN] }))).toBe('NON_FINITE');
  });
});
