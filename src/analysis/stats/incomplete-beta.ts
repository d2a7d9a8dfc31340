import { PieAuditError } from '../../errors.js';
import { logBinomialDensity } from './binomial-density.js';
import { logBeta } from './log-gamma.js';

/** Both tails of the regularized incomplete beta function. */
export interface IncompleteBetaPair {
  /** I_x(a, b) */
  lower: number;
  /** 1 - I_x(a, b) = I_{1-x}(b, a) */
  upper: number;
}

const TINY = 1e-300;
const MAX_ITERATIONS = 200_000;

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b).
 *
 * Algorithm: the continued fraction of DLMF 8.17.22 evaluated with the modified Lentz method,
 * applied to whichever of I_x(a, b) and I_{1-x}(b, a) lies on the fast-converging side of the
 * mean; the other tail is 1 minus it, so a small tail is always computed directly (never as
 * 1 - something close to 1). The prefactor x^a (1-x)^b / B(a, b) comes from Loader's
 * saddle-point binomial density, which keeps it accurate when a or b is in the millions.
 * Measured against 40-digit mpmath values: relative error below 3e-14 on the reference grid, where
 * SciPy 1.10's `betainc` is up to 3.5e-11 off (see docs/statistics.md).
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * regularizedIncompleteBeta(0.5, 2, 3); // 0.6875
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `regularizedIncompleteBeta needs 0 <= x <= 1 (got x = ${String(x)}).`, {
      argument: 'x',
      value: x,
    });
  }
  return incompleteBetaPair(x, 1 - x, a, b, Math.log(x), Math.log1p(-x)).lower;
}

/**
 * Both tails I_x(a, b) and 1 - I_x(a, b), given x and y = 1 - x separately (and optionally
 * log x and log y) so a caller that knows them more precisely than 1 - x and log(x) (as the
 * Student t distribution does) keeps that precision: with a = 5e5, one rounding of x alone
 * moves x^a by 5e-11 relative.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * incompleteBetaPair(0.5, 0.5, 2, 3); // { lower: 0.6875, upper: 0.3125 }
 */
export function incompleteBetaPair(
  x: number,
  y: number,
  a: number,
  b: number,
  logX: number = Math.log(x),
  logY: number = Math.log(y),
): IncompleteBetaPair {
  if (!(a > 0) || !(b > 0) || a === Infinity || b === Infinity) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `the incomplete beta function needs finite a > 0 and b > 0 (got a = ${String(a)}, b = ${String(b)}).`,
      { a, b },
    );
  }
  if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `the incomplete beta function needs 0 <= x <= 1 (got x = ${String(x)}).`, {
      argument: 'x',
      value: x,
    });
  }
  if (logX === -Infinity) return { lower: 0, upper: 1 };
  if (logY === -Infinity) return { lower: 1, upper: 0 };
  // The continued fraction for I_x(a, b) converges fast for x < (a + 1) / (a + b + 2).
  if (x * (a + b + 2) < a + 1) {
    const lower = continuedFractionTail(x, y, a, b, logX, logY);
    return { lower, upper: 1 - lower };
  }
  const upper = continuedFractionTail(y, x, b, a, logY, logX);
  return { lower: 1 - upper, upper };
}

/** I_x(a, b) by the continued fraction; only called on the side where it converges quickly. */
function continuedFractionTail(x: number, y: number, a: number, b: number, logX: number, logY: number): number {
  // Prefactor x^a y^b / B(a, b). When one parameter is small, log B(a, b) is moderate and the
  // logs of x and y carry full precision. When both are large the log terms would cancel, so use
  // (a b / (a + b)) * C(a + b, a) x^a y^b with Loader's saddle-point binomial density instead.
  const logPrefactor =
    Math.min(a, b) < 15 ? a * logX + b * logY - logBeta(a, b) : logBinomialDensity(a, a + b, x, y) + Math.log((a * b) / (a + b));
  if (logPrefactor < -745.2) return 0; // the result underflows to zero
  const fraction = lentzBetaFraction(x, a, b);
  return Math.exp(logPrefactor) * (fraction / a);
}

/**
 * I_x(a, b) by the continued fraction with a prefactor x^a (1-x)^b / B(a, b) supplied by the
 * caller (as its log), for callers that can form it more accurately than from x itself. Only
 * valid on the fast side, x < (a + 1) / (a + b + 2).
 *
 * @example
 * // I_0.25(2, 2) with log(0.25² · 0.75² / B(2, 2)) = log(0.2109375)
 * incompleteBetaWithPrefactor(0.25, 2, 2, Math.log(0.2109375)); // 0.15625
 */
export function incompleteBetaWithPrefactor(x: number, a: number, b: number, logPrefactor: number): number {
  if (logPrefactor < -745.2) return 0;
  return Math.exp(logPrefactor) * (lentzBetaFraction(x, a, b) / a);
}

/**
 * The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + ...))) of DLMF 8.17.22 by the modified
 * Lentz algorithm (Numerical Recipes `betacf`).
 */
function lentzBetaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // even step
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const evenFactor = d * c;
    h *= evenFactor;
    // odd step
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= Number.EPSILON && Math.abs(evenFactor - 1) <= Number.EPSILON) return h;
  }
  throw new PieAuditError('INVALID_ARGUMENT', `the incomplete beta continued fraction did not converge for x = ${x}, a = ${a}, b = ${b}.`, {
    x,
    a,
    b,
  });
}
