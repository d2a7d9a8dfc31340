import { PieAuditError } from '../errors.js';

/**
 * Throws unless every entry of `labels` is an integer class index in `[0, nClasses)`.
 *
 * NaN and ±Infinity raise `NON_FINITE`; negative, fractional or too-large values raise
 * `LABEL_OUT_OF_RANGE`. Both messages name the argument and the first offending index.
 *
 * @param labels - class indices, one per example
 * @param nClasses - number of classes; valid labels are `0 … nClasses - 1`
 * @param name - the argument's name in messages, e.g. `baselinePopulation[2]`
 * @example
 * assertLabels(Uint8Array.of(0, 2, 1), 3, 'labels'); // ok
 * assertLabels([0, 3], 3, 'labels');                  // throws LABEL_OUT_OF_RANGE: labels[1] is 3
 */
export function assertLabels(labels: ArrayLike<number>, nClasses: number, name: string): void {
  assertClassCount(nClasses, 'nClasses');
  // Unsigned typed arrays hold integers only; their range check is all that is needed.
  const unsignedTyped =
    labels instanceof Uint8Array || labels instanceof Uint16Array || labels instanceof Uint32Array || labels instanceof Uint8ClampedArray;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (unsignedTyped ? v < nClasses : v >>> 0 === v && v < nClasses) continue;
    throwBadLabel(v, i, nClasses, name);
  }
}

/**
 * Throws `INVALID_ARGUMENT` unless `nClasses` is a positive integer no larger than 2^32 - 1.
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * assertClassCount(10, 'options.nClasses'); // ok
 */
export function assertClassCount(nClasses: number, name: string): void {
  if (!Number.isInteger(nClasses) || nClasses < 1 || nClasses > 0xffffffff) {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} must be a positive integer (the number of classes); got ${String(nClasses)}.`, {
      name,
      value: nClasses,
    });
  }
}

/**
 * Throws the error that describes one bad label (shared by the validators and the fast counting loops).
 * @throws PieAuditError `NON_FINITE`, `LABEL_OUT_OF_RANGE`
 * @internal
 */
export function throwBadLabel(value: unknown, index: number, nClasses: number | undefined, name: string): never {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new PieAuditError(
      'NON_FINITE',
      `${name}[${index}] is ${String(value)}; labels must be integer class indices. Check for missing predictions.`,
      { name, index, value: String(value) },
    );
  }
  const range = nClasses === undefined ? 'a non-negative integer' : `an integer in [0, ${nClasses})`;
  const fix =
    nClasses === undefined
      ? 'Map labels to class indices 0, 1, 2, … first.'
      : 'Pass the right nClasses, or map labels to class indices 0 … nClasses-1 first.';
  throw new PieAuditError('LABEL_OUT_OF_RANGE', `${name}[${index}] is ${String(value)}; each label must be ${range}. ${fix}`, {
    name,
    index,
    value,
    nClasses,
  });
}
