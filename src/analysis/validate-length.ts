import { PieAuditError } from '../errors.js';

/**
 * Throws `LENGTH_MISMATCH` unless `actual` has exactly `expected` entries.
 *
 * Used for every pair of per-example arrays (labels vs predictions, flags vs attributes):
 * a silent length mismatch would misalign examples and corrupt every downstream statistic.
 *
 * @param actual - the array being checked
 * @param expected - the required length
 * @param name - how the caller's argument is spelled in messages, e.g. `compressedPopulation[3]`
 * @param reference - what `expected` comes from, e.g. `labels` (named in the message)
 * @throws PieAuditError `LENGTH_MISMATCH`
 * @example
 * assertLength(predicted, labels.length, 'predicted', 'labels'); // throws when they differ
 */
export function assertLength(actual: ArrayLike<unknown>, expected: number, name: string, reference: string): void {
  assertArrayLike(actual, name);
  if (actual.length !== expected) {
    throw new PieAuditError(
      'LENGTH_MISMATCH',
      `${name} has ${actual.length} entries but ${reference} has ${expected}; pass one entry per example, in the same order.`,
      { name, reference, actual: actual.length, expected },
    );
  }
}

/**
 * Throws `INVALID_ARGUMENT` unless `value` is an array or typed array (has a numeric `length`).
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * assertArrayLike(labels, 'labels');
 */
export function assertArrayLike(value: unknown, name: string): asserts value is ArrayLike<unknown> {
  if (value === null || value === undefined || typeof value !== 'object' || typeof (value as { length?: unknown }).length !== 'number') {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} must be an array or typed array; got ${value === null ? 'null' : typeof value}.`, {
      name,
    });
  }
}
