/** Result of {@link zeroin}. */
export interface ZeroinResult {
  /** The root estimate. */
  root: number;
  /** Iterations used; -1 when the iteration limit was reached. */
  iterations: number;
  /** Width of the final bracket (|c - b|); -1 when not converged. */
  estimatedPrecision: number;
}

/**
 * Brent's root finder, a line-by-line port of R's `R_zeroin2` (the engine of `uniroot`), so
 * that roots found with R's default tolerance (`.Machine$double.eps^0.25`) agree with R's to
 * far better than that tolerance: both take the same steps.
 *
 * `f(lower)` and `f(upper)` must have opposite signs (or one be zero).
 *
 * @example
 * zeroin((x) => x * x - 2, 0, 2, { tol: 1e-15 }).root; // ≈ 1.414213562373095
 */
export function zeroin(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: { tol?: number; maxIterations?: number; fLower?: number; fUpper?: number } = {},
): ZeroinResult {
  const tol = options.tol ?? 2 ** -13; // .Machine$double.eps^0.25
  const maxIterations = options.maxIterations ?? 1000;
  let a = lower;
  let b = upper;
  let fa = options.fLower ?? f(a);
  let fb = options.fUpper ?? f(b);
  let c = a;
  let fc = fa;
  if (fa === 0) return { root: a, iterations: 0, estimatedPrecision: 0 };
  if (fb === 0) return { root: b, iterations: 0, estimatedPrecision: 0 };
  let remaining = maxIterations + 1;
  while (remaining-- > 0) {
    const previousStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // swap so that b is the best approximation
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * Number.EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) {
      return { root: b, iterations: maxIterations + 1 - remaining - 1, estimatedPrecision: Math.abs(c - b) };
    }
    if (Math.abs(previousStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      // interpolation may be tried
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        // linear interpolation
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        // inverse quadratic interpolation
        const qq = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1));
        q = (qq - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((previousStep * q) / 2)) {
        newStep = p / q;
      }
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return { root: b, iterations: -1, estimatedPrecision: -1 };
}
