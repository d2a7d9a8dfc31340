import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { PieAuditError } from '../errors.js';
import { describeJob, type Job } from './jobs.js';
import { distributeModule } from './module-paths.js';

/** Options of {@link runJobsOnLocalWorkers}. */
export interface LocalPoolOptions {
  /** How many workers run side by side. */
  readonly threads: number;
  /**
   * 'threads' (default): worker threads; 'processes': forked Node processes. Both give each worker its own
   * tfjs backend; which is faster on a busy 2-core machine varied between runs (docs/benchmarks.md, population section).
   */
  readonly kind?: 'processes' | 'threads';
  readonly artifacts: string;
  readonly onJob?: (job: Job, result: unknown, done: number, total: number) => void;
}

/** One pool member: a worker thread or a child process, seen through the same three calls. */
interface PoolMember {
  // A thread and a process type their listeners differently; the pool checks the payloads.
  // biome-ignore lint/suspicious/noExplicitAny: both listener signatures must be assignable here
  on(event: 'message' | 'error', listener: (value: any) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  off(event: 'message', listener: (value: any) => void): unknown;
  postMessage(message: unknown): void;
  terminate(): Promise<unknown>;
}

function startMember(kind: 'processes' | 'threads'): PoolMember {
  const entry = distributeModule('population-worker');
  if (kind === 'threads') {
    if (entry.endsWith('.ts')) {
      const bootstrap = new URL('../engine/ts-worker-bootstrap.mjs', `file://${entry}`);
      return new Worker(bootstrap, { workerData: { entry: `file://${entry}` } });
    }
    return new Worker(entry);
  }
  // From the sources the child needs tsx's hooks, which a test runner's own process may not carry.
  const hasTsx = process.execArgv.some((a) => a.includes('tsx'));
  const execArgv = entry.endsWith('.ts') && !hasTsx ? [...process.execArgv, '--import', 'tsx'] : process.execArgv;
  const child: ChildProcess = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const events = new EventEmitter();
  child.on('message', (m) => events.emit('message', m));
  child.on('error', (e) => events.emit('error', e));
  child.on(
    'exit',
    (code, signal) => code !== 0 && code !== null && events.emit('error', new Error(`worker process exited with ${signal ?? code}`)),
  );
  return {
    on: (event, listener) => void events.on(event, listener),
    off: (event, listener) => void events.off(event, listener),
    postMessage: (message) => void child.send(message as object),
    terminate: async () => void child.kill(),
  };
}

/**
 * Runs population jobs (train, fineTune) on `threads` local workers (forked processes, or worker threads), each with its own tfjs backend
 * (tfjs-wasm is single-threaded under Node, so this is how one machine trains on several cores). A job
 * starts once the jobs it needs are done; among ready jobs, train jobs go first (they are the longest and
 * unlock a seed's fine-tuning). Results are the jobs' own (artifacts in `artifacts`).
 *
 * @example
 * const results = await runJobsOnLocalWorkers(plan.jobs.filter((j) => j.kind !== 'evaluate'), { threads: 2, artifacts: tmp });
 * @throws PieAuditError naming the first job that failed (the other threads are stopped).
 */
export async function runJobsOnLocalWorkers(jobs: readonly Job[], options: LocalPoolOptions): Promise<Map<string, unknown>> {
  const results = new Map<string, unknown>();
  const pending = [...jobs];
  const threads = Array.from({ length: Math.max(1, Math.min(options.threads, jobs.length)) }, () => startMember(options.kind ?? 'threads'));
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const next = (thread: PoolMember) => {
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
            reject(new PieAuditError('IO_ERROR', `job ${describeJob(job)} failed in a local worker: ${m.message}`, { job: job.id }));
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
      const busy = new Set<PoolMember>();
      for (const t of threads) {
        t.on('error', (e: Error) => {
          failed = true;
          reject(new PieAuditError('BACKEND_UNAVAILABLE', `a local population worker failed: ${e.message}`, {}, { cause: e }));
        });
        next(t);
      }
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return results;
}
