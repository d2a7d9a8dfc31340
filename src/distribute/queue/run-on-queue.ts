import { FlowProducer, Queue, QueueEvents, type FlowJob, type Job as BullJob } from 'bullmq';
import type { AuditResult } from '../../report/audit-result.js';
import { PieAuditError } from '../../errors.js';
import { describeJob, type EvaluateJob, type Job } from '../jobs.js';
import type { Plan } from '../plan.js';
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, QUEUE_NAME, type QueuedJobData } from './queue-names.js';
import { assertRedisReachable, parseRedisUrl, redisAddress, type RedisTarget } from './redis-url.js';

/** Options of {@link runPlanOnQueue}. */
export interface QueueRunOptions {
  /** `redis://host:port[/db]`. */
  readonly url: string;
  /** The artifact folder every worker can read and write (models travel through it). */
  readonly artifacts: string;
  /** One event per finished job of this plan (the submitter's single progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
  /** How long Redis may stay unreachable mid-run before the run fails (default 5 s). */
  readonly lostConnectionMs?: number;
  /** One line when the run resubmits jobs Redis lost (a restart without persistence). */
  readonly onNotice?: (line: string) => void;
}

/** Resubmissions after Redis lost the queued jobs before the run gives up. */
const MAX_RESUBMITS = 3;
/** How often the submitter checks that the jobs it waits for still exist. */
const LOST_JOBS_CHECK_MS = 1000;
const LOST_JOBS: unique symbol = Symbol('lost jobs');

const jobOptions = (id: string) => ({
  jobId: id,
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: JOB_BACKOFF_MS } as const,
});

/**
 * Runs a plan on a BullMQ queue and returns the merged report with its full PIE table (an {@link AuditResult}): the train jobs first (every fineTune of a
 * seed needs its baseline, which a flow's tree cannot share), then one flow with the merge as the parent of
 * the evaluate jobs, each the parent of its fineTune job. Job ids are the plan's content hashes, so work
 * already done (by an earlier run) is not queued again; each job has 3 attempts with exponential backoff.
 *
 * @example
 * const { report, pies } = await runPlanOnQueue(plan, { url: 'redis://127.0.0.1:6379', artifacts: '/shared/pie' });
 * @throws PieAuditError BACKEND_UNAVAILABLE when Redis cannot be reached (or is lost mid-run); IO_ERROR naming a job that failed 3 times.
 */
export async function runPlanOnQueue(plan: Plan, options: QueueRunOptions): Promise<AuditResult> {
  const target = parseRedisUrl(options.url);
  await assertRedisReachable(target);
  const connection = { ...target, maxRetriesPerRequest: null };
  const queue = new Queue<QueuedJobData>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const flows = new FlowProducer({ connection });
  const ours = new Set([...plan.jobs.map((j) => j.id), plan.merge.id]);
  const finished = new Set<string>();
  const total = ours.size;
  const tick = (id: string) => {
    if (!ours.has(id) || finished.has(id)) return;
    finished.add(id);
    options.onProgress?.(finished.size, total);
  };
  events.on('completed', ({ jobId }) => tick(jobId));
  const lost = watchConnection([events, queue, flows], target, options.lostConnectionMs ?? 5_000);
  const where = redisAddress(target);
  try {
    await events.waitUntilReady();
    const submit = () => submitAndWait(plan, options.artifacts, { queue, events, flows, tick });
    const work = (async () => {
      for (let round = 1; ; round++) {
        const report = await submit().catch((e: unknown) => (isMissingJob(e) ? LOST_JOBS : Promise.reject(e)));
        if (report !== LOST_JOBS) return report;
        if (round > MAX_RESUBMITS)
          throw new PieAuditError(
            'BACKEND_UNAVAILABLE',
            `Redis at ${where} lost the queued jobs ${round} times (restarted without persistence, or flushed); no report was written. Keep Redis up (or enable its persistence) and run the same command again: finished jobs are not redone.`,
            { queue: where },
          );
        options.onNotice?.(
          `pie-audit: Redis at ${where} lost the queued jobs (restarted without persistence, or flushed); resubmitting them: finished jobs are kept in the artifacts and not redone.`,
        );
      }
    })();
    return await Promise.race([work, lost.promise]);
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw await explainFailure(e, plan, queue);
  } finally {
    lost.stop();
    // Best effort: with Redis gone, closing would wait for a reconnect that never comes.
    const closing = Promise.allSettled([events.close(), flows.close(), queue.close()]);
    await Promise.race([closing, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

interface QueueClients {
  readonly queue: Queue<QueuedJobData>;
  readonly events: QueueEvents;
  readonly flows: FlowProducer;
  readonly tick: (id: string) => void;
}

/**
 * Submits the plan (ids already queued are not added twice) and waits for the report, or for
 * {@link LOST_JOBS} when a job it waits for disappears from Redis: a restart without persistence (or a
 * FLUSHALL) drops every job, and no event would ever say so.
 */
async function submitAndWait(plan: Plan, artifacts: string, c: QueueClients): Promise<AuditResult | typeof LOST_JOBS> {
  const trains = plan.jobs.filter((j) => j.kind === 'train');
  const added = await c.queue.addBulk(
    trains.map((job) => ({ name: describeJob(job), data: { job, artifacts }, opts: jobOptions(job.id) })),
  );
  const trained = await untilLost(
    Promise.all(added.map((j) => finishedOrFailed(j, c.events, c.tick))),
    c.queue,
    added.map((j) => j.id!),
  );
  if (trained === LOST_JOBS) return LOST_JOBS;
  const flow = await c.flows.add(mergeFlow(plan, artifacts));
  await Promise.all(flowJobs(flow).map(async (j) => (await j.isCompleted()) && c.tick(j.id!)));
  return untilLost(finishedOrFailed(flow.job, c.events, c.tick) as Promise<AuditResult>, c.queue, [flow.job.id!]);
}

/**
 * BullMQ's error when a job's key vanished while it was being waited for: the same loss {@link untilLost} detects
 * (a restart without persistence), seen first by BullMQ's own check.
 */
function isMissingJob(e: unknown): boolean {
  return e instanceof Error && /^Missing key for job /.test(e.message);
}

/** `waiting`, or {@link LOST_JOBS} as soon as one of `ids` no longer exists in the queue (checked every second). */
async function untilLost<T>(waiting: Promise<T>, queue: Queue, ids: readonly string[]): Promise<T | typeof LOST_JOBS> {
  let stopped = false;
  const watch = (async (): Promise<typeof LOST_JOBS> => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, LOST_JOBS_CHECK_MS).unref());
      if (stopped) break;
      // While Redis is down these calls wait for the reconnect (the connection watcher bounds that wait).
      const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
      if (!stopped && jobs.some((j) => j === undefined || j === null)) return LOST_JOBS;
    }
    return undefined as never;
  })();
  try {
    return await Promise.race([waiting, watch]);
  } finally {
    stopped = true;
  }
}

