import { PieAuditError } from '../errors.js';
import { assertFinite } from './validate-finite.js';
import { assertLength } from './validate-length.js';

/**
 * Throws unless `values` has `n` entries, each a finite number in [0, 1] (a share of models, or a 0/1 flag).
 * @throws PieAuditError `LENGTH_MISMATCH`, `NON_FINITE`, `INVALID_ARGUMENT`
 * @example
 * assertShares(shareCorrect(labels, baseline), labels.length, 'baselineShareCorrect', 'labels');
 */
export function assertShares(values: ArrayLike<number>, n: number, name: string, reference: string): void {
  assertLength(values, n, name, reference);
  assertFinite(values, name);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 1)) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `${name}[${i}] is ${v}; it must be a share in [0, 1] (see shareCorrect / sharePredicting).`,
        { name, index: i, value: v },
      );
    }
  }
}
