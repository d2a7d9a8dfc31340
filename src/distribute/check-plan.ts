import { PieAuditError } from '../errors.js';
import { assertJobId, checkJobShape } from './job-checks.js';
import type { Job, MergeJob } from './jobs.js';
import type { Plan } from './plan.js';
import { trustedJob, trustedSource, type TrustedRecipes } from './trusted-recipes.js';

/**
 * A plan read from a file, checked before anything runs: every job and the merge of a known kind with
 * well-formed content-hash ids, each merge member listed once, every shard naming job ids, and every
 * recipe module matched by content hash to one the runner's operator named (the plan's paths are
 * replaced by the runner's own; a module it was not given is refused, never imported).
 *
 * @throws {PieAuditError} `CONFIG_ERROR` naming the job or field.
 * @example
 * const plan = checkPlan(await readPlan('plan'), trustedRecipes(['./recipe.mjs']));
 */
export function checkPlan(plan: Plan, trusted: TrustedRecipes): Plan {
  const p = plan as unknown as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null || p.version !== 1 || !Array.isArray(p.jobs) || !Array.isArray(p.shards))
    throw new PieAuditError(
      'CONFIG_ERROR',
      "the plan is not a pie-audit plan (version 1, jobs, shards); write it again with 'pie-audit plan'.",
      {},
    );
  const jobs = plan.jobs.map((job, i) => trustedJob(checkJobShape(job, `plan job ${i}`), trusted));
  const merge = trustedJob(checkJobShape(plan.merge, 'plan merge') as MergeJob, trusted);
  if (merge.kind !== 'merge') throw new PieAuditError('CONFIG_ERROR', `plan merge is a ${merge.kind} job, not the merge.`, {});
  for (const [s, ids] of plan.shards.entries()) {
    if (!Array.isArray(ids)) throw new PieAuditError('CONFIG_ERROR', `plan shard ${s} is not a list of job ids.`, {});
    for (const [k, id] of ids.entries()) assertJobId(id, `plan shard ${s} job ${k}`);
  }
  const source = trustedSource(plan.source, trusted, 'plan');
  return { ...plan, source, jobs: jobs as Job[], merge };
}
