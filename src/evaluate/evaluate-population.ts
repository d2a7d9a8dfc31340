import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { argmaxRows } from './argmax-rows.js';
import { readCacheEntry, writeCacheEntry } from './cache/prediction-cache.js';
import { hashBytes, hashGraphModel, hashLayersModel } from './cache/hash-model.js';
import { hashTestSet } from './cache/hash-test-set.js';
import { createPredictorFor } from './create-predictor.js';
import { createTfjsWorkerPool, layersModelArtifacts, WorkerJobError } from './tfjs-worker-pool.js';
import { availableParallelism } from 'node:os';
import { sizeOf } from './input-shape.js';
import { hashTfjsModelFile } from './model-file.js';
import { loadPredictions } from './predictions/load-predictions.js';
import { resolveSource, type ResolvedSource } from './resolve-source.js';
import type { SourcePredictor } from './source-predictor.js';
import { copyLabels } from './to-label-array.js';
import type { EvaluatePopulationOptions, ModelSource, PerModelEvaluation, PopulationPredictions, TestSet } from './types.js';

/** A LayersModel left for the worker pool. */
interface DeferredJob {
  m: number;
  source: Extract<ResolvedSource, { kind: 'layers' | 'tfjs-file' }>;
  what: string;
  inputShape: readonly number[];
  fallbackReason: string | undefined;
  modelKey: string | undefined;
  report: (batch: number, batches: number, examplesDone: number) => void;
}

