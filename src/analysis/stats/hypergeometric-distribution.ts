import { logBinomialDensity } from './binomial-density.js';

/**
 * log P(X = x) for the hypergeometric distribution: x red balls in a sample of n drawn without
 * replacement from r red and b black (R's `dhyper(x, r, b, n, log = TRUE)`).
 *
 * Computed as in R from three saddle-point binomial densities, so it stays accurate (about 1e-15
 * absolute in the log) for counts in the millions, where differences of log-factorials would lose
 * digits.
 *
 * @example
 * Math.exp(logHypergeometricPmf(3, 4, 4, 4)); // ≈ 16/70 = 0.22857142857142856
 */
export function logHypergeometricPmf(x: number, r: number, b: number, n: number): number {
  if (x < 0 || n < x || r < x || n - x > b) return -Infinity;
  if (n === 0) return x === 0 ? 0 : -Infinity;
  const total = r + b;
  const p = n / total;
  const q = (total - n) / total;
  const p1 = logBinomialDensity(x, r, p, q);
  const p2 = logBinomialDensity(n - x, b, p, q);
  const p3 = logBinomialDensity(n, total, p, q);
  return p1 + p2 - p3;
}

/**
 * Hypergeometric distribution function P(X <= x) (or P(X > x) with `lowerTail = false`), as R's
 * `phyper(x, r, b, n, lower.tail)`: the density at the tail's edge times a ratio series summed
 * towards the far end, on whichever side keeps the sum small, so small tails keep full relative
 * precision.
 *
 * @example
 * hypergeometricCdf(1, 4, 4, 4);        // 17/70 = 0.24285714285714285
 * hypergeometricCdf(2, 4, 4, 4, false); // P(X > 2) = 17/70
 */
export function hypergeometricCdf(x: number, r: number, b: number, n: number, lowerTail = true): number {
  x = Math.floor(x + 1e-7);
  if (x * (r + b) > n * r) {
    // Swap tails so the series runs over the smaller side.
    const oldB = b;
    b = r;
    r = oldB;
    x = n - x - 1;
    lowerTail = !lowerTail;
  }
  if (x < 0) return lowerTail ? 0 : 1;
  if (x >= r || x >= n) return lowerTail ? 1 : 0;
  const d = Math.exp(logHypergeometricPmf(x, r, b, n));
  if (d === 0) return lowerTail ? 0 : 1;
  // pdhyper: P(X <= x) / P(X = x) = 1 + sum of ratio terms
  let sum = 0;
  let term = 1;
  let k = x;
  while (k > 0 && term >= Number.EPSILON * sum) {
    term *= (k * (b - n + k)) / (n + 1 - k) / (r + 1 - k);
    sum += term;
    k--;
  }
  const lower = d * (1 + sum);
  return lowerTail ? lower : 0.5 - lower + 0.5;
}
