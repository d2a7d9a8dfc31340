import { PieAuditError } from '../errors.js';

/**
 * Top-1 class of each row of row-major scores, written into `out` from `outOffset`.
 *
 * Ties go to the lowest class index, like `numpy.argmax`. A NaN or infinite score throws
 * `NON_FINITE` naming `what` and the example (`firstExample + row`), because an argmax over
 * NaN would silently pick an arbitrary class.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `NON_FINITE`
 * @example
 * const out = new Uint16Array(2);
 * argmaxRows(new Float32Array([0.1, 0.9, 0.5, 0.5]), 2, 2, out, 0, { what: 'model 0', firstExample: 0 });
 * // out = [1, 0]
 */
export function argmaxRows(
  scores: ArrayLike<number>,
  rows: number,
  nClasses: number,
  out: Uint16Array,
  outOffset: number,
  context: { what: string; firstExample: number },
): void {
  if (nClasses < 1 || nClasses > 65536) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${context.what}: nClasses must be in 1..65536 (labels are stored as uint16), got ${nClasses}.`,
      { nClasses },
    );
  }
  for (let r = 0; r < rows; r++) {
    const base = r * nClasses;
    let best = 0;
    let bestScore = scores[base];
    if (!Number.isFinite(bestScore)) throwNonFinite(context, r, 0, bestScore);
    for (let c = 1; c < nClasses; c++) {
      const s = scores[base + c];
      // Strict comparison keeps the first maximum (numpy's tie rule); !(s <= s) would also catch NaN,
      // but the explicit check below names the bad value.
      if (s > bestScore) {
        best = c;
        bestScore = s;
      } else if (!Number.isFinite(s)) {
        throwNonFinite(context, r, c, s);
      }
    }
    if (!Number.isFinite(bestScore)) throwNonFinite(context, r, best, bestScore);
    out[outOffset + r] = best;
  }
}

function throwNonFinite(context: { what: string; firstExample: number }, row: number, cls: number, value: number): never {
  const example = context.firstExample + row;
  throw new PieAuditError(
    'NON_FINITE',
    `${context.what} produced ${value} for example ${example} (class ${cls}); check the model's weights and inputs for NaN/Inf (e.g. an unstable softmax or a diverged checkpoint).`,
    { example, class: cls, value },
  );
}