function resolveConcurrency(concurrency: EvaluatePopulationOptions['concurrency']): number {
  if (concurrency === undefined) return 1;
  if (concurrency === 'auto') return availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.concurrency must be 'auto' or a positive integer, got ${String(concurrency)}.`, { concurrency });
  }
  return concurrency;
}

/** Rows one model contributes: labels, and score rows when it produced (or loaded) them. */
interface ModelRows {
  maxLabel: number;
  nClasses?: number;
}

/**
 * Evaluates a population of models on one test set: the top-1 prediction of every model on every
 * example, plus each model's output rows when `returnProbabilities` is set.
 *
 * Models run one at a time, batch by batch (`batchSize` examples per forward pass, each batch a view
 * of `testSet.inputs`, never a copy of the whole set), so memory stays bounded by the batch size plus
 * the result (`models * n` uint16 labels, and `models * n * nClasses` floats only when requested).
 * With `cache: { dir }`, each model's predictions are stored on disk under a key made of the model's
 * content hash and the test set's hash; re-running after adding models evaluates only the new ones.
 *
 * Throws `SHAPE_MISMATCH` (model input vs `testSet.inputShape`, or models disagreeing on the number of
 * classes), `NON_FINITE` (NaN/Inf in a model's output, naming model and example), `LENGTH_MISMATCH`
 * (precomputed predictions not of length `n`), `LABEL_OUT_OF_RANGE` (labels >= 65536).
 *
 * @example
 * const result = await evaluatePopulation([baseline, 'pruned/model.json', { predictionsFile: 'torch.npy' }],
 *   { inputs, inputShape: [28, 28, 1], n: 10000, labels }, { cache: { dir: '.pie-cache' } });
 * predictionsOf(result, 1); // Uint16Array view of model 1's labels
 */
export async function evaluatePopulation(models: readonly ModelSource[], testSet: TestSet, options: EvaluatePopulationOptions = {}): Promise<PopulationPredictions> {
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.batchSize must be a positive integer, got ${String(batchSize)}.`, { batchSize });
  }
  if (!Array.isArray(models) || models.length === 0) {
    throw new PieAuditError('EMPTY_POPULATION', 'models is empty; pass at least one model source.', {});
  }
  if (options.runtime !== undefined && options.runtime !== 'auto' && options.runtime !== 'tfjs' && options.runtime !== 'onnx') {
    throw new PieAuditError('INVALID_ARGUMENT', `options.runtime must be 'auto', 'tfjs' or 'onnx', got ${JSON.stringify(options.runtime)}.`, { runtime: options.runtime });
  }
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.threads must be a positive integer, got ${String(options.threads)}.`, { threads: options.threads });
  }
  const { n, featureSize, inputShape } = checkTestSet(testSet);
  const returnProbabilities = options.returnProbabilities ?? false;
  const cacheDir = options.cache ? options.cache.dir : undefined;
  const resolved = models.map((m, i) => resolveSource(m, `models[${i}]`));

  const predictions = new Uint16Array(models.length * n);
  let probabilities: Float32Array | undefined;
  let nClasses: number | undefined;
  let nClassesFrom = '';
  let maxLabel = -1;
  const perModel: PerModelEvaluation[] = [];
  let testSetKey: string | undefined;

  const workers = resolveConcurrency(options.concurrency);
  const deferred: DeferredJob[] = [];

  /** Cache write and perModel entry once a model's predictions are complete. */
  const finishModel = async (
    m: number,
    r: { runtime: PerModelEvaluation['runtime']; fallbackReason: string | undefined; width: number; target: Float32Array | undefined; modelKey: string | undefined; started: number; label: string; worker?: boolean; backend?: string | undefined },
  ): Promise<void> => {
    const out = predictions.subarray(m * n, (m + 1) * n);
    for (let i = 0; i < n; i++) if (out[i] > maxLabel) maxLabel = out[i];
    if (cacheDir && r.modelKey && testSetKey) {
      await writeCacheEntry(cacheDir, {
        header: {
          modelKey: r.modelKey,
          testSetKey,
          n,
          nClasses: r.width,
          hasProbabilities: r.target !== undefined,
          runtime: r.runtime,
          ...(r.fallbackReason !== undefined ? { fallbackReason: r.fallbackReason } : {}),
          source: r.label,
          createdAt: new Date().toISOString(),
        },
        predictions: out,
        ...(r.target ? { probabilities: r.target } : {}),
      });
    }
    perModel[m] = {
      runtime: r.runtime,
      ...(r.fallbackReason !== undefined ? { fallbackReason: r.fallbackReason } : {}),
      seconds: (performance.now() - r.started) / 1000,
      cached: false,
      source: r.label,
      ...(r.backend !== undefined ? { backend: r.backend } : {}),
      ...(r.worker ? { worker: true } : {}),
    };
  };

  /** The probabilities buffer, allocated once the first model's width is known. */
  const probabilityRows = (width: number, m: number, what: string): Float32Array | undefined => {
    if (nClasses === undefined) {
      nClasses = width;
      nClassesFrom = what;
    } else if (nClasses !== width) {
      throw new PieAuditError('SHAPE_MISMATCH', `${what} outputs ${width} classes but ${nClassesFrom} outputs ${nClasses}; every model of a population must score the same classes.`, { model: m, nClasses: width, expected: nClasses });
    }
    if (!returnProbabilities) return undefined;
    probabilities ??= new Float32Array(models.length * n * width);
    return probabilities.subarray(m * n * width, (m + 1) * n * width);
  };

  for (let m = 0; m < resolved.length; m++) {
    options.signal?.throwIfAborted();
    const source = resolved[m];
    const what = `models[${m}] (${source.label})`;
    const started = performance.now();
    const out = predictions.subarray(m * n, (m + 1) * n);
    const report = (batch: number, batches: number, examplesDone: number) =>
      options.onProgress?.({ model: m, models: models.length, batch, batches, examplesDone });

    if (source.kind === 'labels' || source.kind === 'probabilities' || source.kind === 'predictions-file') {
      const rows = await usePrecomputed(source, out, n, what, returnProbabilities, (w) => probabilityRows(w, m, what));
      maxLabel = Math.max(maxLabel, rows.maxLabel);
      report(1, 1, n);
      perModel[m] = { runtime: 'precomputed', seconds: (performance.now() - started) / 1000, cached: false, source: source.label };
      continue;
    }

    if (!testSet.inputs) {
      throw new PieAuditError('INVALID_ARGUMENT', `testSet.inputs is missing but ${what} computes predictions from inputs; pass testSet.inputs (row-major Float32Array).`, { model: m });
    }
    let modelKey: string | undefined;
    let onnxBytes: Uint8Array | undefined;
    if (cacheDir) {
      ({ modelKey, onnxBytes } = await modelCacheKey(source));
      if (modelKey) {
        testSetKey ??= hashTestSet(testSet.inputs, n, inputShape);
        const hit = await readCacheEntry(cacheDir, modelKey, testSetKey);
        if (hit && hit.header.n === n && (!returnProbabilities || hit.probabilities)) {
          const target = probabilityRows(hit.header.nClasses, m, what);
          out.set(hit.predictions);
          if (target && hit.probabilities) target.set(hit.probabilities);
          for (let i = 0; i < n; i++) if (out[i] > maxLabel) maxLabel = out[i];
          report(1, 1, n);
          perModel[m] = {
            runtime: hit.header.runtime,
            ...(hit.header.fallbackReason !== undefined ? { fallbackReason: hit.header.fallbackReason } : {}),
            seconds: (performance.now() - started) / 1000,
            cached: true,
            source: source.label,
          };
          continue;
        }
      }
    }

    const predictor = await createPredictorFor(
      source,
      { runtime: options.runtime ?? 'auto', name: what, ...(inputShape ? { inputShape } : {}), ...(options.threads ? { threads: options.threads } : {}) },
      onnxBytes,
    );
    let width: number;
    let target: Float32Array | undefined;
    try {
      if (predictor.inputShape && sizeOf(predictor.inputShape) !== featureSize) {
        throw new PieAuditError('SHAPE_MISMATCH', `${what} takes ${sizeOf(predictor.inputShape)} values per example but the test set has ${featureSize} (testSet.inputs.length / n); set testSet.inputShape to the model's input shape.`, { model: m });
      }
      if (workers > 1 && predictor.runtime === 'tfjs' && predictor.inputShape && (source.kind === 'layers' || (source.kind === 'tfjs-file' && predictor.modelKind === 'layers'))) {
        // Evaluated later, side by side in worker threads (tfjs-wasm uses one core per thread).
        deferred.push({ m, source, what, inputShape: predictor.inputShape, fallbackReason: predictor.fallbackReason, modelKey, report });
        continue;
      }
      ({ width, target } = await runBatches(predictor, testSet.inputs, n, featureSize, batchSize, out, what, (w) => probabilityRows(w, m, what), report, options.signal));
    } finally {
      await predictor.dispose();
    }
    await finishModel(m, { runtime: predictor.runtime, fallbackReason: predictor.fallbackReason, width, target, modelKey, started, label: source.label, backend: predictor.backend });
  }

  if (deferred.length > 0) {
    const inputs = testSet.inputs!;
    const queue = [...deferred];
    const inThisThread = async (job: DeferredJob): Promise<{ width: number; target: Float32Array | undefined }> => {
      const out = predictions.subarray(job.m * n, (job.m + 1) * n);
      const predictor = await createPredictorFor(job.source, { runtime: 'tfjs', name: job.what, inputShape: job.inputShape });
      try {
        return await runBatches(predictor, inputs, n, featureSize, batchSize, out, job.what, (w) => probabilityRows(w, job.m, job.what), job.report, options.signal);
      } finally {
        await predictor.dispose();
      }
    };
    // The calling thread is one lane; `workers - 1` worker threads are the others. Jobs are taken one at
    // a time, so at most one model per lane is deserialized at once.
    const lanes = Math.min(workers, deferred.length);
    const pool = lanes > 1 ? createTfjsWorkerPool(lanes - 1, inputs, n, batchSize) : undefined;
    const inWorker = async (job: DeferredJob): Promise<{ width: number; target: Float32Array | undefined; worker: boolean }> => {
      const out = predictions.subarray(job.m * n, (job.m + 1) * n);
      const batches = Math.ceil(n / batchSize);
      let width: number | undefined;
      let target: Float32Array | undefined;
      const artifacts = await layersModelArtifacts(job.source.kind === 'layers' ? job.source.model : job.source.path);
      try {
        await pool!.run({ id: job.m, artifacts, inputShape: job.inputShape }, ({ start, rows, scores }) => {
          options.signal?.throwIfAborted();
          if (width === undefined) {
            width = scores.length / rows;
            if (!Number.isInteger(width) || width < 1) throw new PieAuditError('SHAPE_MISMATCH', `${job.what} returned ${scores.length} scores for a batch of ${rows} examples.`, {});
            target = probabilityRows(width, job.m, job.what);
          }
          argmaxRows(scores, rows, width, out, start, { what: job.what, firstExample: start });
          target?.set(scores, start * width);
          job.report(start / batchSize + 1, batches, start + rows);
        });
        return { width: width!, target, worker: true };
      } catch (e) {
        if (!(e instanceof WorkerJobError)) throw e;
        // The worker's tfjs could not build this model (e.g. a custom layer registered only here): run it here.
        return { ...(await inThisThread(job)), worker: false };
      }
    };
    let failed = false;
    try {
      await Promise.all(
        Array.from({ length: lanes }, async (_, lane) => {
          try {
            for (let job = queue.shift(); job && !failed; job = queue.shift()) {
              options.signal?.throwIfAborted();
              const started = performance.now();
              const r = lane === 0 ? { ...(await inThisThread(job)), worker: false } : await inWorker(job);
              await finishModel(job.m, { runtime: 'tfjs', fallbackReason: job.fallbackReason, width: r.width, target: r.target, modelKey: job.modelKey, started, label: job.source.label, worker: r.worker, backend: r.worker ? 'wasm' : tf.getBackend() });
            }
          } catch (e) {
            failed = true; // the other lanes stop after their current model
            throw e;
          }
        }),
      );
    } finally {
      await pool?.close();
    }
  }

  if (testSet.labels) {
    for (let i = 0; i < n; i++) if (testSet.labels[i] > maxLabel) maxLabel = testSet.labels[i];
  }
  if (nClasses !== undefined && maxLabel >= nClasses) {
    throw new PieAuditError('LABEL_OUT_OF_RANGE', `a label or prediction equals ${maxLabel} but the models score only ${nClasses} classes (${nClassesFrom}); check that testSet.labels and precomputed predictions use the models' class indices.`, { maxLabel, nClasses });
  }
  const result: PopulationPredictions = { predictions, nClasses: nClasses ?? maxLabel + 1, n, perModel };
  if (returnProbabilities && probabilities) result.probabilities = probabilities;
  return result;
}

