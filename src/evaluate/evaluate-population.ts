import { PieAuditError } from '../errors.js';
import { createPredictorFor } from './create-predictor.js';
import { sizeOf } from './input-shape.js';
import { checkTestSet } from './population/check-test-set.js';
import { cacheSlotOf, finishModel, progressOf, type DeferredJob, type EvaluationContext } from './population/evaluation-context.js';
import { evaluateInLanes } from './population/evaluate-in-lanes.js';
import { readCachedModel } from './population/model-cache.js';
import { modelCacheKey } from './population/model-cache-key.js';
import { PopulationBuffers } from './population/population-buffers.js';
import { resolveEvaluateOptions } from './population/resolve-evaluate-options.js';
import { runBatches, viewsOf, type ReadBatch } from './population/run-batches.js';
import { usePrecomputed } from './population/use-precomputed.js';
import { isPrecomputedSource, resolveSource, type PrecomputedSource, type ResolvedSource } from './resolve-source.js';

import type { EvaluatePopulationOptions, ModelSource, PopulationPredictions, TestSet } from './types.js';

/**
 * Evaluates a population of models on one test set: the top-1 prediction of every model on every
 * example, plus each model's output rows when `returnProbabilities` is set.
 *
 * Models run one at a time, batch by batch (`batchSize` examples per forward pass, each batch a view
 * of `testSet.inputs`, never a copy of the whole set), so memory stays bounded by the batch size plus
 * the result (`models * n` uint16 labels, and `models * n * nClasses` floats only when requested).
 * With `cache: { dir }`, each model's predictions are stored on disk under a key made of the model's
 * content hash and the test set's hash; re-running after adding models evaluates only the new ones.
 * With `concurrency`, tfjs LayersModels are evaluated side by side in worker threads.
 *
 * @throws PieAuditError `SHAPE_MISMATCH` (model input vs `testSet.inputShape`, or models disagreeing on the
 *   number of classes), `NON_FINITE` (NaN/Inf in a model's output, naming model and example), `LENGTH_MISMATCH`
 *   (precomputed predictions not of length `n`), `LABEL_OUT_OF_RANGE` (labels >= 65536), `INVALID_ARGUMENT`
 * @example
 * const result = await evaluatePopulation([baseline, 'pruned/model.json', { predictionsFile: 'torch.npy' }],
 *   { inputs, inputShape: [28, 28, 1], n: 10000, labels }, { cache: { dir: '.pie-cache' } });
 * predictionsOf(result, 1); // Uint16Array view of model 1's labels
 */
export async function evaluatePopulation(
  models: readonly ModelSource[],
  testSet: TestSet,
  options: EvaluatePopulationOptions = {},
): Promise<PopulationPredictions> {
  const opts = resolveEvaluateOptions(models, options);
  const { n, featureSize, inputShape } = checkTestSet(testSet);
  const resolved = models.map((m, i) => resolveSource(m, `models[${i}]`));
  const ctx: EvaluationContext = {
    opts,
    testSet,
    n,
    featureSize,
    inputShape,
    nModels: models.length,
    buffers: new PopulationBuffers(models.length, n, opts.returnProbabilities, options.onScores),
    signal: options.signal,
    onProgress: options.onProgress,
  };
  const deferred: DeferredJob[] = [];
  for (let m = 0; m < resolved.length; m++) {
    options.signal?.throwIfAborted();
    const job = await evaluateModel(ctx, m, resolved[m]);
    if (job) deferred.push(job);
  }
  if (deferred.length > 0) await evaluateInLanes(ctx, deferred);
  return ctx.buffers.result(testSet.labels);
}

/** Copies a precomputed model's labels (and scores) into the buffers. */
async function usePrecomputedModel(ctx: EvaluationContext, m: number, source: PrecomputedSource, what: string): Promise<void> {
  const started = performance.now();
  const scoreRows = (w: number) => ctx.buffers.scoreRowsOf(m, w, what);
  const rows = await usePrecomputed(source, ctx.buffers.labelsOf(m), ctx.n, what, ctx.buffers.needsScores, scoreRows);
  const bound = ctx.opts.maxClasses;
  if (bound !== undefined && rows.maxLabel >= bound) {
    const labels = ctx.buffers.labelsOf(m);
    const i = labels.findIndex((v) => v >= bound);
    throw new PieAuditError(
      'LABEL_OUT_OF_RANGE',
      `${what}: predicted label ${labels[i]} at example ${i} is not one of the ${bound} classes (0..${bound - 1}); check the file, or list every class in classNames.`,
      { model: m, example: i, value: labels[i], classes: bound },
    );
  }
  ctx.buffers.noteMaxLabel(rows.maxLabel);
  ctx.buffers.deliverScores(m);
  progressOf(ctx, m)(1, 1, ctx.n);
  ctx.buffers.perModel[m] = { runtime: 'precomputed', seconds: (performance.now() - started) / 1000, cached: false, source: source.label };
}

