import { Worker } from 'bullmq';
import { PieAuditError } from '../../errors.js';
import { QUEUE_NAME } from './queue-names.js';
import { assertRedisReachable, parseRedisUrl } from './redis-url.js';

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  readonly url: string;
  /** Jobs at once (each in its own sandboxed process). Default 1. */
  readonly concurrency?: number;
  /** The sandboxed processor module (a file path). */
  readonly processorFile: string;
  /** Lock of an active job, renewed by this process; after it lapses a dead worker's job is retried elsewhere (default 30 s). */
  readonly lockDurationMs?: number;
  readonly onEvent?: (line: string) => void;
}

/**
 * Starts a BullMQ worker on the pie-audit queue. Jobs run in sandboxed child processes, so a CPU-bound
 * training job never stalls this process's lock renewal; a worker killed mid-job loses its lock and the job
 * is retried on another worker.
 *
 * @example
 * const worker = await startQueueWorker({ url: 'redis://127.0.0.1:6379', processorFile, concurrency: 2 });
 * await worker.close();
 * @throws PieAuditError BACKEND_UNAVAILABLE when Redis cannot be reached.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<Worker> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new PieAuditError('INVALID_ARGUMENT', `--concurrency must be a positive integer; got ${String(options.concurrency)}.`, {});
  const target = parseRedisUrl(options.url);
  await assertRedisReachable(target);
  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker(QUEUE_NAME, options.processorFile, {
    connection: { ...target, maxRetriesPerRequest: null },
    concurrency,
    lockDuration,
    stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
    useWorkerThreads: false,
  });
  worker.on('active', (job) => options.onEvent?.(`start ${job.name}`));
  worker.on('completed', (job) => options.onEvent?.(`done ${job.name}`));
  worker.on('failed', (job, err) =>
    options.onEvent?.(`failed ${job?.name ?? '?'} (attempt ${job?.attemptsMade ?? '?'}): ${err.message.split('\n')[0]}`),
  );
  worker.on('error', (err) => options.onEvent?.(`error: ${err.message.split('\n')[0]}`));
  await worker.waitUntilReady();
  return worker;
}
