import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../../errors.js';
import { argmaxRows } from '../argmax-rows.js';
import { createPredictorFor } from '../create-predictor.js';
import { createTfjsWorkerPool, layersModelArtifacts, WorkerJobError } from '../tfjs-worker-pool.js';

type TfjsWorkerPool = ReturnType<typeof createTfjsWorkerPool>;
import { finishModel, type DeferredJob, type EvaluationContext } from './evaluation-context.js';
import { runBatches, viewsOf } from './run-batches.js';

type LaneResult = { width: number; scores: Float32Array | undefined; worker: boolean };

/**
 * Evaluates deferred tfjs LayersModels side by side: the calling thread is one lane and `workers - 1`
 * worker threads (each with its own wasm backend: tfjs-wasm uses one core per thread) are the others.
 * Jobs are taken one at a time, so at most one model per lane is deserialised at once; after a failure
 * the other lanes stop after their current model.
 * @throws PieAuditError naming the argument and the fix
 * @internal
 */
export async function evaluateInLanes(ctx: EvaluationContext, deferred: readonly DeferredJob[]): Promise<void> {
  const queue = [...deferred];
  const lanes = Math.min(ctx.opts.workers, deferred.length);
  const pool = lanes > 1 ? createTfjsWorkerPool(lanes - 1, ctx.testSet.inputs!, ctx.n, ctx.opts.batchSize) : undefined;
  let failed = false;
  const runLane = async (lane: number): Promise<void> => {
    try {
      for (let job = queue.shift(); job && !failed; job = queue.shift()) {
        ctx.signal?.throwIfAborted();
        const started = performance.now();
        const r = lane === 0 ? await inThisThread(ctx, job) : await inWorker(ctx, pool!, job);
        const backend = r.worker ? 'wasm' : tf.getBackend();
        await finishModel(ctx, job.m, job.cacheSlot, {
          runtime: 'tfjs',
          fallbackReason: job.fallbackReason,
          width: r.width,
          scores: r.scores,
          label: job.source.label,
          started,
          worker: r.worker,
          backend,
        });
      }
    } catch (e) {
      failed = true;
      throw e;
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(lane)));
  } finally {
    await pool?.close();
  }
}

async function inThisThread(ctx: EvaluationContext, job: DeferredJob): Promise<LaneResult> {
  const predictor = await createPredictorFor(job.source, { runtime: 'tfjs', name: job.what, inputShape: job.inputShape });
  try {
    const { width, target } = await runBatches(
      predictor,
      viewsOf(ctx.testSet.inputs!, ctx.featureSize),
      ctx.n,
      ctx.opts.batchSize,
      ctx.buffers.labelsOf(job.m),
      job.what,
      (w) => ctx.buffers.scoreRowsOf(job.m, w, job.what),
      job.report,
      ctx.signal,
    );
    return { width, scores: target, worker: false };
  } finally {
    await predictor.dispose();
  }
}

async function inWorker(ctx: EvaluationContext, pool: TfjsWorkerPool, job: DeferredJob): Promise<LaneResult> {
  const out = ctx.buffers.labelsOf(job.m);
  const batches = Math.ceil(ctx.n / ctx.opts.batchSize);
  let width: number | undefined;
  let scores: Float32Array | undefined;
  const artifacts = await layersModelArtifacts(job.source.kind === 'layers' ? job.source.model : job.source.path);
  try {
    await pool.run({ id: job.m, artifacts, inputShape: job.inputShape }, ({ start, rows, scores: batch }) => {
      ctx.signal?.throwIfAborted();
      if (width === undefined) {
        width = batch.length / rows;
        if (!Number.isInteger(width) || width < 1) {
          throw new PieAuditError('SHAPE_MISMATCH', `${job.what} returned ${batch.length} scores for a batch of ${rows} examples.`, {});
        }
        scores = ctx.buffers.scoreRowsOf(job.m, width, job.what);
      }
      argmaxRows(batch, rows, width, out, start, { what: job.what, firstExample: start });
      scores?.set(batch, start * width);
      job.report(start / ctx.opts.batchSize + 1, batches, start + rows);
    });
    return { width: width!, scores, worker: true };
  } catch (e) {
    if (!(e instanceof WorkerJobError)) throw e;
    // The worker's tfjs could not build this model (e.g. a custom layer registered only here): run it here.
    return inThisThread(ctx, job);
  }
}
