import { levelKey, numericLevel } from '../schema/level-key.js';
import { PieAuditError } from '../errors.js';
import { assertKnownKeys } from '../schema/known-keys.js';
import { resolveSource } from '../evaluate/resolve-source.js';
import type { ModelSource } from '../evaluate/types.js';
import type { PopulationMember } from './audit-options.js';

/** One population member with its level and the facts known before evaluation. */
export interface ResolvedMember {
  level: string;
  index: number;
  source: ModelSource;
  id: string | null;
  sparsity: number | null;
  gzippedBytes: number | null;
  storedWeightBytes: number | null;
  /** Stored size the member gave (`storedBytes`), else `null` (measured from its files). */
  storedBytes: number | null;
  /** Latency the member gave, in ms per example, else `null` (measured when it runs here). */
  latencyMs: { batch1: number; batch: number | null } | null;
}

/** The population as ordered levels of members. */
export interface ResolvedPopulation {
  levels: string[];
  members: ResolvedMember[];
  /** Index range of each level in `members`. */
  ranges: Map<string, { start: number; end: number }>;
}

function isWrapped(m: PopulationMember): m is Extract<PopulationMember, { model: ModelSource }> {
  // Only plain objects wrap a model: a tf.Sequential also has a `model` field.
  return typeof m === 'object' && m !== null && Object.getPrototypeOf(m) === Object.prototype && 'model' in m;
}

/** A Map key as a level key: strings and finite numbers only (an object or NaN key names no level). */
function mapLevelKey(k: unknown): string {
  if (typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))) return levelKey(k);
  const shown = typeof k === 'number' ? String(k) : typeof k;
  throw new PieAuditError('CONFIG_ERROR', `population has a level key ${shown}; keys are level names or finite numbers (0, 0.9, 'int8').`, {
    key: 'population',
  });
}

function optionalFraction(v: unknown, key: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)
    throw new PieAuditError('CONFIG_ERROR', `${key} must be a fraction in [0, 1]; got ${String(v)}.`, { key });
  return v;
}

/**
 * Flattens `{ level: members[] }` into an ordered member list, validating the shape.
 * @throws PieAuditError `CONFIG_ERROR`, `EMPTY_POPULATION`
 * @internal
 */
export function resolvePopulation(population: unknown): ResolvedPopulation {
  const entries: Array<[string, unknown]> =
    population instanceof Map
      ? [...population.entries()].map(([k, v]) => [mapLevelKey(k), v])
      : typeof population === 'object' && population !== null && !Array.isArray(population)
        ? Object.entries(population).map(([k, v]) => [levelKey(k), v])
        : (() => {
            throw new PieAuditError(
              'CONFIG_ERROR',
              'population must be an object mapping level keys to arrays of models, e.g. { 0: baselines, 0.9: pruned }.',
              { key: 'population' },
            );
          })();
  if (entries.length < 2) {
    throw new PieAuditError(
      'CONFIG_ERROR',
      `population needs a baseline level and at least one compressed level; got ${entries.length} level(s).`,
      { key: 'population' },
    );
  }
  const levels: string[] = [];
  const members: ResolvedMember[] = [];
  const ranges = new Map<string, { start: number; end: number }>();
  for (const [level, list] of entries) {
    const key = `population['${level}']`;
    if (level === '')
      throw new PieAuditError('CONFIG_ERROR', 'population has an empty level key; name each level (e.g. 0.9 or "int8").', {
        key: 'population',
      });
    if (ranges.has(level)) throw new PieAuditError('CONFIG_ERROR', `population has two levels named '${level}'.`, { key });
    const value = numericLevel(level);
    const twin = value === null ? undefined : levels.find((l) => numericLevel(l) === value);
    // Gates and baselines match levels by value, so '0.3' and '0.30' would be one level to them.
    if (twin !== undefined)
      throw new PieAuditError('CONFIG_ERROR', `population has levels '${twin}' and '${level}', which are the same number; keep one.`, {
        key,
      });
    if (!Array.isArray(list)) throw new PieAuditError('CONFIG_ERROR', `${key} must be an array of models; got ${typeof list}.`, { key });
    if (list.length === 0) throw new PieAuditError('EMPTY_POPULATION', `${key} is empty; every level needs at least one model.`, { key });
    const start = members.length;
    list.forEach((m: PopulationMember, index: number) => {
      if (m === null || m === undefined)
        throw new PieAuditError('CONFIG_ERROR', `${key}[${index}] is ${String(m)}; expected a model, a path or { predictions }.`, {
          key: `${key}[${index}]`,
        });
      if (isWrapped(m)) {
        assertKnownKeys(
          m,
          ['model', 'id', 'sparsity', 'gzippedBytes', 'storedWeightBytes', 'storedBytes', 'latencyMs'],
          `${key}[${index}]`,
          'member field',
        );
        members.push({
          level,
          index,
          source: m.model,
          id: typeof m.id === 'string' ? m.id : null,
          sparsity: optionalFraction(m.sparsity, `${key}[${index}].sparsity`),
          gzippedBytes: optionalByteCount(m.gzippedBytes, `${key}[${index}].gzippedBytes`),
          storedWeightBytes: optionalByteCount(m.storedWeightBytes, `${key}[${index}].storedWeightBytes`),
          storedBytes: optionalByteCount(m.storedBytes, `${key}[${index}].storedBytes`),
          latencyMs: optionalLatency(m.latencyMs, `${key}[${index}].latencyMs`),
        });
      } else {
        const source = m as ModelSource;
        members.push({
          level,
          index,
          source,
          id: ownId(m),
          sparsity: null,
          gzippedBytes: null,
          storedWeightBytes: null,
          storedBytes: null,
          latencyMs: null,
        });
      }
    });
    levels.push(level);
    ranges.set(level, { start, end: members.length });
  }
  return { levels, members, ranges };
}

