import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromFile } from '../engine/load-layers-model-from-file.js';
import type { Population } from '../population/population.js';
import { artifactStore } from './artifacts.js';
import { populationFromPlan } from '../population/population-from-plan.js';
import { planRecipe } from './plan.js';
import type { RecipeRef } from './recipe.js';
import type { FineTuneFacts } from './run-job.js';
import { runJobsOnLocalWorkers } from './local-pool.js';

/**
 * Builds a recipe's population on `workers` local workers, worker threads by default or forked processes (the
 * same train, fineTune and scratch jobs as a sharded or queued run, in either regime, random controls included)
 * and loads the models into this thread: the same population as `buildPopulation` with the recipe's functions,
 * model for model, with the same levels, names and design. The models pass through a temporary folder,
 * removed afterwards.
 *
 * @example
 * const population = await buildPopulationLocally({ module: distributeModule('demo-recipe'), params }, 2);
 * @throws PieAuditError naming the job that failed.
 */
export async function buildPopulationLocally(
  recipe: RecipeRef,
  workers: number,
  onProgress?: (phase: 'train' | 'fineTune', done: number, total: number) => void,
  kind: 'processes' | 'threads' = 'threads',
): Promise<Population> {
  const { plan, population, modelJobs } = await planRecipe(recipe, 'auto', 1);
  const jobs = plan.jobs.filter((j) => j.kind !== 'evaluate');
  const dir = await mkdtemp(join(tmpdir(), 'pie-audit-population-'));
  const levels: Record<string, tf.LayersModel[]> = Object.create(null);
  try {
    const results = await runJobsOnLocalWorkers(jobs, {
      threads: workers,
      kind,
      artifacts: dir,
      onJob: (job, _r, done, total) => onProgress?.(job.kind === 'fineTune' ? 'fineTune' : 'train', done, total),
    });
    const store = artifactStore(dir);
    const measuredSparsity: Record<string, number[]> = Object.create(null);
    // The population plan's members, level by level (buildPopulation's order), each loaded from its model job's artifact.
    for (const [i, member] of population.members.entries()) {
      const job = modelJobs[i];
      levels[member.levelKey] ??= [];
      measuredSparsity[member.levelKey] ??= [];
      levels[member.levelKey].push(await loadLayersModelFromFile(store.modelDir(job.id)));
      measuredSparsity[member.levelKey].push((results.get(job.id) as FineTuneFacts).sparsity);
    }
    // Names, variants and design from the plan, as buildPopulation gives them.
    return populationFromPlan(population, levels, measuredSparsity);
  } catch (e) {
    for (const models of Object.values(levels)) for (const m of models) m.dispose();
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
