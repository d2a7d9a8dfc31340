export { finiteOrNull } from '../schema/finite.js';

/**
 * Mean of finite values, `null` when there are none.
 * @internal
 * @example
 * meanOrNull([1, null, 3]); // 2
 */
export function meanOrNull(values: ReadonlyArray<number | null>): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : null;
}

/**
 * Sample standard deviation (n - 1); `null` for fewer than two values.
 * @internal
 * @example
 * sampleSd([1, 3]); // 1.4142135623730951
 */
export function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return Math.sqrt(ss / (values.length - 1));
}
