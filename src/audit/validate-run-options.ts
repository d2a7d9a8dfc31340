import { PieAuditError } from '../errors.js';
import { isOneOf, RUNTIMES } from '../schema/vocabulary.js';
import type { AuditOptions } from './audit-options.js';

/** The tfjs backends an audit may ask for (engine's BackendRequest). */
const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

/** Upper bounds of the numeric options: far above any sensible value, low enough that one typo cannot run for days. */
export const OPTION_LIMITS = {
  batchSize: 1 << 20,
  maxExemplars: 100_000,
  'bootstrap.resamples': 100_000,
  'noiseFloor.draws': 1_000_000,
  'noiseFloor.maxExactSplits': 10_000_000,
} as const;

const configError = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

/**
 * Validates how an audit runs (backend, runtime, batch size, exemplar count) whether or not the run
 * needs them: `backend: -1` is an error even for a population of predictions files, which never starts
 * a backend, so a config is valid or not whatever it audits.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` naming the key and the allowed values.
 * @example
 * validateRunOptions({ backend: 'wasm', batchSize: 256 } as AuditOptions); // passes
 */
export function validateRunOptions(options: AuditOptions): void {
  if (options.backend !== undefined && !isOneOf(BACKENDS, options.backend))
    throw configError(
      'backend',
      `must be one of ${BACKENDS.join(', ')}; got ${JSON.stringify(options.backend) ?? String(options.backend)}.`,
    );
  if (options.runtime !== undefined && !isOneOf(RUNTIMES, options.runtime))
    throw configError(
      'runtime',
      `must be one of ${RUNTIMES.join(', ')}; got ${JSON.stringify(options.runtime) ?? String(options.runtime)}.`,
    );
  atMost(options.batchSize, 1, OPTION_LIMITS.batchSize, 'batchSize');
  atMost(options.maxExemplars, 0, OPTION_LIMITS.maxExemplars, 'maxExemplars');
  atMost(options.bootstrap?.resamples, 0, OPTION_LIMITS['bootstrap.resamples'], 'bootstrap.resamples');
  atMost(options.noiseFloor?.draws, 1, OPTION_LIMITS['noiseFloor.draws'], 'noiseFloor.draws');
  atMost(options.noiseFloor?.maxExactSplits, 1, OPTION_LIMITS['noiseFloor.maxExactSplits'], 'noiseFloor.maxExactSplits');
}

/** The upper bound only: types and lower bounds are checked, with their own messages, where each option is read. */
function atMost(value: unknown, min: number, max: number, key: string): void {
  if (typeof value === 'number' && value > max) throw configError(key, `must be an integer from ${min} to ${max}; got ${String(value)}.`);
}
