import { PieAuditError } from '../../errors.js';
import { readCountTable } from './contingency-table.js';
import { hypergeometricCdf, logHypergeometricPmf } from './hypergeometric-distribution.js';
import { compensatedSum } from './sum.js';
import { type Alternative, checkAlternative, checkConfLevel } from './validate.js';
import { zeroin } from './zeroin.js';

/** Options of {@link fisherExactTest}. */
export interface FisherExactTestOptions {
  /** Alternative about the odds ratio: 'two-sided' (default, OR != 1), 'less' (OR < 1) or 'greater' (OR > 1). */
  alternative?: Alternative;
  /** Confidence level of `ci`, in (0, 1); default 0.95. */
  confLevel?: number;
}

/** Result of {@link fisherExactTest}. */
export interface FisherExactTestResult {
  /** Exact p-value. */
  p: number;
  /** The sample odds ratio ad / (bc); Infinity when only bc = 0, null when ad = bc = 0 (undefined). */
  sampleOddsRatio: number | null;
  /** R's estimate: the conditional maximum-likelihood odds ratio (0 or Infinity at the support ends). */
  conditionalMleOddsRatio: number;
  /** Confidence interval for the odds ratio (conditional, as R); one-sided alternatives give 0 or Infinity. */
  ci: [number, number];
  alternative: Alternative;
  confLevel: number;
}

const R_RELATIVE_ERROR = 1 + 1e-7;
/** Largest support (min of the margins, plus one) the exact test enumerates: 16 MB of scratch, about a second. */
export const MAX_FISHER_SUPPORT = 1_000_000;
const DOUBLE_EPSILON = Number.EPSILON;

/**
 * Fisher's exact test for a 2 x 2 table [[a, b], [c, d]], matching R's `fisher.test`.
 *
 * Conditioning on the margins, a follows a hypergeometric distribution (noncentral, with the odds
 * ratio as parameter). Two-sided p sums the probabilities of all tables no more likely than the
 * observed one, with R's tolerance: P(t) <= P(observed) * (1 + 1e-7). One-sided p-values are
 * hypergeometric tails. The estimate is the conditional MLE of the odds ratio and the interval
 * inverts the noncentral tails; both are found with a port of R's `uniroot` at its default
 * tolerance, so they reproduce R's numbers (R's own roots carry that tolerance, about 1e-4 in
 * the root-finding variable).
 *
 * Throws 'INVALID_ARGUMENT' for tables that are not 2 x 2 or hold negative or non-integer counts.
 *
 * @throws {PieAuditError} `INVALID_ARGUMENT` when the support exceeds {@link MAX_FISHER_SUPPORT} (use `chiSquareTest`).
 * @example
 * const r = fisherExactTest([[3, 1], [1, 3]]);
 * r.p;                        // 0.4857142857142859 (R: 0.4857142857142858)
 * r.conditionalMleOddsRatio;  // 6.408308867005792 (R: 6.408308867005788)
 */
