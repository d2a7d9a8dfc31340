import type { SandboxedJob } from 'bullmq';
import { artifactStore } from '../distribute/artifacts.js';
import type { EvaluateResult } from '../distribute/merge.js';
import type { QueuedJobData } from '../distribute/queue/queue-names.js';
import { runJob } from '../distribute/run-job.js';

/**
 * The sandboxed BullMQ processor of `pie-audit worker`: runs one job in a child process. The merge reads
 * its children's predictions from Redis (their return values); models come from the artifact folder
 * (the worker's --artifacts, else the submitter's).
 *
 * @example
 * new Worker('pie-audit', '/…/queue-processor.js'); // BullMQ imports this file in a child process
 */
export default async function processQueuedJob(job: SandboxedJob<QueuedJobData>): Promise<unknown> {
  const { job: work, artifacts } = job.data;
  const store = artifactStore(process.env.PIE_AUDIT_ARTIFACTS || artifacts);
  let outputs: Map<string, EvaluateResult> | undefined;
  if (work.kind === 'merge') {
    const values = Object.values(await job.getChildrenValues()) as EvaluateResult[];
    outputs = new Map(values.filter((v) => v && typeof v.id === 'string').map((v) => [v.id, v]));
    if (work.needs.some((id) => !outputs!.has(id))) outputs = undefined; // read the rest from the artifacts
  }
  return runJob(work, { store }, outputs);
}
