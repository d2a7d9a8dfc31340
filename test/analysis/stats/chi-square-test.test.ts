import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chiSquareTest } from '../../../src/analysis/stats/chi-square-test.js';
import { expectClose, loadFixture } from './fixtures.js';

const oracle = loadFixture('stats-oracle.json');
const rReference = loadFixture('stats-extra/r-reference.json');

describe('chiSquareTest against R', () => {
  it('matches R statistic, p and expected counts to 1e-9 on every oracle table, with and without Yates', () => {
    for (const t of oracle.tables) {
      for (const [correction, key] of [
        [true, 'chisq_yates'],
        [false, 'chisq_plain'],
      ] as const) {
        const R = t[key].r;
        const r = chiSquareTest(t.table, { correction });
        const label = `${t.id} ${key}`;
        expect(r.df).toBe(R.df);
        expect(r.expected.flat()).toEqual(R.expected.map((e: number) => expect.closeTo(e, 12)));
        expect(r.lowExpectedCount, label).toBe(R.warnings.includes('Chi-squared approximation may be incorrect'));
        if (Number.isNaN(R.statistic)) {
          expect(r.inconclusive, label).toBe(true);
          expect(r.statistic).toBeNull();
          expect(r.p).toBeNull();
          continue;
        }
        expect(r.inconclusive).toBe(false);
        expectClose(r.statistic as number, R.statistic, 1e-9, `${label} statistic`);
        expectClose(r.p as number, R.p, 1e-9, `${label} p`);
      }
    }
  });

  it('matches R on r x c tables, tiny and large counts and fractional counts', () => {
    for (const c of rReference.chisq) {
      for (const R of c.results) {
        const r = chiSquareTest(c.table, { correction: R.correct });
        const label = `${c.id} correct=${R.correct}`;
        expect(r.df).toBe(R.df);
        expectClose(r.statistic as number, R.statistic, 1e-12, `${label} statistic`);
        expectClose(r.p as number, R.p, 1e-12, `${label} p`);
        r.expected.flat().forEach((e, i) => expectClose(e, R.expected_row_major[i], 1e-14, `${label} expected[${i}]`));
      }
    }
  });

  it("applies Yates only to 2 x 2 tables and uses R's min(0.5, |O - E|)", () => {
    expect(
      chiSquareTest([
        [12, 5, 9],
        [7, 11, 14],
      ]).correction,
    ).toBe(false);
    expect(
      chiSquareTest([
        [10, 2],
        [3, 15],
      ]).correction,
    ).toBe(true);
    expect(
      chiSquareTest(
        [
          [10, 2],
          [3, 15],
        ],
        { correction: false },
      ).correction,
    ).toBe(false);
    // |O - E| = 0.25 everywhere: the correction is 0.25, not 0.5, and the statistic is 0
    expect(
      chiSquareTest([
        [10, 10],
        [10, 11],
      ]).statistic,
    ).toBeCloseTo(0, 15);
  });
});

describe('chiSquareTest properties', () => {
  const cell = fc.integer({ min: 1, max: 200 });
  const table = fc
    .tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 4 }))
    .chain(([r, c]) => fc.array(fc.array(cell, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

  it('p is in [0, 1], the statistic is non-negative, and Yates never increases the 2 x 2 statistic', () => {
    fc.assert(
      fc.property(table, (m) => {
        const plain = chiSquareTest(m, { correction: false });
        const corrected = chiSquareTest(m);
        for (const r of [plain, corrected]) {
          expect(r.p as number).toBeGreaterThanOrEqual(0);
          expect(r.p as number).toBeLessThanOrEqual(1);
          expect(r.statistic as number).toBeGreaterThanOrEqual(0);
        }
        expect(corrected.statistic as number).toBeLessThanOrEqual((plain.statistic as number) * (1 + 1e-12));
      }),
      { seed: 401, numRuns: 150 },
    );
  });

  it('is invariant under transposing the table and permuting rows', () => {
    fc.assert(
      fc.property(table, (m) => {
        const transposed = m[0].map((_, j) => m.map((row) => row[j]));
        const reversed = [...m].reverse();
        const r = chiSquareTest(m, { correction: false });
        expectClose(chiSquareTest(transposed, { correction: false }).statistic as number, r.statistic as number, 1e-12, 'transpose');
        expectClose(chiSquareTest(reversed, { correction: false }).statistic as number, r.statistic as number, 1e-12, 'reverse');
      }),
      { seed: 403, numRuns: 150 },
    );
  });
});

describe('chiSquareTest degenerate and invalid input', () => {
  it('returns inconclusive with null statistic and p when a row or column total is zero (R: NaN)', () => {
    const r = chiSquareTest([
      [5, 0],
      [3, 0],
    ]);
    expect(r).toMatchObject({ inconclusive: true, statistic: null, p: null, df: 1 });
    expect(
      chiSquareTest([
        [0, 0, 0],
        [1, 2, 3],
      ]).inconclusive,
    ).toBe(true);
  });

  it('throws INSUFFICIENT_SAMPLES for an all-zero table and INVALID_ARGUMENT for bad counts or shapes', () => {
    expect(() =>
      chiSquareTest([
        [0, 0],
        [0, 0],
      ]),
    ).toThrowError(expect.objectContaining({ code: 'INSUFFICIENT_SAMPLES' }));
    for (const m of [
      [
        [1, -2],
        [3, 4],
      ],
      [
        [1, Infinity],
        [3, 4],
      ],
      [[1, 2]],
      [[1, 2], [3]],
      [[1], [2]],
    ]) {
      expect(() => chiSquareTest(m as number[][])).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
