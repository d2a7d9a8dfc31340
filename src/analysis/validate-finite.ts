import { PieAuditError } from '../errors.js';

/**
 * Throws `NON_FINITE` when any entry of `values` is NaN, ±Infinity or not a number.
 * With `allowNull`, `null` entries are accepted (they mean "not available", e.g. the recall of an empty class).
 *
 * @param values - the numbers to check
 * @param name - the argument's name in messages, e.g. `baselineAccuracy`
 * @throws PieAuditError `NON_FINITE`
 * @example
 * assertFinite([0.91, 0.93], 'baselineAccuracy'); // ok
 * assertFinite([0.91, NaN], 'baselineAccuracy');  // throws: baselineAccuracy[1] is NaN
 */
export function assertFinite(values: ArrayLike<number | null>, name: string, options: { allowNull?: boolean } = {}): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null && options.allowNull) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new PieAuditError(
        'NON_FINITE',
        `${name}[${i}] is ${String(v)}; every value must be a finite number${options.allowNull ? ' (or null for "not available")' : ''}. Check the upstream computation for a division by zero or a missing value.`,
        { name, index: i, value: String(v) },
      );
    }
  }
}
