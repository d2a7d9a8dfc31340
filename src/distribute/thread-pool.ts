import { Worker } from 'node:worker_threads';
import { PieAuditError } from '../errors.js';
import { describeJob, type Job } from './jobs.js';
import { distributeModule } from './module-paths.js';

/** Options of {@link runJobsInThreads}. */
export interface ThreadPoolOptions {
  readonly threads: number;
  readonly artifacts: string;
  readonly onJob?: (job: Job, result: unknown, done: number, total: number) => void;
}

function startThread(): Worker {
  const entry = distributeModule('population-worker');
  if (entry.endsWith('.ts')) {
    const bootstrap = new URL('./ts-worker-bootstrap.mjs', `file://${entry}`);
    return new Worker(bootstrap, { workerData: { entry: `file://${entry}` } });
  }
  return new Worker(entry);
}

/**
 * Runs population jobs (train, fineTune) on `threads` worker threads, each with its own tfjs backend
 * (tfjs-wasm is single-threaded under Node, so this is how one machine trains on several cores). A job
 * starts once the jobs it needs are done; among ready jobs, train jobs go first (they are the longest and
 * unlock a seed's fine-tuning). Results are the jobs' own (artifacts in `artifacts`).
 *
 * @example
 * const results = await runJobsInThreads(plan.jobs.filter((j) => j.kind !== 'evaluate'), { threads: 2, artifacts: tmp });
 * @throws PieAuditError naming the first job that failed (the other threads are stopped).
 */
export async function runJobsInThreads(jobs: readonly Job[], options: ThreadPoolOptions): Promise<Map<string, unknown>> {
  const results = new Map<string, unknown>();
  const pending = [...jobs];
  const threads = Array.from({ length: Math.max(1, Math.min(options.threads, jobs.length)) }, startThread);
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const next = (thread: Worker) => {
        if (failed) return;
        const ready = pending.filter((j) => j.needs.every((id) => results.has(id)));
        const job = ready.find((j) => j.kind === 'train') ?? ready[0];
        if (!job) {
          if (running === 0 && pending.length === 0) resolve();
          return;
        }
        pending.splice(pending.indexOf(job), 1);
        running++;
        const onMessage = (m: { id: string; ok: boolean; result?: unknown; message?: string }) => {
          if (m.id !== job.id) return;
          thread.off('message', onMessage);
          running--;
          if (!m.ok) {
            failed = true;
            reject(new PieAuditError('IO_ERROR', `job ${describeJob(job)} failed in a worker thread: ${m.message}`, { job: job.id }));
            return;
          }
          results.set(job.id, m.result);
          options.onJob?.(job, m.result, results.size, jobs.length);
          for (const t of threads) if (!busy.has(t)) next(t);
          busy.delete(thread);
          next(thread);
        };
        busy.add(thread);
        thread.on('message', onMessage);
        thread.postMessage({ job, artifacts: options.artifacts });
      };
      const busy = new Set<Worker>();
      for (const t of threads) {
        t.on('error', (e) => {
          failed = true;
          reject(new PieAuditError('BACKEND_UNAVAILABLE', `a population worker thread failed: ${e.message}`, {}, { cause: e }));
        });
        next(t);
      }
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return results;
}
