import { PieAuditError } from '../errors.js';
import { assertArrayLike } from './validate-length.js';

/**
 * Throws unless `probabilities` is a row-major (examples x classes) array of finite numbers in [0, 1] holding
 * exactly `nExamples * nClasses` entries. Rows are not required to sum to 1 (softmax outputs in float32 do not).
 * @throws PieAuditError `LENGTH_MISMATCH`, `NON_FINITE`, `INVALID_ARGUMENT`
 * @example
 * assertProbabilities(Float32Array.of(0.9, 0.1), 1, 2, 'probabilities'); // ok
 */
export function assertProbabilities(probabilities: ArrayLike<number>, nExamples: number, nClasses: number, name: string): void {
  assertArrayLike(probabilities, name);
  if (probabilities.length !== nExamples * nClasses) {
    throw new PieAuditError(
      'LENGTH_MISMATCH',
      `${name} has ${probabilities.length} entries; a row-major (examples x classes) array needs ` +
        `${nExamples} x ${nClasses} = ${nExamples * nClasses}.`,
      { name, actual: probabilities.length, expected: nExamples * nClasses },
    );
  }
  for (let j = 0; j < probabilities.length; j++) {
    const v = probabilities[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new PieAuditError('NON_FINITE', `${name}[${j}] is ${String(v)}; probabilities must be finite.`, { name, index: j });
    }
    if (v < 0 || v > 1) {
      throw new PieAuditError('INVALID_ARGUMENT', `${name}[${j}] is ${v}; probabilities lie in [0, 1] (apply softmax to logits first).`, {
        name,
        index: j,
        value: v,
      });
    }
  }
}
