import { PieAuditError } from '../errors.js';
import { regularizedIncompleteBeta } from './stats/incomplete-beta.js';

/** Result of {@link mcnemarExactTest}. */
export interface McNemarExactResult {
  /** Discordant examples: `lost` (first model right, second wrong) plus `gained` (first wrong, second right). */
  discordant: number;
  /** Two-sided exact p: `min(1, 2 P(X <= min(lost, gained)))` for X ~ Binomial(discordant, 1/2); 1 without flips. */
  p: number;
  /**
   * Exact (Clopper-Pearson) interval of the change `(gained - lost) / n` given the discordant count: the interval of
   * the binomial share of gains among flips, mapped to the change. Without flips, `[-u, u]` with u the Clopper-Pearson
   * upper bound of a flip rate with 0 flips in n examples: no flip seen is not a change known to be 0.
   */
  changeCi: [number, number];
}

function checkCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} must be a non-negative integer count (got ${String(value)}).`, { name });
  }
}

/** P(X <= k) for X ~ Binomial(n, 1/2), through the regularized incomplete beta function (exact to ~1e-15). */
function binomialHalfCdf(k: number, n: number): number {
  if (k >= n) return 1;
  return regularizedIncompleteBeta(0.5, n - k, k + 1);
}

/** The beta quantile by bisection of the regularized incomplete beta function (monotone in x). */
function betaQuantile(q: number, a: number, b: number): number {
  let low = 0;
  let high = 1;
  for (let i = 0; i < 100 && high - low > 1e-15; i++) {
    const mid = (low + high) / 2;
    if (regularizedIncompleteBeta(mid, a, b) < q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * McNemar's exact test of two classifiers on the same examples: among the examples exactly one of them gets right,
 * is the share the second one gets right 1/2? Conditional on the discordant count the number of gains is
 * Binomial(discordant, 1/2) under the null, so the two-sided p is SciPy's `binomtest(gained, discordant, 0.5).pvalue`
 * (the distribution is symmetric: twice the smaller tail, at most 1). Concordant examples carry no information about
 * the difference and do not enter.
 *
 * @param lost - examples the first (baseline) model got right and the second (compressed) got wrong
 * @param gained - examples the first got wrong and the second right
 * @param n - examples in the comparison (the change is `(gained - lost) / n`); at least `lost + gained`
 * @param confidence - coverage of `changeCi` (default 0.95)
 * @throws PieAuditError `INVALID_ARGUMENT` (counts not non-negative integers, n below the flips, confidence outside (0, 1))
 * @example
 * mcnemarExactTest(12, 3, 500).p; // 0.03515625 (scipy.stats.binomtest(3, 15, 0.5).pvalue)
 */
export function mcnemarExactTest(lost: number, gained: number, n: number, confidence = 0.95): McNemarExactResult {
  checkCount(lost, 'lost');
  checkCount(gained, 'gained');
  checkCount(n, 'n');
  if (n < lost + gained) {
    throw new PieAuditError('INVALID_ARGUMENT', `n (${n}) must be at least lost + gained (${lost + gained}).`, { name: 'n' });
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `confidence must be strictly between 0 and 1 (got ${String(confidence)}).`, {
      name: 'confidence',
    });
  }
  const d = lost + gained;
  const tail = (1 - confidence) / 2;
  if (d === 0) {
    const u = n === 0 ? 1 : 1 - tail ** (1 / n);
    return { discordant: 0, p: 1, changeCi: [-u, u] };
  }
  const p = lost === gained ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(lost, gained), d));
  const shareLow = gained === 0 ? 0 : betaQuantile(tail, gained, d - gained + 1);
  const shareHigh = gained === d ? 1 : betaQuantile(1 - tail, gained + 1, d - gained);
  // change = (gained - lost) / n = d (2 share - 1) / n.
  return { discordant: d, p, changeCi: [(d * (2 * shareLow - 1)) / n, (d * (2 * shareHigh - 1)) / n] };
}
