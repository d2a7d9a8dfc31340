import { PieAuditError } from '../errors.js';
import { binomialLowerTail, binomialUpperTail } from './stats/binomial-tail.js';

/** Both one-sided p-values of {@link overIndexThresholdTest}. */
export interface OverIndexThresholdTest {
  /** Evidence that the over-index ratio exceeds the threshold (small: it does). */
  pAbove: number;
  /** Evidence that it is below the threshold (small: it is). */
  pBelow: number;
}

/**
 * An exact test of an attribute value's over-index ratio against a threshold T rather than against 1: the ratio
 * (share among PIEs / share in the test set) is at most T when the share among PIEs is at most `T × shareOverall`,
 * so with k of the N PIEs having the value, `pAbove = P(X >= k)` and `pBelow = P(X <= k)` for
 * X ~ Binomial(N, min(1, T × shareOverall)) (the test set's share taken as known: it is measured on every example).
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * // 30 of 60 PIEs are blond where 20 % of the test set is: is the over-index (2.5) above 1.5?
 * overIndexThresholdTest(30, 60, 0.2, 1.5).pAbove; // 0.000913 (scipy.stats.binom.sf(29, 60, 0.3))
 */
export function overIndexThresholdTest(
  countAmongPIEs: number,
  nPIEs: number,
  shareOverall: number,
  threshold: number,
): OverIndexThresholdTest {
  if (!(shareOverall >= 0 && shareOverall <= 1) || !(threshold >= 0) || !Number.isFinite(threshold)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `overIndexThresholdTest needs a share in [0, 1] and a finite threshold >= 0; got ${shareOverall} and ${threshold}.`,
      { name: 'overIndexThresholdTest' },
    );
  }
  const allowed = Math.min(1, threshold * shareOverall);
  return {
    pAbove: binomialUpperTail(countAmongPIEs, nPIEs, allowed),
    pBelow: binomialLowerTail(countAmongPIEs, nPIEs, allowed),
  };
}