function checkTestSet(testSet: TestSet): { n: number; featureSize: number; inputShape: readonly number[] | undefined } {
  if (!testSet || typeof testSet !== 'object') throw new PieAuditError('INVALID_ARGUMENT', 'testSet must be an object { inputs?, inputShape?, n, labels? }.', {});
  const { n, inputs, inputShape, labels } = testSet;
  if (!Number.isInteger(n) || n < 1) throw new PieAuditError('INVALID_ARGUMENT', `testSet.n must be a positive integer, got ${String(n)}.`, { n });
  if (inputShape && (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isInteger(d) || d < 1))) {
    throw new PieAuditError('INVALID_ARGUMENT', `testSet.inputShape must list positive integers (per example, no batch dimension), got ${JSON.stringify(inputShape)}.`, {});
  }
  let featureSize = inputShape ? sizeOf(inputShape) : 0;
  if (inputs) {
    if (!(inputs instanceof Float32Array)) throw new PieAuditError('INVALID_ARGUMENT', 'testSet.inputs must be a Float32Array (row-major, example after example).', {});
    if (inputs.length % n !== 0 || inputs.length === 0) {
      throw new PieAuditError('LENGTH_MISMATCH', `testSet.inputs has ${inputs.length} values, not a multiple of testSet.n = ${n}.`, { length: inputs.length, n });
    }
    if (inputShape && inputs.length !== n * featureSize) {
      throw new PieAuditError('LENGTH_MISMATCH', `testSet.inputs has ${inputs.length} values but n = ${n} examples of shape [${inputShape.join(', ')}] need ${n * featureSize}.`, { length: inputs.length });
    }
    featureSize = inputs.length / n;
  }
  if (labels) {
    if (labels.length !== n) throw new PieAuditError('LENGTH_MISMATCH', `testSet.labels has ${labels.length} entries, testSet.n is ${n}.`, { length: labels.length, n });
    copyLabels(labels, new Uint16Array(n), 0, 'testSet.labels');
  }
  return { n, featureSize, inputShape };
}