/** The flow: merge <- evaluate <- fineTune (config plans: merge <- evaluate). */
function mergeFlow(plan: Plan, artifacts: string): FlowJob {
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  const node = (job: Job, children: FlowJob[]): FlowJob => ({
    name: describeJob(job),
    queueName: QUEUE_NAME,
    data: { job, artifacts } satisfies QueuedJobData,
    opts: { ...jobOptions(job.id), failParentOnFailure: true },
    ...(children.length > 0 ? { children } : {}),
  });
  const evaluate = (e: EvaluateJob): FlowJob => {
    const model = 'job' in e.model ? byId.get(e.model.job) : undefined;
    return node(e, model ? [node(model, [])] : []);
  };
  const children = plan.merge.needs.map((id) => evaluate(byId.get(id) as EvaluateJob));
  return { ...node(plan.merge, children), opts: jobOptions(plan.merge.id) };
}

function flowJobs(tree: { job: BullJob; children?: Array<{ job: BullJob; children?: unknown[] }> }): BullJob[] {
  return [tree.job, ...(tree.children ?? []).flatMap((c) => flowJobs(c as typeof tree))];
}

/** Waits for a job; one that failed before (an earlier run) is retried first. */
async function finishedOrFailed(job: BullJob, events: QueueEvents, tick: (id: string) => void): Promise<unknown> {
  if ((await job.getState()) === 'failed') await job.retry('failed');
  const value = await job.waitUntilFinished(events);
  tick(job.id!);
  return value;
}

/** The job that failed for good, named with its error, instead of BullMQ's generic parent failure. */
async function explainFailure(e: unknown, plan: Plan, queue: Queue): Promise<PieAuditError> {
  for (const job of [...plan.jobs, plan.merge]) {
    const queued = await queue.getJob(job.id).catch(() => undefined);
    if (
      queued &&
      (await queued.getState().catch(() => '')) === 'failed' &&
      queued.failedReason &&
      !/^child .* failed$/.test(queued.failedReason)
    ) {
      return new PieAuditError(
        'IO_ERROR',
        `job ${describeJob(job)} failed after ${queued.attemptsMade} attempts: ${queued.failedReason.split('\n')[0]}`,
        { job: job.id },
      );
    }
  }
  return new PieAuditError('IO_ERROR', `the queued audit failed: ${(e as Error).message?.split('\n')[0] ?? String(e)}`, {});
}

/** Rejects when Redis stays unreachable for `ms` after a connection error: never a hang, never a partial report. */
function watchConnection(
  clients: ReadonlyArray<QueueEvents | Queue | FlowProducer>,
  target: RedisTarget,
  ms: number,
): { promise: Promise<never>; stop: () => void } {
  const where = redisAddress(target);
  let timer: NodeJS.Timeout | undefined;
  let reject: (e: Error) => void = () => {};
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => undefined);
  const onError = (e: Error) => {
    timer ??= setTimeout(() => {
      assertRedisReachable(target, 2000).then(
        () => (timer = undefined),
        () =>
          reject(
            new PieAuditError(
              'BACKEND_UNAVAILABLE',
              `lost the connection to Redis at ${where} (${(e as NodeJS.ErrnoException).code ?? e.message}); no report was written. Restart Redis and run the same command again: finished jobs are not redone.`,
              { queue: where },
            ),
          ),
      );
    }, ms);
  };
  // Every client gets the listener: an ioredis client without one prints each reconnect failure.
  for (const c of clients) (c as QueueEvents).on('error', onError);
  return { promise, stop: () => clearTimeout(timer) };
}
