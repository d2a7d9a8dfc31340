import { PieAuditError } from '../errors.js';
import { assertKnownKeys } from '../schema/known-keys.js';
import type { BootstrapEcho, NoiseFloorEcho } from '../schema/index.js';
import { isOneOf, NOISE_FLOOR_DESIGNS } from '../schema/vocabulary.js';
import type { AuditBootstrapOptions, AuditNoiseFloorOptions } from './audit-options.js';

const configError = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

function plainObject(value: unknown, key: string, example: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw configError(key, `must be an object such as ${example}.`);
  return value as Record<string, unknown>;
}

function integerAtLeast(value: unknown, fallback: number, min: number, key: string, hint: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw configError(key, `must be an integer >= ${min}${hint}; got ${String(value)}.`);
  return value;
}

/**
 * Validates the `bootstrap` option and fills its defaults (1000 resamples, 95 %, the audit's seed).
 * @internal
 * @throws PieAuditError `CONFIG_ERROR` naming the key
 * @example
 * validateBootstrapOptions({ resamples: 0 }, 1); // { resamples: 0, confidence: 0.95, seed: 1 }
 */
export function validateBootstrapOptions(options: AuditBootstrapOptions | undefined, seed: number): BootstrapEcho {
  const o = plainObject(options, 'bootstrap', '{ resamples: 1000, confidence: 0.95, seed: 1 }');
  assertKnownKeys(o, ['resamples', 'confidence', 'seed'], 'bootstrap');
  const confidence = o.confidence ?? 0.95;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw configError('bootstrap.confidence', `must be a number strictly between 0 and 1 (e.g. 0.95); got ${String(confidence)}.`);
  }
  return {
    resamples: integerAtLeast(o.resamples, 1000, 0, 'bootstrap.resamples', ' (0 turns intervals off)'),
    confidence,
    seed: integerAtLeast(o.seed, seed, Number.MIN_SAFE_INTEGER, 'bootstrap.seed', ''),
  };
}

/**
 * Validates the `noiseFloor` option and fills its defaults (design auto, 20,000 exact splits, 1,999 draws, the audit's seed).
 * @internal
 * @throws PieAuditError `CONFIG_ERROR` naming the key
 * @example
 * validateNoiseFloorOptions({ design: 'paired' }, 0).draws; // 1999
 */
export function validateNoiseFloorOptions(options: AuditNoiseFloorOptions | undefined, seed: number): NoiseFloorEcho {
  const o = plainObject(options, 'noiseFloor', "{ design: 'auto', draws: 1999 }");
  assertKnownKeys(o, ['design', 'maxExactSplits', 'draws', 'seed'], 'noiseFloor');
  const design = o.design ?? 'auto';
  if (!isOneOf(NOISE_FLOOR_DESIGNS, design))
    throw configError('noiseFloor.design', `must be one of ${NOISE_FLOOR_DESIGNS.join(', ')}; got ${String(design)}.`);
  return {
    design,
    maxExactSplits: integerAtLeast(o.maxExactSplits, 20000, 1, 'noiseFloor.maxExactSplits', ''),
    draws: integerAtLeast(o.draws, 1999, 1, 'noiseFloor.draws', ''),
    seed: integerAtLeast(o.seed, seed, Number.MIN_SAFE_INTEGER, 'noiseFloor.seed', ''),
  };
}
