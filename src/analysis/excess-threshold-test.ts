import { PieAuditError } from '../errors.js';

/** Both one-sided p-values of {@link excessThresholdTest}. */
export interface ExcessThresholdTest {
  /** Evidence that the excess PIE rate exceeds the threshold (small: it does). */
  pAbove: number;
  /** Evidence that it is below the threshold (small: it is). */
  pBelow: number;
  /** The PIE count the threshold allows beyond each null split: `threshold × nExamples`. */
  allowance: number;
}

/**
 * The PIE noise floor's permutation test shifted to a threshold: is the excess PIE rate (observed PIEs beyond
 * what re-splitting the same models gives, per example) above `threshold`? Under the null the observed count
 * is a null split's count plus `threshold × n`, so
 * `pAbove = (1 + #{null splits with count >= observed − threshold·n}) / (1 + #null splits)` and `pBelow` the same
 * with `<=`. The observed split counts once on either side, so neither p is below the design's floor; at
 * threshold 0, `pAbove` is the noise floor's `p`.
 *
 * @param nullDistribution - `[count, splits]` pairs of the null splits other than the observed one
 *   (`pies.permutation.nullDistribution`)
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * // 3 null splits with 10, 11 and 30 PIEs; 40 observed of 1000 examples; is the excess above 1 %?
 * excessThresholdTest(40, [[10, 1], [11, 1], [30, 1]], 0.01, 1000); // { pAbove: 0.5, pBelow: 0.75, allowance: 10 }
 */
export function excessThresholdTest(
  observed: number,
  nullDistribution: ReadonlyArray<readonly [number, number]>,
  threshold: number,
  nExamples: number,
): ExcessThresholdTest {
  if (!Number.isFinite(observed) || !Number.isFinite(threshold) || !Number.isInteger(nExamples) || nExamples < 1) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `excessThresholdTest needs a finite observed count and threshold and a positive example count; got ${observed}, ${threshold}, ${nExamples}.`,
      { name: 'excessThresholdTest' },
    );
  }
  const allowance = threshold * nExamples;
  const shifted = observed - allowance;
  let total = 0;
  let atLeast = 0;
  let atMost = 0;
  for (const [count, splits] of nullDistribution) {
    total += splits;
    // A relative tolerance: `observed − threshold·n` is rarely an integer, and a 1e-9 breach must not decide.
    if (count >= shifted - 1e-9) atLeast += splits;
    if (count <= shifted + 1e-9) atMost += splits;
  }
  return { pAbove: (1 + atLeast) / (1 + total), pBelow: (1 + atMost) / (1 + total), allowance };
}
