import type { SandboxedJob } from 'bullmq';
import { PieAuditError } from '../errors.js';
import { artifactStore } from '../distribute/artifacts.js';
import { checkJobShape } from '../distribute/job-checks.js';
import type { EvaluateResult } from '../distribute/merge.js';
import type { QueuedJobData } from '../distribute/queue/queue-names.js';
import { closeJobSources, runJob } from '../distribute/run-job.js';
import { trustedJob, trustedRecipes } from '../distribute/trusted-recipes.js';

/** The worker's options as its sandboxed processes read them (a child process inherits the environment). */
export const WORKER_ENV = { artifacts: 'PIE_AUDIT_WORKER_ARTIFACTS', recipes: 'PIE_AUDIT_WORKER_RECIPES' } as const;

/**
 * The sandboxed BullMQ processor of `pie-audit worker`: runs one job in a child process. A queued job is
 * data: its shape and ids are checked, its recipe module must match (by content hash) one the worker was
 * started with (`--recipe`), and its artifacts go to the worker's own `--artifacts` folder, never to a path
 * the message names. The merge reads its children's predictions from Redis (their return values), each
 * checked against the job it belongs to.
 *
 * @throws PieAuditError `CONFIG_ERROR` for a malformed job or a recipe module the worker was not given; the job's own errors.
 * @example
 * new Worker('pie-audit', '/…/queue-processor.js'); // BullMQ imports this file in a child process
 */
export default async function processQueuedJob(job: SandboxedJob<QueuedJobData>): Promise<unknown> {
  const artifacts = process.env[WORKER_ENV.artifacts];
  if (!artifacts)
    throw new PieAuditError('INVALID_ARGUMENT', 'the worker was started without --artifacts; start it with --artifacts <dir>.', {});
  const recipes = JSON.parse(process.env[WORKER_ENV.recipes] || '[]') as string[];
  const work = trustedJob(
    checkJobShape(job.data?.job, `queued job ${JSON.stringify(String(job.id).slice(0, 80))}`),
    trustedRecipes(recipes),
  );
  const store = artifactStore(artifacts);
  let outputs: Map<string, EvaluateResult> | undefined;
  if (work.kind === 'merge') {
    const values = Object.values(await job.getChildrenValues()) as EvaluateResult[];
    outputs = new Map(values.filter((v) => v && typeof v.id === 'string').map((v) => [v.id, v]));
    if (work.needs.some((id) => !outputs!.has(id))) outputs = undefined; // read the rest from the artifacts
  }
  try {
    return await runJob(work, { store }, outputs);
  } finally {
    // A sandboxed process may be reused or killed between jobs: it keeps no decode thread or temporary pixels.
    await closeJobSources();
  }
}
