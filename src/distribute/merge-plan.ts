import type { AuditOptions } from '../audit/audit-options.js';
import type { AuditResult } from '../report/audit-result.js';
import { PieAuditError } from '../errors.js';
import { artifactStore } from './artifacts.js';
import type { EvaluateResult } from './merge.js';
import { mergeReport } from './merge.js';
import { checkPlan } from './check-plan.js';
import type { Plan } from './plan.js';
import { trustedRecipes } from './trusted-recipes.js';

/**
 * Merges a sharded run: reads every evaluate job's result from the artifact folder and audits them, returning
 * the report and the full PIE table (write both with `writeReports(result, dir)`).
 * Refuses (naming the missing jobs' shards) until every shard has finished: never a partial report. A recipe
 * plan's module must be one of `recipes` (or the bundled demo), matched by content hash.
 *
 * @example
 * const result = await mergePlan(plan, 'plan/artifacts'); // a config plan's config read by loadAuditConfig
 * await writeReports(result, 'reports');
 * @throws PieAuditError IO_ERROR when a job has no result yet; CORRUPT_FILE naming a job whose probabilities file is corrupt.
 */
export async function mergePlan(
  planned: Plan,
  artifacts: string,
  loadConfig?: (path: string) => AuditOptions,
  recipes: readonly string[] = [],
): Promise<AuditResult> {
  const plan = checkPlan(planned, trustedRecipes(recipes));
  const store = artifactStore(artifacts);
  const missing = plan.merge.needs.filter((id) => !store.hasResult(id));
  if (missing.length > 0) {
    const shards = new Set<number>();
    plan.shards.forEach((ids, i) => ids.some((id) => missing.includes(id)) && shards.add(i));
    throw new PieAuditError(
      'IO_ERROR',
      `merge: ${missing.length} of ${plan.merge.needs.length} evaluate results are missing in '${artifacts}'; run shard(s) ${[...shards].join(', ')} first.`,
      { missing },
    );
  }
  const results = new Map<string, EvaluateResult>();
  for (const id of plan.merge.needs) results.set(id, await store.readResult<EvaluateResult>(id));
  return mergeReport(plan.merge, results, loadConfig, store);
}