async function modelCacheKey(source: ResolvedSource): Promise<{ modelKey?: string; onnxBytes?: Uint8Array }> {
  switch (source.kind) {
    case 'layers':
      return { modelKey: hashLayersModel(source.model) };
    case 'graph':
      return { modelKey: hashGraphModel(source.model) };
    case 'tfjs-file':
      return { modelKey: await hashTfjsModelFile(source.path) };
    case 'onnx-file': {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(source.path);
      } catch (e) {
        throw new PieAuditError('CORRUPT_MODEL', `ONNX model ${source.path} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, { file: source.path }, { cause: e });
      }
      return { modelKey: hashBytes('onnx', bytes), onnxBytes: bytes };
    }
    case 'function':
      return source.fn.cacheKey !== undefined ? { modelKey: hashBytes('function', source.fn.cacheKey) } : {};
    default:
      return {};
  }
}

async function runBatches(
  predictor: SourcePredictor,
  inputs: Float32Array,
  n: number,
  featureSize: number,
  batchSize: number,
  out: Uint16Array,
  what: string,
  probabilityRows: (width: number) => Float32Array | undefined,
  report: (batch: number, batches: number, examplesDone: number) => void,
  signal: AbortSignal | undefined,
): Promise<{ width: number; target: Float32Array | undefined }> {
  const batches = Math.ceil(n / batchSize);
  let width = predictor.nClasses;
  let target: Float32Array | undefined;
  for (let b = 0; b < batches; b++) {
    signal?.throwIfAborted();
    const start = b * batchSize;
    const rows = Math.min(batchSize, n - start);
    const scores = await predictor.predict(inputs.subarray(start * featureSize, (start + rows) * featureSize), rows);
    if (!(scores instanceof Float32Array)) {
      const got = scores === null ? 'null' : Array.isArray(scores) ? 'an array' : typeof scores;
      throw new PieAuditError('SHAPE_MISMATCH', `${what} returned ${got} for a batch of ${rows} examples; predict() must resolve to a Float32Array of rows * nClasses scores.`, {});
    }
    if (b === 0 || width === undefined) {
      if (scores.length % rows !== 0 || scores.length === 0) {
        throw new PieAuditError('SHAPE_MISMATCH', `${what} returned ${scores.length} scores for a batch of ${rows} examples; expected rows * nClasses.`, {});
      }
      width ??= scores.length / rows;
      target = probabilityRows(width);
    }
    if (scores.length !== rows * width) {
      throw new PieAuditError('SHAPE_MISMATCH', `${what} returned ${scores.length} scores for a batch of ${rows} examples; expected ${rows * width} (${width} classes).`, {});
    }
    argmaxRows(scores, rows, width, out, start, { what, firstExample: start });
    target?.set(scores, start * width);
    report(b + 1, batches, start + rows);
  }
  return { width: width!, target };
}

async function usePrecomputed(
  source: Extract<ResolvedSource, { kind: 'labels' | 'probabilities' | 'predictions-file' }>,
  out: Uint16Array,
  n: number,
  what: string,
  returnProbabilities: boolean,
  probabilityRows: (width: number) => Float32Array | undefined,
): Promise<ModelRows> {
  let labels: ArrayLike<number> | undefined;
  let scores: Float32Array | undefined;
  let width: number | undefined;
  if (source.kind === 'labels') labels = source.source.predictions;
  else if (source.kind === 'probabilities') {
    scores = source.source.probabilities;
    width = source.source.nClasses;
    if (!Number.isInteger(width) || width < 1) throw new PieAuditError('INVALID_ARGUMENT', `${what}: nClasses must be a positive integer, got ${String(width)}.`, {});
    if (scores.length !== n * width) {
      throw new PieAuditError('LENGTH_MISMATCH', `${what} holds ${scores.length} probabilities; n = ${n} examples x ${width} classes need ${n * width}.`, { length: scores.length, n });
    }
  } else {
    const loaded = await loadPredictions(source.path, source.format ? { format: source.format } : {});
    if (loaded.n !== n) {
      throw new PieAuditError('LENGTH_MISMATCH', `${what} holds predictions for ${loaded.n} examples but the test set has n = ${n}; write one prediction per test example, in test-set order.`, { length: loaded.n, n });
    }
    if (loaded.probabilities) {
      scores = loaded.probabilities;
      width = loaded.nClasses;
    } else labels = loaded.predictions;
  }
  if (scores && width !== undefined) {
    argmaxRows(scores, n, width, out, 0, { what, firstExample: 0 });
    probabilityRows(width)?.set(scores);
    let max = -1;
    for (let i = 0; i < n; i++) if (out[i] > max) max = out[i];
    return { maxLabel: max, nClasses: width };
  }
  if (labels!.length !== n) {
    throw new PieAuditError('LENGTH_MISMATCH', `${what} holds ${labels!.length} predictions but the test set has n = ${n}.`, { length: labels!.length, n });
  }
  if (returnProbabilities) {
    throw new PieAuditError('INVALID_ARGUMENT', `returnProbabilities is set but ${what} holds only top-1 labels; pass its scores ({ probabilities, nClasses } or a file of score rows), or set returnProbabilities: false.`, {});
  }
  return { maxLabel: copyLabels(labels!, out, 0, what) };
}