/**
 * The `id` a precomputed source carries itself (`{ predictions, id }`, `{ probabilities, nClasses, id }`,
 * `{ predictionsFile, id }`): the same pairing id as `{ model, id }`. Models and functions keep theirs out of it.
 */
function ownId(m: PopulationMember): string | null {
  if (typeof m !== 'object' || m === null || Object.getPrototypeOf(m) !== Object.prototype) return null;
  const id = Object.hasOwn(m, 'id') ? (m as { id?: unknown }).id : undefined;
  if (id === undefined || id === null) return null;
  if (typeof id !== 'string' || id === '') {
    throw new PieAuditError(
      'CONFIG_ERROR',
      `a population member's id must be a non-empty string; got ${typeof id === 'string' ? "''" : typeof id}.`,
      {
        key: 'population',
      },
    );
  }
  return id;
}

/** What running a source takes: tfjs models need a backend and inputs, ONNX and TFLite files inputs, precomputed sources nothing. @internal */
export function sourceNeeds(source: ModelSource, what: string): { backend: boolean; inputs: boolean } {
  const kind = resolveSource(source, what).kind;
  return {
    backend: kind === 'layers' || kind === 'graph' || kind === 'tfjs-file' || kind === 'keras-file',
    inputs:
      kind === 'layers' ||
      kind === 'graph' ||
      kind === 'tfjs-file' ||
      kind === 'keras-file' ||
      kind === 'onnx-file' ||
      kind === 'tflite-file' ||
      kind === 'function',
  };
}

/**
 * True when a source is a tfjs LayersModel (weights can be inspected for sparsity and size).
 * @internal
 * @example
 * isLayersModel(tf.sequential()); // true
 */
export function isLayersModel(source: ModelSource): boolean {
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as { getWeights?: unknown }).getWeights === 'function' &&
    Array.isArray((source as { layers?: unknown }).layers)
  );
}

/** A byte count given with a member, or `null` when absent. */
function optionalByteCount(value: unknown, key: string): number | null {
  if (value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new PieAuditError('CONFIG_ERROR', `${key} must be a non-negative number.`, { key });
}

/** A latency given with a member: `{ batch1, batch? }` in ms per example, or `null` when absent. */
function optionalLatency(value: unknown, key: string): ResolvedMember['latencyMs'] {
  if (value === undefined) return null;
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const fields = value as { batch1?: unknown; batch?: unknown };
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !positive(fields.batch1))
    throw new PieAuditError(
      'CONFIG_ERROR',
      `${key} must be { batch1, batch? }: milliseconds per example at batch 1 and at the audit's batch size, positive numbers.`,
      { key },
    );
  assertKnownKeys(value as Record<string, unknown>, ['batch1', 'batch'], key, 'latency field');
  if (fields.batch !== undefined && !positive(fields.batch))
    throw new PieAuditError('CONFIG_ERROR', `${key}.batch must be a positive number (milliseconds per example).`, { key: `${key}.batch` });
  return { batch1: fields.batch1 as number, batch: (fields.batch as number | undefined) ?? null };
}
