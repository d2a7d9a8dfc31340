import { hashTestSet } from '../cache/hash-test-set.js';
import type { ResolvedSource } from '../resolve-source.js';
import type { EvaluatePopulationOptions, PerModelEvaluation, TestSet } from '../types.js';
import { writeCachedModel, type FinishedRun, type ModelCacheSlot } from './model-cache.js';
import type { PopulationBuffers } from './population-buffers.js';
import type { ResolvedEvaluateOptions } from './resolve-evaluate-options.js';
import type { BatchProgress } from './run-batches.js';

/** What every step of one population evaluation shares. @internal */
export interface EvaluationContext {
  readonly opts: ResolvedEvaluateOptions;
  readonly testSet: TestSet;
  readonly n: number;
  readonly featureSize: number;
  readonly inputShape: readonly number[] | undefined;
  readonly nModels: number;
  readonly buffers: PopulationBuffers;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: EvaluatePopulationOptions['onProgress'];
  /** Hash of the test set, computed once when the cache first needs it. */
  testSetKey?: string;
}

/** A tfjs LayersModel left for the lanes that evaluate models side by side. @internal */
export interface DeferredJob {
  m: number;
  source: Extract<ResolvedSource, { kind: 'layers' | 'tfjs-file' }>;
  what: string;
  inputShape: readonly number[];
  fallbackReason: string | undefined;
  cacheSlot: ModelCacheSlot | undefined;
  report: BatchProgress;
}

/** The progress callback of model `m`, in the shape `runBatches` calls it. @internal */
export function progressOf(ctx: EvaluationContext, m: number): BatchProgress {
  return (batch, batches, examplesDone) => ctx.onProgress?.({ model: m, models: ctx.nModels, batch, batches, examplesDone });
}

/** The cache slot of a model with a content key (hashing the test set, or its files, once), or `undefined` without a cache. @internal */
export async function cacheSlotOf(ctx: EvaluationContext, modelKey: string | undefined): Promise<ModelCacheSlot | undefined> {
  if (!ctx.opts.cacheDir || !modelKey) return undefined;
  const { inputs, batches } = ctx.testSet;
  if (inputs) ctx.testSetKey ??= hashTestSet(inputs, ctx.n, ctx.inputShape);
  else if (batches) ctx.testSetKey ??= await batches.contentKey();
  else return undefined;
  return { dir: ctx.opts.cacheDir, modelKey, testSetKey: ctx.testSetKey };
}

/** Facts of a finished model run beyond what the cache keeps. @internal */
export interface RunFacts extends FinishedRun {
  started: number;
  worker?: boolean;
  backend?: string | undefined;
}

/**
 * Books a model whose predictions are complete: its largest label, its cache entry, its row.
 * @internal
 */
export async function finishModel(ctx: EvaluationContext, m: number, slot: ModelCacheSlot | undefined, run: RunFacts): Promise<void> {
  ctx.buffers.noteLabelsOf(m);
  if (slot) await writeCachedModel(slot, ctx.buffers, m, run);
  ctx.buffers.deliverScores(m);
  ctx.buffers.perModel[m] = {
    runtime: run.runtime,
    ...(run.fallbackReason !== undefined ? { fallbackReason: run.fallbackReason } : {}),
    seconds: (performance.now() - run.started) / 1000,
    cached: false,
    source: run.label,
    ...(run.backend !== undefined ? { backend: run.backend } : {}),
    ...(run.worker ? { worker: true } : {}),
  } satisfies PerModelEvaluation;
}
