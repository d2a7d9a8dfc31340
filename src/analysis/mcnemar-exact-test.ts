import { PieAuditError } from '../errors.js';
import { regularizedIncompleteBeta } from './stats/incomplete-beta.js';

/** Result of {@link mcnemarExactTest}. */
export interface McNemarExactResult {
  /** Discordant examples: `lost` (first model right, second wrong) plus `gained` (first wrong, second right). */
  discordant: number;
  /** Two-sided exact p: `min(1, 2 P(X <= min(lost, gained)))` for X ~ Binomial(discordant, 1/2); 1 without flips. */
  p: number;
}

function checkCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} must be a non-negative integer count (got ${String(value)}).`, { name });
  }
}

/** P(X <= k) for X ~ Binomial(n, 1/2), through the regularized incomplete beta function. */
function binomialHalfCdf(k: number, n: number): number {
  if (k >= n) return 1;
  return regularizedIncompleteBeta(0.5, n - k, k + 1);
}

/**
 * McNemar's exact test of two classifiers on the same examples: among the examples exactly one of them gets right,
 * is the share the second one gets right 1/2? Conditional on the discordant count the number of gains is
 * Binomial(discordant, 1/2) under the null, so the two-sided p is SciPy's `binomtest(gained, discordant, 0.5).pvalue`
 * (the distribution is symmetric: twice the smaller tail, at most 1). Concordant examples carry no information about
 * the difference and do not enter. The smallest p of d flips is `2 / 2^d`: never 0.
 *
 * @param lost - examples the first (baseline) model got right and the second (compressed) got wrong
 * @param gained - examples the first got wrong and the second right
 * @param n - examples in the comparison; at least `lost + gained`
 * @throws PieAuditError `INVALID_ARGUMENT` (counts not non-negative integers, n below the flips)
 * @example
 * mcnemarExactTest(12, 3, 500).p; // 0.03515625 (scipy.stats.binomtest(3, 15, 0.5).pvalue)
 */
export function mcnemarExactTest(lost: number, gained: number, n: number): McNemarExactResult {
  checkCount(lost, 'lost');
  checkCount(gained, 'gained');
  checkCount(n, 'n');
  if (n < lost + gained) {
    throw new PieAuditError('INVALID_ARGUMENT', `n (${n}) must be at least lost + gained (${lost + gained}).`, { name: 'n' });
  }
  const d = lost + gained;
  if (d === 0) return { discordant: 0, p: 1 };
  return { discordant: d, p: lost === gained ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(lost, gained), d)) };
}
