import { PieAuditError } from '../errors.js';

/**
 * Copies top-1 labels into `out` (from `outOffset`), checking each is an integer in 0..65535.
 *
 * Labels are stored as uint16 so a population of many models over a large test set stays compact;
 * a label that does not fit (or is negative, fractional, NaN) throws `LABEL_OUT_OF_RANGE` naming `what`
 * and the example.
 *
 * @throws PieAuditError `LABEL_OUT_OF_RANGE`
 * @example
 * const out = new Uint16Array(3);
 * copyLabels([2, 0, 1], out, 0, 'model 0'); // out = [2, 0, 1]
 */
export function copyLabels(labels: ArrayLike<number | bigint>, out: Uint16Array, outOffset: number, what: string): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const raw = labels[i];
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (!Number.isInteger(v) || v < 0 || v > 65535) {
      throw new PieAuditError(
        Number.isFinite(v) ? 'LABEL_OUT_OF_RANGE' : 'NON_FINITE',
        `${what}: label ${String(raw)} at example ${i} is not an integer in 0..65535; predictions must be class indices (use argmax over class scores, or pass probabilities).`,
        { example: i, value: String(raw) },
      );
    }
    if (v > max) max = v;
    out[outOffset + i] = v;
  }
  return max;
}
