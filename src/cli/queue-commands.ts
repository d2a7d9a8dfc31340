import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditResult } from '../report/audit-result.js';
import { PieAuditError } from '../errors.js';
import { distributeModule } from '../distribute/module-paths.js';
import type { Plan } from '../distribute/plan.js';
import { runPlanOnQueue } from '../distribute/queue/run-on-queue.js';
import { startQueueWorker } from '../distribute/queue/start-worker.js';
import { parseRedisUrl, redisAddress } from '../distribute/queue/redis-url.js';
import { trustedRecipes } from '../distribute/trusted-recipes.js';
import { WORKER_ENV } from './queue-processor.js';
import { terminalLine } from './terminal-text.js';
import { decimalInteger } from './decimal-integer.js';
import type { Progress } from './progress.js';
import type { CliIO } from './cli-io.js';

/** Help of `pie-audit worker`. */
export const WORKER_HELP = `Usage: pie-audit worker --queue redis[s]://[user:password@]host:port --artifacts <dir> [--recipe <module>]...
                        [--concurrency <k>] [--lock-duration <ms>] [--quiet]

Processes pie-audit jobs (train, fineTune, evaluate, merge) from the BullMQ queue on that Redis, k at a
time, each in a sandboxed child process with its own tfjs backend. Run one per machine, as many
machines as you have; submit with 'pie-audit audit <config.json> --queue <url>' or
'pie-audit demo --queue <url>'. --artifacts: where this machine mounts the shared artifact folder
(required: a job never chooses where the worker writes). --recipe: a population recipe module this
worker may run (repeatable; the bundled demo recipe is always allowed); a job naming any other module
(matched by the sha256 of its bytes) is refused, never imported. --lock-duration: how long a job's lock
lasts (default 30000 ms); a worker that dies mid-job has its job retried elsewhere once the lock lapses.
Anyone who can write to the queue can submit jobs: protect Redis (requirepass or ACLs, TLS with
rediss://, a private network). Stops on SIGINT/SIGTERM.
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
        recipe: { type: 'string', multiple: true },
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
  if (!values.artifacts)
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      "worker needs --artifacts <dir>, the shared artifact folder as this machine mounts it. See 'pie-audit worker --help'.",
    );
  const concurrency = decimalInteger(values.concurrency ?? '1', '--concurrency', 1, 256);
  const lock = decimalInteger(values['lock-duration'] ?? '30000', '--lock-duration', 1000, 24 * 3600 * 1000);
  // Checked here (a missing module fails at start, not per job), then read by the sandboxed processors.
  const recipes = (values.recipe ?? []).map((m) => resolve(m));
  const trusted = trustedRecipes(recipes);
  process.env[WORKER_ENV.artifacts] = resolve(values.artifacts);
  process.env[WORKER_ENV.recipes] = JSON.stringify(recipes);
  // Job names come from the queue (data): escaped before they reach the terminal.
  const say = values.quiet ? () => {} : (line: string) => io.stderr.write(`pie-audit worker: ${terminalLine(line)}\n`);
  const worker = await startQueueWorker({
    url: values.queue,
    concurrency,
    lockDurationMs: lock,
    processorFile: distributeModule('queue-processor', 'cli'),
    onEvent: say,
  });
  say(`ready on ${redisAddress(parseRedisUrl(values.queue))} (concurrency ${concurrency}, ${trusted.size} recipe module(s) allowed)`);
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
  progress.log(`pie-audit: ${plan.jobs.length + 1} jobs to ${redisAddress(parseRedisUrl(url))} (artifacts in ${artifacts})`);
  const result = await runPlanOnQueue(plan, {
    url,
    artifacts: resolve(artifacts),
    onProgress: (done, total) => progress.update('queued jobs', done, total),
    onNotice: (line) => progress.log(line),
  });
  progress.done();
  return result;
}
