import { readCacheEntry, writeCacheEntry } from '../cache/prediction-cache.js';
import type { PerModelEvaluation } from '../types.js';
import type { PopulationBuffers } from './population-buffers.js';

/** Where one model's predictions are cached: the cache folder and the model's and test set's keys. */
export interface ModelCacheSlot {
  dir: string;
  modelKey: string;
  testSetKey: string;
}

/**
 * Fills model `m`'s share of `buffers` from the prediction cache when a complete entry exists.
 *
 * @returns the cached run's evaluation facts, or `null` on a miss (or an entry without the scores asked for)
 * @example
 * const hit = await readCachedModel(slot, buffers, 0, 'models[0]', false);
 */
export async function readCachedModel(
  slot: ModelCacheSlot,
  buffers: PopulationBuffers,
  m: number,
  what: string,
  needScores: boolean,
): Promise<Pick<PerModelEvaluation, 'runtime' | 'fallbackReason'> | null> {
  const hit = await readCacheEntry(slot.dir, slot.modelKey, slot.testSetKey);
  if (!hit || hit.header.n !== buffers.n || (needScores && !hit.probabilities)) return null;
  const target = buffers.scoreRowsOf(m, hit.header.nClasses, what);
  buffers.labelsOf(m).set(hit.predictions);
  if (target && hit.probabilities) target.set(hit.probabilities);
  buffers.noteLabelsOf(m);
  buffers.deliverScores(m);
  return { runtime: hit.header.runtime, ...(hit.header.fallbackReason !== undefined ? { fallbackReason: hit.header.fallbackReason } : {}) };
}

/** What a finished model run adds to the cache. */
export interface FinishedRun {
  runtime: PerModelEvaluation['runtime'];
  fallbackReason: string | undefined;
  width: number;
  scores: Float32Array | undefined;
  label: string;
}

/**
 * Writes model `m`'s finished predictions (and scores) to the cache, atomically.
 *
 * @example
 * await writeCachedModel(slot, buffers, 0, { runtime: 'tfjs', fallbackReason: undefined, width: 10, scores: undefined, label: 'a.json' });
 */
export async function writeCachedModel(slot: ModelCacheSlot, buffers: PopulationBuffers, m: number, run: FinishedRun): Promise<void> {
  await writeCacheEntry(slot.dir, {
    header: {
      modelKey: slot.modelKey,
      testSetKey: slot.testSetKey,
      n: buffers.n,
      nClasses: run.width,
      hasProbabilities: run.scores !== undefined,
      runtime: run.runtime,
      ...(run.fallbackReason !== undefined ? { fallbackReason: run.fallbackReason } : {}),
      source: run.label,
      createdAt: new Date().toISOString(),
    },
    predictions: buffers.labelsOf(m),
    ...(run.scores ? { probabilities: run.scores } : {}),
  });
}
