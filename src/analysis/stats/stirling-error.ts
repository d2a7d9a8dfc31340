import { stirlingSeries } from './log-gamma.js';

/**
 * The error of Stirling's approximation to n!, in logs:
 * `stirlingError(n) = log Γ(n + 1) - [(n + 1/2) log n - n + log sqrt(2π)]` (Loader's `stirlerr`).
 *
 * It is small (about 1/(12 n)) and is computed without forming the large log Γ value, which
 * is what keeps the binomial, Poisson and hypergeometric densities accurate for large counts.
 * For n < 15 it walks up with the exact recurrence
 * `stirlingError(n) = stirlingError(n + 1) + (n + 1/2) log1p(1/n) - 1`.
 *
 * @example
 * stirlingError(1); // 1 - log(sqrt(2π)) ≈ 0.0810614667953273
 */
export function stirlingError(n: number): number {
  let correction = 0;
  while (n < 15) {
    correction += (n + 0.5) * Math.log1p(1 / n) - 1;
    n += 1;
  }
  // For n >= 15: log Γ(n+1) = log n + log Γ(n), and log Γ(n) = (n - 1/2) log n - n + log sqrt(2π) + series(n),
  // so everything but the series cancels exactly.
  return stirlingSeries(n) + correction;
}
