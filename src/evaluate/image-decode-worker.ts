/**
 * Worker thread of {@link imageBatches}: decodes, resizes, crops and normalises one batch of images per message,
 * off the thread that evaluates the models. Started from its file path (see image-decode-thread.ts).
 *
 * Message in: `{ id, paths, preprocess, concurrency }`. Message out: `{ id, pixels, floats }` (buffers transferred),
 * or `{ id, error: { code, message, details } }`.
 */
import { parentPort } from 'node:worker_threads';
import type { ResolvedPreprocess } from '../data/preprocess.js';
import { PieAuditError } from '../errors.js';
import { decodeImageRange, normalizeImageRange } from './decode-image-range.js';

interface DecodeJob {
  id: number;
  paths: string[];
  preprocess: ResolvedPreprocess;
  concurrency: number;
}

// Jobs run one after another, in the order they arrive: the main thread keeps at most two in flight.
let queue: Promise<void> = Promise.resolve();

async function run(job: DecodeJob): Promise<void> {
  try {
    const pixels = await decodeImageRange(job.paths, job.preprocess, job.concurrency);
    const floats = normalizeImageRange(pixels, job.paths.length, job.preprocess);
    parentPort!.postMessage({ id: job.id, pixels, floats }, [pixels.buffer as ArrayBuffer, floats.buffer as ArrayBuffer]);
  } catch (e) {
    const error =
      e instanceof PieAuditError
        ? { code: e.code, message: e.message, details: { ...e.details } }
        : { code: null, message: (e as Error)?.message ?? String(e), details: {} };
    parentPort!.postMessage({ id: job.id, error });
  }
}

parentPort?.on('message', (job: DecodeJob) => {
  queue = queue.then(() => run(job));
});
