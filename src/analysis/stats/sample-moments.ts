import { PieAuditError } from '../../errors.js';
import { compensatedSum } from './sum.js';

/** Mean and variance of a sample, with the mean carried as an unevaluated sum `meanHigh + meanLow`. */
export interface SampleMoments {
  /** Number of observations. */
  n: number;
  /** The mean, rounded to a double. */
  mean: number;
  /** Leading part of the mean (a double close to it). */
  meanHigh: number;
  /** Correction so that meanHigh + meanLow is the mean to about 1e-32 relative. */
  meanLow: number;
  /** Unbiased sample variance (denominator n - 1); 0 for a constant sample. */
  variance: number;
}

/** Error-free transformation: s + e === a + b exactly (Knuth's TwoSum). */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bVirtual = s - a;
  const aVirtual = s - bVirtual;
  return [s, a - aVirtual + (b - bVirtual)];
}

/**
 * Mean and unbiased variance of a sample by a corrected two-pass algorithm: a compensated sum
 * gives a first mean, the exactly computed residuals x - mean (TwoSum) give its correction
 * (so the mean is known far beyond double precision), and the variance sums the squared
 * residuals about that refined mean. Values near 1e6 that differ by 1e-3 keep all their digits,
 * and a constant sample has variance exactly 0.
 *
 * Throws INSUFFICIENT_SAMPLES when there are fewer than `minimumSize` values and NON_FINITE
 * (naming `name` and the index) for NaN or infinite values. `scale` (a power of two, so exact)
 * multiplies every value first; callers use it to keep tiny or huge samples away from
 * underflow and overflow.
 *
 * @example
 * // 9.99999978579582e-7: the variance of the three stored doubles, which lie up to 6e-11 away
 * // from 1e6 + 0.001 etc.; the one-pass formula (Σx² - (Σx)²/n)/(n-1) returns 0 here.
 * sampleMoments([1e6 + 0.001, 1e6 + 0.002, 1e6 + 0.003], 'a').variance;
 */
export function sampleMoments(values: ArrayLike<number>, name: string, minimumSize = 2, scale = 1): SampleMoments {
  validateSample(values, name, minimumSize);
  const n = values.length;
  const scaled = scale === 1 ? values : Float64Array.from(values, (v) => v * scale);
  const meanHigh = compensatedSum(scaled) / n;
  // Residuals r_i = x_i - meanHigh exactly, as (head, tail) pairs.
  const heads = new Float64Array(n);
  const tails = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [head, tail] = twoSum(scaled[i], -meanHigh);
    heads[i] = head;
    tails[i] = tail;
  }
  const meanLow = (compensatedSum(heads) + compensatedSum(tails)) / n;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const deviation = heads[i] + (tails[i] - meanLow);
    squares[i] = deviation * deviation;
  }
  const variance = compensatedSum(squares) / (n - 1);
  return { n, mean: meanHigh + meanLow, meanHigh, meanLow, variance };
}

/**
 * Checks that `values` is an array-like of at least `minimumSize` finite numbers, throwing
 * INSUFFICIENT_SAMPLES or NON_FINITE (naming `name` and the index) otherwise.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `INSUFFICIENT_SAMPLES`, `NON_FINITE`
 * @example
 * validateSample([1, 2, 3], 'a', 2); // passes
 */
export function validateSample(values: ArrayLike<number>, name: string, minimumSize: number): void {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} must be an array of numbers.`, { argument: name });
  }
  const n = values.length;
  if (n < minimumSize) {
    throw new PieAuditError(
      'INSUFFICIENT_SAMPLES',
      `${name} has ${n} value${n === 1 ? '' : 's'}; the Welch t-test needs at least ${minimumSize} per sample to estimate a variance. Add observations to ${name}.`,
      { argument: name, length: n, required: minimumSize },
    );
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new PieAuditError(
        'NON_FINITE',
        `${name}[${i}] is ${String(v)}; every value must be a finite number. Remove or impute it before testing.`,
        { argument: name, index: i, value: v },
      );
    }
  }
}