/** The batches a model computes its predictions from: views of in-memory inputs, or batches read from disk. */
function inputsFor(ctx: EvaluationContext, m: number, what: string): ReadBatch {
  const { inputs, batches } = ctx.testSet;
  if (inputs) return viewsOf(inputs, ctx.featureSize);
  if (batches) return (start, rows) => batches.read(start, rows);
  throw new PieAuditError(
    'INVALID_ARGUMENT',
    `testSet.inputs is missing but ${what} computes predictions from inputs; pass testSet.inputs (row-major Float32Array).`,
    { model: m },
  );
}

/**
 * Evaluates model `m` in this thread (precomputed, cached, or run batch by batch), or returns it as a
 * job for the side-by-side lanes when they are on and it is a tfjs LayersModel.
 */
async function evaluateModel(ctx: EvaluationContext, m: number, source: ResolvedSource): Promise<DeferredJob | null> {
  const what = `models[${m}] (${source.label})`;
  if (isPrecomputedSource(source)) {
    await usePrecomputedModel(ctx, m, source, what);
    return null;
  }
  const started = performance.now();
  const report = progressOf(ctx, m);
  const inputs = inputsFor(ctx, m, what);
  const { modelKey, fileBytes } = ctx.opts.cacheDir ? await modelCacheKey(source) : {};
  const slot = await cacheSlotOf(ctx, modelKey);
  const hit = slot ? await readCachedModel(slot, ctx.buffers, m, what, ctx.buffers.needsScores) : null;
  if (hit) {
    report(1, 1, ctx.n);
    ctx.buffers.perModel[m] = { ...hit, seconds: (performance.now() - started) / 1000, cached: true, source: source.label };
    return null;
  }
  const { runtime, threads } = ctx.opts;
  const inputShape = ctx.inputShape;
  const options = { runtime, name: what, ...(inputShape ? { inputShape } : {}), ...(threads ? { threads } : {}) };
  const predictor = await createPredictorFor(source, options, fileBytes);
  let run: { width: number; target: Float32Array | undefined };
  try {
    if (predictor.inputShape && sizeOf(predictor.inputShape) !== ctx.featureSize) {
      throw new PieAuditError(
        'SHAPE_MISMATCH',
        `${what} takes ${sizeOf(predictor.inputShape)} values per example but the test set has ${ctx.featureSize} (testSet.inputs.length / n); set testSet.inputShape to the model's input shape.`,
        { model: m },
      );
    }
    const layers = source.kind === 'layers' || (source.kind === 'tfjs-file' && predictor.modelKind === 'layers');
    // Worker lanes share in-memory inputs; inputs read from disk run here, batch by batch.
    if (ctx.opts.workers > 1 && ctx.testSet.inputs && predictor.runtime === 'tfjs' && predictor.inputShape && layers) {
      const { fallbackReason } = predictor;
      return {
        m,
        source: source as DeferredJob['source'],
        what,
        inputShape: predictor.inputShape,
        fallbackReason,
        cacheSlot: slot,
        report,
      };
    }
    const scoreRows = (w: number) => ctx.buffers.scoreRowsOf(m, w, what);
    const out = ctx.buffers.labelsOf(m);
    run = await runBatches(predictor, inputs, ctx.n, ctx.opts.batchSize, out, what, scoreRows, report, ctx.signal);
  } finally {
    await predictor.dispose();
  }
  const { runtime: used, fallbackReason, backend } = predictor;
  await finishModel(ctx, m, slot, {
    runtime: used,
    fallbackReason,
    width: run.width,
    scores: run.target,
    label: source.label,
    started,
    backend,
  });
  return null;
}
