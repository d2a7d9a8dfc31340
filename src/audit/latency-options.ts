import { PieAuditError } from '../errors.js';
import { assertKnownKeys } from '../schema/known-keys.js';
import type { LatencyEcho } from '../schema/index.js';
import type { AuditOptions } from './audit-options.js';

/** Timed calls per batch size by default: enough for a stable median, few enough to keep an audit quick. */
const DEFAULT_REPEATS = 5;
/** Seconds all latency timing may take by default, whatever the number of levels. */
const DEFAULT_MAX_SECONDS = 10;

/**
 * The audit's `latency` option with its defaults: on, 5 repeats, at most 10 seconds.
 * @internal
 * @throws PieAuditError `CONFIG_ERROR` naming `latency`, `latency.repeats` or `latency.maxSeconds`
 * @example
 * validateLatencyOptions(false); // { enabled: false, repeats: 5, maxSeconds: 10 }
 */
export function validateLatencyOptions(option: AuditOptions['latency']): LatencyEcho {
  if (option === undefined || option === true) return { enabled: true, repeats: DEFAULT_REPEATS, maxSeconds: DEFAULT_MAX_SECONDS };
  if (option === false) return { enabled: false, repeats: DEFAULT_REPEATS, maxSeconds: DEFAULT_MAX_SECONDS };
  if (option === null || typeof option !== 'object' || Array.isArray(option))
    throw new PieAuditError(
      'CONFIG_ERROR',
      `latency: must be true, false or { "repeats": 5, "maxSeconds": 10 }; got ${JSON.stringify(option)}.`,
      {
        key: 'latency',
      },
    );
  assertKnownKeys(option as Record<string, unknown>, ['repeats', 'maxSeconds'], 'latency');
  const { repeats = DEFAULT_REPEATS, maxSeconds = DEFAULT_MAX_SECONDS } = option;
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 1000)
    throw new PieAuditError('CONFIG_ERROR', `latency.repeats: must be an integer from 1 to 1000; got ${JSON.stringify(repeats)}.`, {
      key: 'latency.repeats',
    });
  if (typeof maxSeconds !== 'number' || !Number.isFinite(maxSeconds) || maxSeconds <= 0)
    throw new PieAuditError(
      'CONFIG_ERROR',
      `latency.maxSeconds: must be a positive number of seconds; got ${JSON.stringify(maxSeconds)}.`,
      {
        key: 'latency.maxSeconds',
      },
    );
  return { enabled: true, repeats, maxSeconds };
}
