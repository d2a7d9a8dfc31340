/**
 * Scale-out from code: plans of jobs, shards, the merge, population building on local workers and the
 * BullMQ submitter: `import { planFromRecipe, runPlanOnQueue } from 'pie-audit/distribute'`. Queue workers
 * run as `pie-audit worker --queue <url>` (their sandboxed processor is the CLI's). See docs/scale-out.md.
 * @packageDocumentation
 */
export * from '../errors.js';
export { artifactStore } from './artifacts.js';
export { buildPopulationLocally } from './build-population-locally.js';
export { createRecipe as createDemoRecipe, demoRecipe, type DemoRecipe } from './demo-recipe.js';
export {
  contentJobId,
  describeJob,
  type EvaluateJob,
  type FineTuneJob,
  type Job,
  type MergeJob,
  type ModelJob,
  type PlanSource,
  type ScratchJob,
  type TrainJob,
} from './jobs.js';
export { runJobsOnLocalWorkers, type LocalPoolOptions } from './local-pool.js';
export type { EvaluateResult } from './merge.js';
export { mergePlan } from './merge-plan.js';
export { distributeModule } from './module-paths.js';
export { planFromConfig, planFromRecipe, shardJobs, type Plan } from './plan.js';
export { readPlan, writePlan } from './plan-files.js';
export { runPlanOnQueue, type QueueRunOptions } from './queue/run-on-queue.js';
export { loadRecipe, recipeKey, type PopulationRecipe, type RecipeAudit, type RecipeRef } from './recipe.js';
export { runShard, type RunShardOptions } from './run-shard.js';
export { shardIndex } from './shard-index.js';
