/**
 * Compensated (Neumaier) summation: the running error of every addition is carried
 * separately, so the result is accurate to about one rounding even when terms cancel.
 *
 * @example
 * compensatedSum([1e16, 1, -1e16]); // 1 (naive summation gives 0)
 */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    // Recover the low-order bits lost by this addition (works whichever operand is larger).
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}
