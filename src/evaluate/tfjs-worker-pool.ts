import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { fileSystemIO } from '../engine/index.js';
import { PieAuditError } from '../errors.js';

/** One LayersModel to evaluate in a worker: its serialized artifacts and the shape to feed it. */
export interface WorkerJob {
  /** Position in the population; echoed in every message. */
  id: number;
  artifacts: { modelTopology: unknown; weightSpecs: unknown; weightData: ArrayBuffer };
  inputShape: readonly number[];
}

/** What a worker streams back for each batch: the model's output rows. */
export interface WorkerBatch {
  start: number;
  rows: number;
  scores: Float32Array;
}

/**
 * Runs in each worker (CommonJS, so it can `require` the tfjs packages by the absolute paths resolved
 * in the main thread, which works the same from sources and from the bundled package). Each worker has
 * its own single-threaded wasm backend; it reads the test set from a SharedArrayBuffer (one copy shared
 * by all workers) and streams each batch's scores back, so argmax, NaN checks and probabilities stay in
 * the main thread exactly as for sequential evaluation.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// tfjs-core + tfjs-layers + the wasm backend only: loads about twice as fast as the whole tfjs bundle.
const tf = require(workerData.corePath);
const tfl = require(workerData.layersPath);
require(workerData.wasmPath);
const { data, n, featureSize, batchSize } = workerData;
const inputs = new Float32Array(data, 0, n * featureSize);
const ready = tf.setBackend('wasm').then((ok) => { if (!ok) throw new Error('the wasm backend failed to initialise in a worker'); return tf.ready(); });
parentPort.on('message', async (job) => {
  let model;
  try {
    await ready;
    const a = job.artifacts;
    model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData }));
    for (let start = 0; start < n; start += batchSize) {
      const rows = Math.min(batchSize, n - start);
      const out = tf.tidy(() => {
        const x = tf.tensor(inputs.subarray(start * featureSize, (start + rows) * featureSize), [rows, ...job.inputShape], 'float32');
        const y = model.predictOnBatch(x);
        return Array.isArray(y) ? y[0] : y;
      });
      let scores;
      try { scores = await out.data(); } finally { out.dispose(); }
      if (!(scores instanceof Float32Array)) scores = Float32Array.from(scores);
      parentPort.postMessage({ id: job.id, type: 'batch', start, rows, scores }, [scores.buffer]);
    }
    parentPort.postMessage({ id: job.id, type: 'done' });
  } catch (e) {
    parentPort.postMessage({ id: job.id, type: 'error', message: String((e && e.message) || e) });
  } finally {
    if (model) model.dispose();
  }
});
`;

/**
 * Serializes a LayersModel (in memory, or a model.json on disk) into artifacts a worker can load,
 * without creating tensors.
 *
 * @example
 * const artifacts = await layersModelArtifacts(model);
 */
export async function layersModelArtifacts(source: tf.LayersModel | string): Promise<WorkerJob['artifacts']> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  if (typeof source === 'string') {
    artifacts = await fileSystemIO(source).load!();
  } else {
    await source.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  }
  const data = artifacts?.weightData;
  const weightData = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? concat(data) : data;
  return { modelTopology: artifacts?.modelTopology, weightSpecs: artifacts?.weightSpecs ?? [], weightData };
}

function concat(parts: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out.buffer;
}

/**
 * A pool of worker threads, each with its own wasm backend, evaluating whole models side by side.
 * tfjs-wasm is single-threaded under Node, so this is how a population uses several cores on tfjs.
 *
 * @example
 * const pool = createTfjsWorkerPool(2, inputs, n, 1024);
 * await pool.run(job, (batch) => consume(batch));
 * await pool.close();
 */
export function createTfjsWorkerPool(size: number, inputs: Float32Array, n: number, batchSize: number) {
  const requireHere = createRequire(import.meta.url);
  // Resolve core and layers from where @tensorflow/tfjs itself finds them, so the versions match.
  const requireFromTfjs = createRequire(requireHere.resolve('@tensorflow/tfjs'));
  const corePath = requireFromTfjs.resolve('@tensorflow/tfjs-core');
  const layersPath = requireFromTfjs.resolve('@tensorflow/tfjs-layers');
  const wasmPath = requireHere.resolve('@tensorflow/tfjs-backend-wasm');
  // One copy of the test set, shared read-only by every worker.
  const shared = new SharedArrayBuffer(inputs.byteLength);
  new Float32Array(shared).set(inputs);
  const featureSize = inputs.length / n;
  const idle: Worker[] = Array.from(
    { length: size },
    () =>
      new Worker(WORKER_SOURCE, { eval: true, workerData: { corePath, layersPath, wasmPath, data: shared, n, featureSize, batchSize } }),
  );
  const all = [...idle];
  const waiting: Array<(w: Worker) => void> = [];
  const acquire = () => new Promise<Worker>((resolve) => (idle.length > 0 ? resolve(idle.pop()!) : waiting.push(resolve)));
  const release = (w: Worker) => (waiting.length > 0 ? waiting.shift()!(w) : idle.push(w));

  return {
    /** Evaluates one model on a free worker; `onBatch` gets each batch in order. Rejects on worker failure. */
    async run(job: WorkerJob, onBatch: (batch: WorkerBatch) => void): Promise<void> {
      const worker = await acquire();
      try {
        await new Promise<void>((resolve, reject) => {
          const onError = (e: Error) => {
            cleanup();
            reject(new PieAuditError('BACKEND_UNAVAILABLE', `a tfjs worker thread failed: ${e.message}`, {}, { cause: e }));
          };
          const onMessage = (m: { id: number; type: string; message?: string } & Partial<WorkerBatch>) => {
            if (m.id !== job.id) return;
            if (m.type === 'batch') {
              try {
                onBatch({ start: m.start!, rows: m.rows!, scores: m.scores! });
              } catch (e) {
                // Keep draining this job's messages, then report the first error.
                failure ??= e;
              }
              return;
            }
            cleanup();
            if (failure) reject(failure);
            else if (m.type === 'done') resolve();
            else reject(new WorkerJobError(m.message ?? 'unknown error'));
          };
          let failure: unknown;
          const cleanup = () => {
            worker.off('message', onMessage);
            worker.off('error', onError);
          };
          worker.on('message', onMessage);
          worker.on('error', onError);
          worker.postMessage(job, [job.artifacts.weightData]);
        });
      } finally {
        release(worker);
      }
    },
    async close(): Promise<void> {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

/** A model failed inside a worker (e.g. a custom layer class the worker's tfjs does not know). */
export class WorkerJobError extends Error {}
