import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fisherExactTest } from '../../../src/analysis/stats/fisher-exact-test.js';
import { expectClose, loadFixture } from './fixtures.js';

const oracle = loadFixture('stats-oracle.json');
const rReference = loadFixture('stats-extra/r-reference.json');
const ALTERNATIVES = [
  ['two-sided', 'fisher_two_sided'],
  ['less', 'fisher_less'],
  ['greater', 'fisher_greater'],
] as const;

describe('fisherExactTest against R', () => {
  it('has p within 1e-9 of R for every oracle table and alternative', () => {
    for (const t of oracle.tables) {
      for (const [alternative, key] of ALTERNATIVES) {
        expectClose(fisherExactTest(t.table, { alternative }).p, t[key].r.p, 1e-9, `${t.id} ${alternative}`);
      }
    }
  });

  it("reproduces R's conditional MLE odds ratio and interval to 1e-6 (same uniroot steps)", () => {
    for (const t of oracle.tables) {
      for (const [alternative, key] of ALTERNATIVES) {
        const r = fisherExactTest(t.table, { alternative });
        const R = t[key].r;
        expectClose(r.conditionalMleOddsRatio, R.conditional_mle_odds_ratio, 1e-6, `${t.id} ${alternative} estimate`);
        expectClose(r.ci[0], R.conf_int_95[0], 1e-6, `${t.id} ${alternative} ci[0]`);
        expectClose(r.ci[1], R.conf_int_95[1], 1e-6, `${t.id} ${alternative} ci[1]`);
      }
    }
  });

  it('matches R on larger and lopsided tables at two confidence levels', () => {
    for (const c of rReference.fisher) {
      for (const R of c.results) {
        const alternative = R.alternative === 'two.sided' ? 'two-sided' : R.alternative;
        const r = fisherExactTest(c.table, { alternative, confLevel: R.conf_level });
        const label = `${c.id} ${alternative} ${R.conf_level}`;
        expectClose(r.p, R.p, 1e-9, `${label} p`);
        expectClose(r.conditionalMleOddsRatio, R.conditional_mle_odds_ratio, 1e-6, `${label} estimate`);
        expectClose(r.ci[0], R.conf_int[0], 1e-6, `${label} ci[0]`);
        expectClose(r.ci[1], R.conf_int[1], 1e-6, `${label} ci[1]`);
      }
    }
  });

  it('reports the sample odds ratio ad/bc (Infinity when bc = 0, null when undefined)', () => {
    expect(
      fisherExactTest([
        [3, 1],
        [1, 3],
      ]).sampleOddsRatio,
    ).toBe(9);
    expect(
      fisherExactTest([
        [0, 20],
        [6, 14],
      ]).sampleOddsRatio,
    ).toBe(0);
    expect(
      fisherExactTest([
        [9, 0],
        [4, 6],
      ]).sampleOddsRatio,
    ).toBe(Infinity);
    expect(
      fisherExactTest([
        [5, 0],
        [3, 0],
      ]).sampleOddsRatio,
    ).toBeNull();
  });
});

const count = fc.integer({ min: 0, max: 40 });
const table = fc.tuple(count, count, count, count).map(([a, b, c, d]) => [
  [a, b],
  [c, d],
]);

describe('fisherExactTest properties', () => {
  it('p is in [0, 1] and the two-sided p is at least the smaller one-sided p', () => {
    fc.assert(
      fc.property(table, (m) => {
        const two = fisherExactTest(m).p;
        const less = fisherExactTest(m, { alternative: 'less' }).p;
        const greater = fisherExactTest(m, { alternative: 'greater' }).p;
        for (const p of [two, less, greater]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expect(two).toBeGreaterThanOrEqual(Math.min(less, greater) * (1 - 1e-12));
        // (no upper bound of twice the one-sided p: the far tail may hold more small-probability tables, e.g. [[39, 0], [33, 39]])
      }),
      { seed: 301, numRuns: 150 },
    );
  });

  it('is symmetric under transpose (p, estimate and interval)', () => {
    fc.assert(
      fc.property(table, (m) => {
        const transposed = [
          [m[0][0], m[1][0]],
          [m[0][1], m[1][1]],
        ];
        const r = fisherExactTest(m);
        const rt = fisherExactTest(transposed);
        expectClose(rt.p, r.p, 1e-12, 'p');
        expectClose(rt.conditionalMleOddsRatio, r.conditionalMleOddsRatio, 1e-9, 'estimate');
      }),
      { seed: 303, numRuns: 100 },
    );
  });

  it('swapping the rows inverts the odds ratio and exchanges the one-sided alternatives', () => {
    fc.assert(
      fc.property(table, (m) => {
        const swapped = [m[1], m[0]];
        expectClose(fisherExactTest(swapped).p, fisherExactTest(m).p, 1e-12, 'two-sided p');
        expectClose(
          fisherExactTest(swapped, { alternative: 'less' }).p,
          fisherExactTest(m, { alternative: 'greater' }).p,
          1e-12,
          'less vs greater',
        );
      }),
      { seed: 307, numRuns: 100 },
    );
  });

  it('the interval contains the estimate', () => {
    fc.assert(
      fc.property(table, (m) => {
        const r = fisherExactTest(m);
        expect(r.ci[0]).toBeLessThanOrEqual(r.conditionalMleOddsRatio * (1 + 1e-9));
        expect(r.ci[1]).toBeGreaterThanOrEqual(r.conditionalMleOddsRatio * (1 - 1e-9));
      }),
      { seed: 309, numRuns: 100 },
    );
  });
});

describe('fisherExactTest invalid input', () => {
  it('throws INVALID_ARGUMENT for negative, non-integer or non-finite counts and for non-2x2 tables', () => {
    const bad: unknown[] = [
      [
        [1, -1],
        [2, 3],
      ],
      [
        [1.5, 1],
        [2, 3],
      ],
      [
        [1, Number.NaN],
        [2, 3],
      ],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [[1, 2]],
      [[1, 2], [3]],
      'table',
    ];
    for (const m of bad) {
      expect(() => fisherExactTest(m as number[][])).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() =>
      fisherExactTest(
        [
          [1, 2],
          [3, 4],
        ],
        { confLevel: 0 },
      ),
    ).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('names the offending cell', () => {
    expect(() =>
      fisherExactTest([
        [1, 2],
        [3, 4.5],
      ]),
    ).toThrowError(expect.objectContaining({ message: expect.stringContaining('table[1][1]') }));
  });
});
