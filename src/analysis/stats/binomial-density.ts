import { binomialDeviance } from './binomial-deviance.js';
import { stirlingError } from './stirling-error.js';

const LOG_2PI = 1.837877066409345483560659472811;

/**
 * log of the binomial density C(n, x) p^x q^(n-x) for real x, n (Loader's saddle-point form,
 * R's `dbinom_raw` with log = TRUE); q = 1 - p is passed separately so it keeps its precision.
 *
 * Accurate to about 1e-15 absolute in the log for any size of n, because the large
 * log-factorials never appear: only Stirling errors and deviance terms do.
 *
 * @example
 * Math.exp(logBinomialDensity(3, 10, 0.5, 0.5)); // ≈ 120/1024 = 0.1171875
 */
export function logBinomialDensity(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (q === 0) return x === n ? 0 : -Infinity;
  if (x === 0) {
    if (n === 0) return 0;
    return p < 0.1 ? -binomialDeviance(n, n * q) - n * p : n * Math.log(q);
  }
  if (x === n) {
    return q < 0.1 ? -binomialDeviance(n, n * p) - n * q : n * Math.log(p);
  }
  if (x < 0 || x > n) return -Infinity;
  const lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - binomialDeviance(x, n * p) - binomialDeviance(n - x, n * q);
  const lf = LOG_2PI + Math.log(x) + Math.log1p(-x / n);
  return lc - 0.5 * lf;
}

/**
 * log of the Poisson-type density x^a e^(-x) / Γ(a + 1) for real a > 0 (R's `dpois_raw`), the
 * prefactor of the regularized incomplete gamma function.
 *
 * @example
 * Math.exp(logPoissonDensity(2, 3)); // ≈ 9 e^-3 / 2 = 0.22404180765538775
 */
export function logPoissonDensity(a: number, x: number): number {
  if (x === 0) return a === 0 ? 0 : -Infinity;
  if (a === 0) return -x;
  if (!Number.isFinite(x)) return -Infinity;
  return -stirlingError(a) - binomialDeviance(a, x) - 0.5 * (LOG_2PI + Math.log(a));
}
