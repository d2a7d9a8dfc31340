import { PieAuditError } from '../errors.js';

/**
 * The exact two-sided permutation p-value of the difference of means between two samples that are each constant
 * (`nA` copies of a and `nB` copies of b, a ≠ b): of the C(nA + nB, nA) ways to split the pooled values, only the
 * observed one is as extreme in its direction, so the one-sided p is 1 / C(nA + nB, nA) and the two-sided one
 * (twice the smaller tail) 2 / C(nA + nB, nA): the smallest p any permutation test of these sizes gives, never 0.
 * Equals `scipy.stats.permutation_test` with `permutation_type='independent'` and `alternative='two-sided'`.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (sizes that are not positive integers)
 * @example
 * constantSamplesPermutationP(2, 2); // 1/3: two models right, two wrong cannot reach alpha 0.05
 * constantSamplesPermutationP(3, 2); // 0.2
 * constantSamplesPermutationP(5, 5); // 2/252
 */
export function constantSamplesPermutationP(nA: number, nB: number): number {
  for (const [name, v] of [
    ['nA', nA],
    ['nB', nB],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new PieAuditError('INVALID_ARGUMENT', `${name} must be a positive integer (a sample size); got ${String(v)}.`, { name });
    }
  }
  const k = Math.min(nA, nB);
  // log C(nA + nB, k), summed so large designs underflow to a tiny p instead of overflowing to Infinity.
  let logSplits = 0;
  for (let i = 1; i <= k; i++) logSplits += Math.log(nA + nB - k + i) - Math.log(i);
  const splits = Math.round(Math.exp(logSplits));
  if (splits < 2 ** 53) return Math.min(1, 2 / splits);
  // Beyond about 1,000 models the floor is below the smallest double: report that, never 0.
  return Math.max(Number.MIN_VALUE, 2 * Math.exp(-logSplits));
}
