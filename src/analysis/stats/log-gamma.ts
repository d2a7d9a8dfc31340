import { PieAuditError } from '../../errors.js';

const HALF_LOG_2PI = 0.91893853320467274178; // log(sqrt(2*pi))

/** Stirling-series cut-over: below it the argument is shifted up with the recurrence Γ(x+1) = xΓ(x). */
const SHIFT_TO = 15;

const EULER_GAMMA = 0.57721566490153286061;

/** ζ(k) - 1 for k = 2..SERIES_TERMS+1: closed forms and constants for k <= 10, direct sums above. */
const ZETA_MINUS_ONE: number[] = (() => {
  const pi2 = Math.PI * Math.PI;
  const known: Record<number, number> = {
    2: pi2 / 6 - 1,
    3: 0.2020569031595942854,
    4: (pi2 * pi2) / 90 - 1,
    5: 0.036927755143369926331,
    6: (pi2 * pi2 * pi2) / 945 - 1,
    7: 0.0083492773819228268398,
    8: (pi2 * pi2 * pi2 * pi2) / 9450 - 1,
    9: 0.0020083928260822144178,
    10: (pi2 * pi2 * pi2 * pi2 * pi2) / 93555 - 1,
  };
  const values: number[] = [];
  for (let k = 2; k <= 40; k++) {
    if (known[k] !== undefined) {
      values.push(known[k]);
      continue;
    }
    let sum = 0;
    for (let n = 60; n >= 2; n--) sum += n ** -k; // smallest first; the tail beyond 60 is < 1e-60
    values.push(sum);
  }
  return values;
})();

/**
 * log Γ(1 + z) for |z| <= 1/2 without the log term, i.e. log Γ(1 + z) + log1p(z), from
 * Abramowitz & Stegun 6.1.33: z (1 - γ) + Σ_{k>=2} (-1)^k (ζ(k) - 1) z^k / k.
 * Keeps full relative precision next to the zeros of log Γ at 1 and 2.
 */
function logGammaSeriesPlusLog1p(z: number): number {
  let sum = 0;
  for (let k = ZETA_MINUS_ONE.length + 1; k >= 2; k--) {
    const coefficient = ((k % 2 === 0 ? 1 : -1) * ZETA_MINUS_ONE[k - 2]) / k;
    sum = (sum + coefficient) * z; // Horner in z, one power of z per level
  }
  // sum = Σ c_k z^(k-1) so far; one more factor of z for the series, plus the linear term.
  return z * (1 - EULER_GAMMA) + sum * z;
}

/**
 * Natural logarithm of the gamma function, log Γ(x), for x > 0.
 *
 * Algorithm: near the zeros (0.5 <= x <= 2.5) the series of Abramowitz & Stegun 6.1.33 about
 * x = 1 and x = 2, so values close to 1 and 2 keep full relative precision; between 2.5 and 15
 * the recurrence Γ(x) = (x-1)Γ(x-1) down to that range; from 15 up the Stirling series with
 * eight Bernoulli terms; below 0.5, log Γ(x) = log Γ(x + 1) - log x. Measured against 40-digit
 * mpmath values: relative error below 1e-14 (see docs/statistics.md).
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * logGamma(5); // log(24) = 3.1780538303479458
 * logGamma(0.5); // log(sqrt(pi)) = 0.5723649429247001
 */
export function logGamma(x: number): number {
  if (!(x > 0)) {
    throw new PieAuditError('INVALID_ARGUMENT', `logGamma(x) needs x > 0 (got ${String(x)}).`, { argument: 'x', value: x });
  }
  if (x === Infinity) return Infinity;
  if (x < 1e-300) return -Math.log(x); // Γ(x) ~ 1/x
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  if (x <= 1.5) {
    const z = x - 1;
    return logGammaSeriesPlusLog1p(z) - Math.log1p(z);
  }
  if (x <= 2.5) {
    // log Γ(2 + z) = log1p(z) + log Γ(1 + z): the log terms cancel exactly
    return logGammaSeriesPlusLog1p(x - 2);
  }
  if (x < SHIFT_TO) {
    // log Γ(x) = log((x-1)(x-2)...(x-m)) + log Γ(x-m) with x - m in (1.5, 2.5]
    let product = 1;
    let z = x;
    while (z > 2.5) {
      z -= 1;
      product *= z;
    }
    return Math.log(product) + logGammaSeriesPlusLog1p(z - 2);
  }
  return stirlingLogGamma(x);
}

/** log Γ(x) for x >= 15 from the Stirling series. */
function stirlingLogGamma(x: number): number {
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + stirlingSeries(x);
}

/**
 * The asymptotic series of log Γ(x) - [(x - 1/2) log x - x + log sqrt(2π)], accurate to below
 * 1e-17 absolute for x >= 15.
 */
export function stirlingSeries(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    inv *
    (1 / 12 +
      inv2 *
        (-1 / 360 +
          inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 * (1 / 156 + inv2 * (-3617 / 122400))))))))
  );
}

/**
 * Natural logarithm of the beta function, log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b).
 *
 * When an argument is large the Stirling parts are combined analytically (as R's `lbeta` does)
 * so the huge log Γ values never cancel: the absolute error stays near 1e-15 even for
 * a = 1e6, b = 0.5.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * logBeta(2, 3); // log(1/12) = -2.4849066497880004
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) {
    throw new PieAuditError('INVALID_ARGUMENT', `logBeta(a, b) needs a > 0 and b > 0 (got ${String(a)}, ${String(b)}).`, {
      a,
      b,
    });
  }
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (q === Infinity) return -Infinity;
  if (p >= SHIFT_TO) {
    // both large
    const corr = stirlingSeries(p) + stirlingSeries(q) - stirlingSeries(p + q);
    return -0.5 * Math.log(q) + HALF_LOG_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= SHIFT_TO) {
    // one large
    const corr = stirlingSeries(q) - stirlingSeries(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}
