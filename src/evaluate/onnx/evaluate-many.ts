import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../../errors.js';
import { exportLayersModelToOnnx } from '../../onnx/export-layers-model.js';
import { loadOnnxRuntime, onnxRuntimePath, onnxSessionOptions, resolveThreads } from './onnx-runtime.js';
import { describeUnsupported, onnxSupport } from '../../onnx/onnx-support.js';

/** Options for {@link evaluateManyOnnx}. */
export interface EvaluateManyOnnxOptions {
  /** Worker threads, each evaluating one model at a time; default: all cores (capped at the number of models). */
  workers?: number;
  /** Intra-op threads of each worker's session; default 1 (the cores are used by running models side by side). */
  threadsPerWorker?: number;
  /** Examples per `run` call; default 1024. */
  batchSize?: number;
}

/** Scores of one model from {@link evaluateManyOnnx}, or why it was not evaluated on ONNX. */
export type OnnxModelScores = { runtime: 'onnx'; scores: Float32Array } | { fallbackReason: string };

/** Runs in each worker (CommonJS, so it can `require` the resolved onnxruntime-node path). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const { data, featureDims, batchSize, sessionOptions, nExamples } = workerData;
const featureSize = featureDims.reduce((a, b) => a * b, 1);
parentPort.on('message', async ({ id, bytes }) => {
  let session;
  try {
    session = await ort.InferenceSession.create(bytes, sessionOptions);
    const input = session.inputNames[0];
    const output = session.outputNames[0];
    let scores;
    let classes = 0;
    for (let start = 0; start < nExamples; start += batchSize) {
      const rows = Math.min(batchSize, nExamples - start);
      // onnxruntime-node does not accept views of a SharedArrayBuffer: copy the batch out.
      const batch = new Float32Array(data, start * featureSize * 4, rows * featureSize).slice();
      const result = await session.run({ [input]: new ort.Tensor('float32', batch, [rows, ...featureDims]) });
      const out = result[output].data;
      if (!scores) { classes = out.length / rows; scores = new Float32Array(nExamples * classes); }
      scores.set(out, start * classes);
    }
    parentPort.postMessage({ id, scores }, [scores.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  } finally {
    if (session) await session.release();
  }
});
`;

/**
 * Scores of many tfjs LayersModels (e.g. a population of pruned variants) on the same examples,
 * each exported to ONNX and run on onnxruntime-node in a pool of worker threads: by default one
 * single-threaded session per core, models side by side. On 2 cores this beats evaluating the
 * models one after another with 2-thread sessions (see docs/onnx.md for the measurements).
 *
 * `inputs` holds `nExamples` rows of the models' (shared) input shape, NHWC, row-major. The result
 * has one entry per model, in order: `{ runtime: 'onnx', scores }` (nExamples x classes, row-major)
 * or `{ fallbackReason }` (onnxruntime-node missing, uncovered layer, onnxruntime failure), so the
 * caller can evaluate those on tfjs.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `SHAPE_MISMATCH`, `LENGTH_MISMATCH`
 * @example
 * const results = await evaluateManyOnnx(population, testImages, 10_000);
 * results.forEach((r, i) => { if ('fallbackReason' in r) console.warn(`model ${i}: ${r.fallbackReason}`); });
 */
