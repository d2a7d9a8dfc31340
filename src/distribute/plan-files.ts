import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PieAuditError } from '../errors.js';
import { writeFilesAtomic } from '../report/write-atomic.js';
import type { Plan } from './plan.js';

/**
 * Writes a plan folder: `shard-<i>.json` (the job ids of shard i) for every shard, then `plan.json`
 * (every job and the merge) last, so a folder with plan.json is complete.
 *
 * @example
 * await writePlan(plan, 'plan'); // plan/plan.json, plan/shard-0.json, ...
 */
export async function writePlan(plan: Plan, dir: string): Promise<string[]> {
  const files: Record<string, string> = {};
  plan.shards.forEach(
    (ids, i) => (files[`shard-${i}.json`] = `${JSON.stringify({ index: i, of: plan.shards.length, jobs: ids }, null, 2)}\n`),
  );
  files['plan.json'] = `${JSON.stringify(plan, null, 2)}\n`;
  await writeFilesAtomic(resolve(dir), files);
  return Object.keys(files);
}

/**
 * Reads `plan.json` from a plan folder.
 *
 * @example
 * const plan = await readPlan('plan');
 * @throws PieAuditError CONFIG_ERROR when the folder holds no plan or another version.
 */
export async function readPlan(dir: string): Promise<Plan> {
  const path = join(resolve(dir), 'plan.json');
  let plan: Plan;
  try {
    plan = JSON.parse(await readFile(path, 'utf8')) as Plan;
  } catch (cause) {
    throw new PieAuditError(
      'CONFIG_ERROR',
      `'${path}' is missing or not JSON (${(cause as Error).message}); write it with 'pie-audit plan <config.json> --out ${dir}'.`,
      { path },
      { cause },
    );
  }
  if (plan?.version !== 1 || !Array.isArray(plan.jobs) || !Array.isArray(plan.shards)) {
    throw new PieAuditError('CONFIG_ERROR', `'${path}' is not a pie-audit plan (version 1); write it again with 'pie-audit plan'.`, {
      path,
    });
  }
  return plan;
}
