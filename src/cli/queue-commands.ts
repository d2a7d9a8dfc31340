import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditResult } from '../report/audit-result.js';
import { PieAuditError } from '../errors.js';
import { distributeModule } from '../distribute/module-paths.js';
import type { Plan } from '../distribute/plan.js';
import { runPlanOnQueue } from '../distribute/queue/run-on-queue.js';
import { startQueueWorker } from '../distribute/queue/start-worker.js';
import type { Progress } from './progress.js';
import type { CliIO } from './cli-io.js';

/** Help of `pie-audit worker`. */
export const WORKER_HELP = `Usage: pie-audit worker --queue redis://host:port [--concurrency <k>] [--artifacts <dir>] [--lock-duration <ms>] [--quiet]

Processes pie-audit jobs (train, fineTune, evaluate, merge) from the BullMQ queue on that Redis, k at a
time, each in a sandboxed child process with its own tfjs backend. Run one per machine, as many
machines as you have; submit with 'pie-audit audit <config.json> --queue <url>' or
'pie-audit demo --queue <url>'. --artifacts: where this machine mounts the shared artifact folder
(default: the submitter's path). --lock-duration: how long a job's lock lasts (default 30000 ms);
a worker that dies mid-job has its job retried elsewhere once the lock lapses. Stops on SIGINT/SIGTERM.
`;

/**
 * `pie-audit worker`: runs until SIGINT/SIGTERM (or `signal`).
 * @example
 * await workerCommand(['--queue', 'redis://127.0.0.1:6379'], io);
 * @throws PieAuditError BACKEND_UNAVAILABLE when Redis cannot be reached.
 */
export async function workerCommand(args: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call below
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        queue: { type: 'string' },
        concurrency: { type: 'string' },
        artifacts: { type: 'string' },
        'lock-duration': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        quiet: { type: 'boolean', short: 'q' },
      },
      strict: true,
    });
  } catch (e) {
    throw new PieAuditError('INVALID_ARGUMENT', `${(e as Error).message}. See 'pie-audit worker --help'.`);
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout(WORKER_HELP);
    return 0;
  }
  if (!values.queue) throw new PieAuditError('INVALID_ARGUMENT', "worker needs --queue redis://host:port. See 'pie-audit worker --help'.");
  const concurrency = Number(values.concurrency ?? '1');
  const lock = Number(values['lock-duration'] ?? '30000');
  if (!Number.isInteger(lock) || lock < 1000)
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `--lock-duration must be an integer of at least 1000 ms; got '${String(values['lock-duration'])}'.`,
    );
  // Read by the sandboxed processor (a child process inherits the environment).
  if (values.artifacts) process.env.PIE_AUDIT_ARTIFACTS = resolve(values.artifacts);
  const say = values.quiet ? () => {} : (line: string) => io.stderr.write(`pie-audit worker: ${line}\n`);
  const worker = await startQueueWorker({
    url: values.queue,
    concurrency,
    lockDurationMs: lock,
    processorFile: distributeModule('queue-processor', 'cli'),
    onEvent: say,
  });
  say(`ready on ${values.queue} (concurrency ${concurrency})`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  say('stopping');
  await worker.close();
  return 0;
}

/**
 * Runs a plan on the queue with one progress bar in this process.
 * @example
 * const { report, pies } = await submitToQueue(plan, 'redis://127.0.0.1:6379', 'artifacts', progress);
 */
export async function submitToQueue(plan: Plan, url: string, artifacts: string, progress: Progress): Promise<AuditResult> {
  progress.log(`pie-audit: ${plan.jobs.length + 1} jobs to ${url} (artifacts in ${artifacts})`);
  const result = await runPlanOnQueue(plan, {
    url,
    artifacts: resolve(artifacts),
    onProgress: (done, total) => progress.update('queued jobs', done, total),
    onNotice: (line) => progress.log(line),
  });
  progress.done();
  return result;
}
