import { PieAuditError } from '../../errors.js';
import { chiSquareSf } from './chi-square-distribution.js';
import { readCountTable } from './contingency-table.js';
import { compensatedSum } from './sum.js';

/** Options of {@link chiSquareTest}. */
export interface ChiSquareTestOptions {
  /** Yates' continuity correction for 2 x 2 tables (default true, as R); ignored for larger tables. */
  correction?: boolean;
}

/** Result of {@link chiSquareTest}. */
export interface ChiSquareTestResult {
  /** Pearson's X² statistic; null when `inconclusive`. */
  statistic: number | null;
  /** Degrees of freedom (rows - 1)(columns - 1). */
  df: number;
  /** Upper-tail chi-square p-value; null when `inconclusive`. */
  p: number | null;
  /** Expected counts row total * column total / grand total, same shape as the table. */
  expected: number[][];
  /** Whether the Yates correction was applied (2 x 2 with `correction`, as R). */
  correction: boolean;
  /** Some expected count is below 5: the case where R warns "Chi-squared approximation may be incorrect". */
  lowExpectedCount: boolean;
  /**
   * True when a row or column total is zero: some expected count is 0, the statistic is 0/0
   * (R returns NaN) and the test says nothing. statistic and p are then null.
   */
  inconclusive: boolean;
}

/**
 * Pearson's chi-square test of independence for an r x c table of counts, matching R's
 * `chisq.test(table, correct)`.
 *
 * X² = Σ (|O - E| - Y)² / E with E = row total × column total / n and, for a 2 x 2 table with
 * `correction` (default), Y = min(0.5, min |O - E|) as in R; otherwise Y = 0.
 * p = P(χ²_df > X²), df = (r - 1)(c - 1).
 *
 * A table with an all-zero row or column returns `inconclusive: true` with null statistic and p
 * (R gives NaN); a table of all zeros throws 'INSUFFICIENT_SAMPLES'. Negative or non-finite counts
 * throw 'INVALID_ARGUMENT'. Non-integer counts are accepted, as in R.
 *
 * @throws PieAuditError `INSUFFICIENT_SAMPLES`, `INVALID_ARGUMENT`
 * @example
 * const r = chiSquareTest([[10, 2], [3, 15]]);
 * r.statistic; // 10.45814479638009 (Yates)
 * r.p;         // 0.0012210985163115082
 */
export function chiSquareTest(table: readonly (readonly number[])[], options: ChiSquareTestOptions = {}): ChiSquareTestResult {
  const counts = readCountTable(table, { requireIntegers: false, exactly2x2: false });
  const rows = counts.length;
  const columns = counts[0].length;
  const rowTotals = counts.map((row) => compensatedSum(row));
  const columnTotals = Array.from({ length: columns }, (_, j) => compensatedSum(counts.map((row) => row[j])));
  const total = compensatedSum(rowTotals);
  if (total === 0) {
    throw new PieAuditError(
      'INSUFFICIENT_SAMPLES',
      'table has no observations (all counts are 0); the chi-square test needs at least one positive count.',
      { argument: 'table' },
    );
  }
  const expected = rowTotals.map((r) => columnTotals.map((c) => (r * c) / total));
  const df = (rows - 1) * (columns - 1);
  const lowExpectedCount = expected.some((row) => row.some((e) => e < 5));
  const applyCorrection = (options.correction ?? true) && rows === 2 && columns === 2;
  const inconclusive = expected.some((row) => row.some((e) => e === 0));
  if (inconclusive) {
    return { statistic: null, df, p: null, expected, correction: applyCorrection, lowExpectedCount, inconclusive };
  }
  let yates = 0;
  if (applyCorrection) {
    yates = 0.5;
    for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) yates = Math.min(yates, Math.abs(counts[i][j] - expected[i][j]));
  }
  const terms: number[] = [];
  // column-major, as R sums the matrix
  for (let j = 0; j < columns; j++) {
    for (let i = 0; i < rows; i++) {
      const deviation = Math.abs(counts[i][j] - expected[i][j]) - yates;
      terms.push((deviation * deviation) / expected[i][j]);
    }
  }
  const statistic = compensatedSum(terms);
  const p = chiSquareSf(statistic, df);
  return { statistic, df, p, expected, correction: applyCorrection, lowExpectedCount, inconclusive };
}
