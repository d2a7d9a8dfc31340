import { describe, expect, it } from 'vitest';
import * as distribute from '../../src/distribute/entry.js';
import { tinyDemo } from './helpers.js';

describe('pie-audit/distribute public API', () => {
  it('exports planning, shards, merge, local workers and the queue submitter; a plan from it is the one the CLI writes', async () => {
    for (const name of [
      'planFromConfig',
      'planFromRecipe',
      'shardJobs',
      'writePlan',
      'readPlan',
      'runShard',
      'mergePlan',
      'runPlanOnQueue',
      'buildPopulationLocally',
      'runJobsOnLocalWorkers',
      'loadRecipe',
      'recipeKey',
      'distributeModule',
      'demoRecipe',
      'shardIndex',
      'describeJob',
    ])
      expect(typeof (distribute as Record<string, unknown>)[name], name).toBe('function');
    const plan = await distribute.planFromRecipe({ module: distribute.distributeModule('demo-recipe'), params: tinyDemo() }, 'auto', 2);
    expect(plan.shards.flat().sort()).toEqual(plan.jobs.map((j) => j.id).sort());
    expect(() => distribute.shardJobs(plan.jobs, 0)).toThrow(distribute.PieAuditError);
  });
});