export async function evaluateManyOnnx(
  models: readonly tf.LayersModel[],
  inputs: Float32Array,
  nExamples: number,
  options: EvaluateManyOnnxOptions = {},
): Promise<OnnxModelScores[]> {
  const workers = resolveThreads(options.workers, 'options.workers');
  const threads = resolveThreads(options.threadsPerWorker ?? 1, 'options.threadsPerWorker');
  const batchSize = resolveThreads(options.batchSize ?? 1024, 'options.batchSize');
  if (!Number.isInteger(nExamples) || nExamples < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `nExamples must be a positive integer, got ${String(nExamples)}`);
  }
  const results: OnnxModelScores[] = models.map(() => ({ fallbackReason: 'not evaluated' }));
  if (models.length === 0) return results;
  const status = await loadOnnxRuntime();
  const ortPath = onnxRuntimePath();
  if (!status.ok || !ortPath) {
    const fallbackReason = status.ok ? 'onnxruntime-node cannot be resolved for worker threads' : status.reason;
    return models.map(() => ({ fallbackReason }));
  }

  const { jobs, featureDims } = exportJobs(models, results);
  if (!featureDims || jobs.length === 0) return results;

  const featureSize = featureDims.reduce((a, b) => a * b, 1);
  if (inputs.length !== nExamples * featureSize) {
    throw new PieAuditError(
      'LENGTH_MISMATCH',
      `inputs has ${inputs.length} values; ${nExamples} examples of shape [${featureDims.join(', ')}] need ${nExamples * featureSize}`,
    );
  }
  const shared = new SharedArrayBuffer(inputs.byteLength);
  new Float32Array(shared).set(inputs);

  const pool = Array.from(
    { length: Math.min(workers, availableParallelism() * 4, jobs.length) },
    () =>
      new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { ortPath, data: shared, featureDims, batchSize, sessionOptions: onnxSessionOptions({ threads }), nExamples },
      }),
  );
  try {
    await runInPool(pool, jobs, results);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

/** Exports every model ONNX covers (recording why the others fall back), checking they share one input shape. */
function exportJobs(
  models: readonly tf.LayersModel[],
  results: OnnxModelScores[],
): { jobs: Array<{ id: number; bytes: Uint8Array }>; featureDims: number[] | undefined } {
  let featureDims: number[] | undefined;
  const jobs: Array<{ id: number; bytes: Uint8Array }> = [];
  models.forEach((model, id) => {
    const support = onnxSupport(model);
    if (!support.supported) {
      results[id] = { fallbackReason: `ONNX export does not cover ${describeUnsupported(support.unsupported)}` };
      return;
    }
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      results[id] = {
        fallbackReason: `model '${model.name}' has ${model.inputs.length} inputs and ${model.outputs.length} outputs; exactly one of each is evaluated on ONNX`,
      };
      return;
    }
    const dims = model.inputs[0].shape.slice(1);
    if (!dims.every((d): d is number => typeof d === 'number' && d > 0)) {
      results[id] = { fallbackReason: `input '${model.inputNames[0]}' has unknown feature dimensions [${dims.join(', ')}]` };
      return;
    }
    if (featureDims && dims.join() !== featureDims.join()) {
      throw new PieAuditError(
        'SHAPE_MISMATCH',
        `models[${id}] takes inputs of shape [${dims.join(', ')}] but models[0..] take [${featureDims.join(', ')}]; evaluate models with different inputs separately`,
      );
    }
    featureDims = dims;
    jobs.push({ id, bytes: exportLayersModelToOnnx(model) });
  });
  return { jobs, featureDims };
}

type Reply = { id: number; scores?: Float32Array; error?: string };

/** Runs the jobs on the pool, one model per worker at a time, writing each model's scores or fallback reason. */
async function runInPool(pool: Worker[], jobs: Array<{ id: number; bytes: Uint8Array }>, results: OnnxModelScores[]): Promise<void> {
  const queue = [...jobs];
  const ask = (worker: Worker, job: { id: number; bytes: Uint8Array }) =>
    new Promise<Reply>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      worker.once('error', onError);
      worker.once('message', (m: Reply) => {
        worker.off('error', onError);
        resolve(m);
      });
      worker.postMessage({ id: job.id, bytes: job.bytes });
    });
  await Promise.all(
    pool.map(async (worker) => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const reply = await ask(worker, job);
        results[reply.id] = reply.scores
          ? { runtime: 'onnx', scores: reply.scores }
          : { fallbackReason: `onnxruntime failed on the exported model: ${reply.error ?? 'unknown error'}` };
      }
    }),
  );
}
