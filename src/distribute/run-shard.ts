import type { AuditOptions } from '../audit/audit-options.js';
import { PieAuditError, isPieAuditError } from '../errors.js';
import { artifactStore } from './artifacts.js';
import { describeJob, type Job } from './jobs.js';
import { checkPlan } from './check-plan.js';
import type { Plan } from './plan.js';
import { closeJobSources, runJob } from './run-job.js';
import { trustedRecipes } from './trusted-recipes.js';

/** Options of {@link runShard}. */
export interface RunShardOptions {
  readonly artifacts: string;
  /** Reads a config plan's audit config; default `loadAuditConfig` (what `pie-audit audit` reads). */
  readonly loadConfig?: (path: string) => AuditOptions;
  /**
   * The recipe modules this runner may import (besides the bundled demo recipe): a plan naming another
   * module (by content hash) is refused before any job runs.
   */
  readonly recipes?: readonly string[];
  /** Called after each job with whether it ran or was already done. */
  readonly onJob?: (event: { job: Job; done: number; total: number; skipped: boolean }) => void;
}

/**
 * Runs the jobs of one shard in order, writing their artifacts; jobs already done are skipped, so a
 * shard run twice (or resumed after a crash) does only what is missing.
 *
 * @example
 * await runShard(plan, 1, { artifacts: 'plan/artifacts' });
 * @throws PieAuditError naming the job that failed; `CONFIG_ERROR` for a plan naming a recipe module not in `recipes`, or a malformed job id.
 */
export async function runShard(planned: Plan, index: number, options: RunShardOptions): Promise<{ ran: number; skipped: number }> {
  const plan = checkPlan(planned, trustedRecipes(options.recipes));
  const store = artifactStore(options.artifacts);
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  const ids = plan.shards[index];
  if (!ids) throw new PieAuditError('INVALID_ARGUMENT', `the plan has no shard ${index}; it has ${plan.shards.length}.`, { index });
  let ran = 0;
  let skipped = 0;
  try {
    for (const [k, id] of ids.entries()) await runShardJob(k, id);
  } finally {
    // The test set stays open across the shard's jobs (an image folder is decoded once), and is closed after the last.
    await closeJobSources();
  }
  return { ran, skipped };

  async function runShardJob(k: number, id: string): Promise<void> {
    const job = byId.get(id);
    if (!job)
      throw new PieAuditError('CONFIG_ERROR', `shard ${index} names job ${id}, which plan.json does not hold; write the plan again.`, {
        id,
      });
    const done = job.kind === 'train' ? store.hasModel(id) : store.hasResult(id);
    if (!done) {
      try {
        await runJob(job, { store, loadConfig: options.loadConfig });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        throw new PieAuditError(
          isPieAuditError(e) ? e.code : 'IO_ERROR',
          `job ${describeJob(job)} failed: ${message}`,
          { job: id },
          { cause: e },
        );
      }
      ran++;
    } else skipped++;
    options.onJob?.({ job, done: k + 1, total: ids.length, skipped: done });
  }
}
