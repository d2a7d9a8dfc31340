import { PieAuditError } from '../../errors.js';
import { incompleteBetaPair } from './incomplete-beta.js';

/**
 * P(X >= k) for X ~ Binomial(n, p): I_p(k, n - k + 1), the regularized incomplete beta (each tail computed
 * directly, so a tiny tail keeps its relative accuracy). Equals `scipy.stats.binom.sf(k - 1, n, p)`.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (k or n not integers with 0 <= k <= n, p outside [0, 1])
 * @example
 * binomialUpperTail(3, 10, 0.1); // 0.0701908264
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  check(k, n, p);
  if (k === 0) return 1;
  if (p === 0) return 0;
  if (p === 1) return 1;
  return incompleteBetaPair(p, 1 - p, k, n - k + 1, Math.log(p), Math.log1p(-p)).lower;
}

/**
 * P(X <= k) for X ~ Binomial(n, p): 1 - I_p(k + 1, n - k), computed as the upper tail of the beta. Equals
 * `scipy.stats.binom.cdf(k, n, p)`.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * binomialLowerTail(0, 10, 0.1); // 0.3486784401
 */
export function binomialLowerTail(k: number, n: number, p: number): number {
  check(k, n, p);
  if (k === n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  return incompleteBetaPair(p, 1 - p, k + 1, n - k, Math.log(p), Math.log1p(-p)).upper;
}

function check(k: number, n: number, p: number): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0 || k > n || !(p >= 0 && p <= 1)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `a binomial tail needs integers 0 <= k <= n and 0 <= p <= 1; got k = ${String(k)}, n = ${String(n)}, p = ${String(p)}.`,
      { argument: 'k, n, p' },
    );
  }
}
