import { PieAuditError } from '../../errors.js';
import { sampleMoments, validateSample } from './sample-moments.js';
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
  /**
   * True when the standard error is below 10 · 2^-52 · max(|meanA|, |meanB|): R's criterion for
   * refusing with "data are essentially constant". The result is then computed anyway, but t
   * divides by rounding noise (e.g. values that differ only in their last bit), so a tiny p
   * means nothing. Always true when `degenerate`.
   */
  essentiallyConstant: boolean;
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
 * @throws {PieAuditError} `NON_FINITE` when a variance or the mean difference overflows a double.
 * @example
 * const r = welchTTest([0.493, 1.067], [0.329, 0.588]);
 * r.t;  // 1.0210762217732072
 * r.df; // 1.3909905329862462
 * r.p;  // 0.452113520515641 (R: 0.45211352051564124)
 */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>, options: WelchTTestOptions = {}): WelchTTestResult {
  const alternative = checkAlternative(options.alternative);
  const confLevel = checkConfLevel(options.confLevel);
  validateSample(a, 'a', 2);
  validateSample(b, 'b', 2);
  // t, df and p are scale-free: work on the data times a power of two (exact) that brings the
  // largest magnitude near 1, so squares of tiny or huge values neither underflow nor overflow.
  const scale = powerOfTwoScale(Math.max(maxAbs(a), maxAbs(b)));
  const unscale = 1 / scale;
  const ma = sampleMoments(a, 'a', 2, scale);
  const mb = sampleMoments(b, 'b', 2, scale);
  // Mean difference from the extended-precision means: (high parts) + (low parts).
  const scaledDifference = ma.meanHigh - mb.meanHigh + (ma.meanLow - mb.meanLow);
  const seA = ma.variance / ma.n;
  const seB = mb.variance / mb.n;
  const stderrSquared = seA + seB;
  const scaledStderr = Math.sqrt(stderrSquared);
  const meanDifference = scaledDifference * unscale;
  const stderr = scaledStderr * unscale;
  const base = {
    meanA: ma.mean * unscale,
    meanB: mb.mean * unscale,
    varA: ma.variance * unscale * unscale,
    varB: mb.variance * unscale * unscale,
    nA: ma.n,
    nB: mb.n,
    stderr,
    meanDifference,
    alternative,
    confLevel,
  };
  // The scaled test is exact, but variances of values beyond ~1e154 do not fit a double when unscaled.
  if (![base.varA, base.varB, base.stderr, base.meanDifference].every(Number.isFinite)) {
    throw new PieAuditError(
      'NON_FINITE',
      "welchTTest: the samples' variance or mean difference exceeds the largest double (values beyond about 1e154); rescale the data (t, df and p do not depend on the scale).",
      { name: 'a, b' },
    );
  }

  if (stderrSquared === 0) {
    const t = scaledDifference === 0 ? Number.NaN : scaledDifference > 0 ? Infinity : -Infinity;
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
    return { ...base, t, df: Number.NaN, p, ci, degenerate: true, essentiallyConstant: true };
  }

  const t = scaledDifference / scaledStderr;
  // Satterthwaite df written with the weights w = se²/(seA² + seB²), immune to under/overflow.
  const wA = seA / stderrSquared;
  const wB = seB / stderrSquared;
  const df = 1 / ((wA * wA) / (ma.n - 1) + (wB * wB) / (mb.n - 1));
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
  const essentiallyConstant = scaledStderr < 10 * Number.EPSILON * Math.max(Math.abs(ma.meanHigh), Math.abs(mb.meanHigh));
  return { ...base, t, df, p, ci, degenerate: false, essentiallyConstant };
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/**
 * A power of two s with s * max in [1, 2) (1 for an all-zero sample); the exponent is capped at
 * ±1000 so that s and 1/s are both finite doubles (subnormal data still lands far from underflow).
 */
function powerOfTwoScale(max: number): number {
  if (max === 0) return 1;
  const exponent = Math.max(-1000, Math.min(1000, -Math.floor(Math.log2(max))));
  return 2 ** exponent;
}
