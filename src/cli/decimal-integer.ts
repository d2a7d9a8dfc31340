import { UsageError } from './parse-command.js';

/**
 * A command-line integer written in decimal digits only, from `min` to `max`: `0x10`, `1e3`, `+4`, ` 4`
 * and `4.0` are refused (Number() would read them as numbers), so a flag means what it looks like.
 *
 * @throws {UsageError} `INVALID_ARGUMENT` naming the flag, the range and the value.
 * @example
 * decimalInteger('16', '--shards', 1, 10000); // 16
 * decimalInteger('0x10', '--shards', 1, 10000); // throws
 */
export function decimalInteger(text: unknown, flag: string, min: number, max: number): number {
  const value = typeof text === 'string' && /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new UsageError(
      `${flag} must be ${min === 1 && max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from ${min} to ${max}`}; got '${String(text).slice(0, 40)}' (decimal digits only).`,
    );
  return value;
}