// long-function: one port of R's fisher.test; dnhyper, mnhyper, pnhyper and the root finders are closures over the
// same support and log-densities, as in R, so the steps read against R's source line by line.
export function fisherExactTest(
  table: readonly (readonly number[])[] | [[number, number], [number, number]],
  options: FisherExactTestOptions = {},
): FisherExactTestResult {
  const alternative = checkAlternative(options.alternative);
  const confLevel = checkConfLevel(options.confLevel);
  const [[a, b], [c, d]] = readCountTable(table, { requireIntegers: true, exactly2x2: true });

  const m = a + c; // first column total
  const n = b + d; // second column total
  const k = a + b; // first row total
  const x = a;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const size = hi - lo + 1;
  // The exact test walks the whole support (twice per root-finding step): bound it rather than allocate gigabytes.
  if (size > MAX_FISHER_SUPPORT) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `fisherExactTest: the table's margins give ${size} possible counts (more than ${MAX_FISHER_SUPPORT}); at these sizes use chiSquareTest, whose approximation is then accurate.`,
      { name: 'table', support: size },
    );
  }
  const logdc = new Float64Array(size);
  for (let i = 0; i < size; i++) logdc[i] = logHypergeometricPmf(lo + i, m, n, k);
  const weights = new Float64Array(size); // scratch for the unnormalized noncentral probabilities

  // Noncentral hypergeometric probabilities over the support lo..hi for odds ratio ncp (R's dnhyper).
  const dnhyper = (ncp: number): Float64Array => {
    const logNcp = Math.log(ncp);
    let max = -Infinity;
    for (let i = 0; i < size; i++) {
      const v = logdc[i] + logNcp * (lo + i);
      weights[i] = v;
      if (v > max) max = v;
    }
    for (let i = 0; i < size; i++) weights[i] = Math.exp(weights[i] - max);
    const total = compensatedSum(weights);
    for (let i = 0; i < size; i++) weights[i] /= total;
    return weights;
  };
  /** Compensated sum of d[i] * factor(i) over i in [from, to]. */
  const sumRange = (d: Float64Array, from: number, to: number, withSupport: boolean): number => {
    let sum = 0;
    let compensation = 0;
    for (let i = from; i <= to; i++) {
      const v = withSupport ? d[i] * (lo + i) : d[i];
      const t = sum + v;
      compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
      sum = t;
    }
    return sum + compensation;
  };
  const mnhyper = (ncp: number): number => {
    if (ncp === 0) return lo;
    if (ncp === Infinity) return hi;
    return sumRange(dnhyper(ncp), 0, size - 1, true);
  };
  const pnhyper = (q: number, ncp: number, upperTail: boolean): number => {
    if (ncp === 1) {
      return upperTail ? hypergeometricCdf(x - 1, m, n, k, false) : hypergeometricCdf(x, m, n, k);
    }
    if (ncp === 0) return Number(upperTail ? q <= lo : q >= lo);
    if (ncp === Infinity) return Number(upperTail ? q <= hi : q >= hi);
    const d = dnhyper(ncp);
    return upperTail ? sumRange(d, Math.max(0, q - lo), size - 1, false) : sumRange(d, 0, Math.min(size - 1, q - lo), false);
  };

  let p: number;
  if (alternative === 'less') p = pnhyper(x, 1, false);
  else if (alternative === 'greater') p = pnhyper(x, 1, true);
  else {
    const dn = dnhyper(1);
    const threshold = dn[x - lo] * R_RELATIVE_ERROR;
    p = compensatedSum(dn.filter((v) => v <= threshold));
  }
  p = Math.max(0, Math.min(1, p));

  const uniroot = (f: (t: number) => number, lower: number, upper: number): number => zeroin(f, lower, upper).root;

  const mle = (): number => {
    if (x === lo) return 0;
    if (x === hi) return Infinity;
    const mu = mnhyper(1);
    if (mu > x) return uniroot((t) => mnhyper(t) - x, 0, 1);
    if (mu < x) return 1 / uniroot((t) => mnhyper(1 / t) - x, DOUBLE_EPSILON, 1);
    return 1;
  };
  const ncpUpper = (alpha: number): number => {
    if (x === hi) return Infinity;
    const p1 = pnhyper(x, 1, false);
    if (p1 < alpha) return uniroot((t) => pnhyper(x, t, false) - alpha, 0, 1);
    if (p1 > alpha) return 1 / uniroot((t) => pnhyper(x, 1 / t, false) - alpha, DOUBLE_EPSILON, 1);
    return 1;
  };
  const ncpLower = (alpha: number): number => {
    if (x === lo) return 0;
    const p1 = pnhyper(x, 1, true);
    if (p1 > alpha) return uniroot((t) => pnhyper(x, t, true) - alpha, 0, 1);
    if (p1 < alpha) return 1 / uniroot((t) => pnhyper(x, 1 / t, true) - alpha, DOUBLE_EPSILON, 1);
    return 1;
  };

  let ci: [number, number];
  if (alternative === 'less') ci = [0, ncpUpper(1 - confLevel)];
  else if (alternative === 'greater') ci = [ncpLower(1 - confLevel), Infinity];
  else {
    const alpha = (1 - confLevel) / 2;
    ci = [ncpLower(alpha), ncpUpper(alpha)];
  }

  const ad = a * d;
  const bc = b * c;
  const sampleOddsRatio = bc === 0 ? (ad === 0 ? null : Infinity) : ad / bc;
  return { p, sampleOddsRatio, conditionalMleOddsRatio: mle(), ci, alternative, confLevel };
}
