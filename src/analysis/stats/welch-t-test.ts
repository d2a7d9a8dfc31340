import { sampleMoments } from './sample-moments.js';
import { studentTCdf, studentTQuantile, studentTSf } from './student-t-distribution.js';
import { type Alternative, checkAlternative, checkConfLevel } from './validate.js';

/** Options of {@link welchTTest}. */
export interface WelchTTestOptions {
  /** Alternative hypothesis about mean(a) - mean(b): 'two-sided' (default), 'less' or 'greater'. */
  alternative?: Alternative;
  /** Confidence level of `ci`, in (0, 1); default 0.95. */
  confLevel?: number;
}

/** Result of {@link welchTTest}. All numbers are finite except where `degenerate` says otherwise. */
export interface WelchTTestResult {
  /** t statistic (mean(a) - mean(b)) / stderr. */
  t: number;
  /** Welch-Satterthwaite degrees of freedom. NaN only when `degenerate`. */
  df: number;
  /** p-value for `alternative`. NaN only when `degenerate` and the means are equal. */
  p: number;
  meanA: number;
  meanB: number;
  /** Unbiased sample variances. */
  varA: number;
  varB: number;
  nA: number;
  nB: number;
  /** Standard error sqrt(varA/nA + varB/nB) of the mean difference. */
  stderr: number;
  /** Confidence interval for mean(a) - mean(b) (one-sided alternatives give an infinite end, as R). */
  ci: [number, number];
  /** The mean difference mean(a) - mean(b). */
  meanDifference: number;
  alternative: Alternative;
  confLevel: number;
  /**
   * True when both samples have zero variance (stderr = 0). Then, following SciPy, t = ±Infinity
   * and p = 0 (two-sided) if the means differ, t = p = NaN if they are equal; df is NaN and the
   * interval collapses to the mean difference. R refuses this case ("data are essentially constant").
   */
  degenerate: boolean;
}

/**
 * Welch's unequal-variance t-test of mean(a) = mean(b), as R's `t.test(a, b)`.
 *
 * t = (x̄a - x̄b) / sqrt(sa²/na + sb²/nb), df = (sa²/na + sb²/nb)² / [(sa²/na)²/(na-1) + (sb²/nb)²/(nb-1)],
 * two-sided p = 2 P(T_df > |t|), interval (x̄a - x̄b) ± q · stderr with q the Student t quantile
 * (R's (t ± q) · stderr, without the extra rounding of t).
 * Means and variances use a corrected two-pass algorithm whose mean carries extra precision,
 * so samples near 1e6 that differ by 1e-3 keep their digits (R loses about 1e-7 there).
 *
 * Throws PieAuditError 'INSUFFICIENT_SAMPLES' (a sample with fewer than 2 values, naming `a` or `b`),
 * 'NON_FINITE' (naming the argument and index) and 'INVALID_ARGUMENT' (bad options).
 * See `degenerate` for the one case that returns NaN.
 *
 * @example
 * const r = welchTTest([0.493, 1.067], [0.329, 0.588]);
 * r.t;  // 1.0210762217732072
 * r.df; // 1.390990532986246
 * r.p;  // 0.45211352051564124
 */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>, options: WelchTTestOptions = {}): WelchTTestResult {
  const alternative = checkAlternative(options.alternative);
  const confLevel = checkConfLevel(options.confLevel);
  const ma = sampleMoments(a, 'a');
  const mb = sampleMoments(b, 'b');
  // Mean difference from the extended-precision means: (high parts) + (low parts).
  const meanDifference = ma.meanHigh - mb.meanHigh + (ma.meanLow - mb.meanLow);
  const seA = ma.variance / ma.n;
  const seB = mb.variance / mb.n;
  const stderrSquared = seA + seB;
  const stderr = Math.sqrt(stderrSquared);
  const base = {
    meanA: ma.mean,
    meanB: mb.mean,
    varA: ma.variance,
    varB: mb.variance,
    nA: ma.n,
    nB: mb.n,
    stderr,
    meanDifference,
    alternative,
    confLevel,
  };

  if (stderrSquared === 0) {
    const t = meanDifference === 0 ? Number.NaN : meanDifference > 0 ? Infinity : -Infinity;
    let p: number;
    if (Number.isNaN(t)) p = Number.NaN;
    else if (alternative === 'two-sided') p = 0;
    else if (alternative === 'less') p = t < 0 ? 0 : 1;
    else p = t > 0 ? 0 : 1;
    const ci: [number, number] =
      alternative === 'two-sided'
        ? [meanDifference, meanDifference]
        : alternative === 'less'
          ? [-Infinity, meanDifference]
          : [meanDifference, Infinity];
    return { ...base, t, df: Number.NaN, p, ci, degenerate: true };
  }

  const t = meanDifference / stderr;
  const df = (stderrSquared * stderrSquared) / ((seA * seA) / (ma.n - 1) + (seB * seB) / (mb.n - 1));
  let p: number;
  let ci: [number, number];
  if (alternative === 'less') {
    p = studentTCdf(t, df);
    ci = [-Infinity, meanDifference + studentTQuantile(confLevel, df) * stderr];
  } else if (alternative === 'greater') {
    p = studentTSf(t, df);
    ci = [meanDifference - studentTQuantile(confLevel, df) * stderr, Infinity];
  } else {
    p = Math.min(1, 2 * studentTSf(Math.abs(t), df));
    const q = studentTQuantile(1 - (1 - confLevel) / 2, df);
    ci = [meanDifference - q * stderr, meanDifference + q * stderr];
  }
  return { ...base, t, df, p, ci, degenerate: false };
}
