import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromFile } from '../engine/load-layers-model-from-file.js';
import type { Population } from '../population/population.js';
import { artifactStore } from './artifacts.js';
import type { EvaluateJob, ModelJob } from './jobs.js';
import type { PopulationDesign, PopulationVariant } from '../population/population-design.js';
import { planFromRecipe } from './plan.js';
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
  const plan = await planFromRecipe(recipe, 'auto', 1);
  const jobs = plan.jobs.filter((j) => j.kind !== 'evaluate');
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  // The merge lists members level by level, in the plan's level order: the order buildPopulation uses.
  const members = plan.merge.needs.map((id) => {
    const evaluation = byId.get(id) as EvaluateJob;
    return { level: evaluation.level, job: byId.get((evaluation.model as { job: string }).job) as ModelJob };
  });
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
    const modelNames: Record<string, string[]> = Object.create(null);
    const variants: Record<string, PopulationVariant> = Object.create(null);
    const initSeeds: Record<string, number[]> = Object.create(null);
    let regime: 'fineTune' | 'fromScratch' = 'fineTune';
    for (const { level, job } of members) {
      levels[level] ??= [];
      measuredSparsity[level] ??= [];
      modelNames[level] ??= [];
      levels[level].push(await loadLayersModelFromFile(store.modelDir(job.id)));
      measuredSparsity[level].push((results.get(job.id) as FineTuneFacts).sparsity);
      modelNames[level].push(`seed-${job.seed}`);
      const random = job.kind === 'scratch' ? job.maskSelection === 'random' : job.randomMaskSeed !== undefined;
      variants[level] = { kind: random ? 'random' : 'magnitude', sparsity: job.level };
      if (job.kind === 'scratch') {
        regime = 'fromScratch';
        initSeeds[level] ??= [];
        initSeeds[level].push(job.initSeed);
      }
    }
    const levelKeys = Object.keys(levels);
    const sparsityLevels = [...new Set(members.map((m) => m.job.level))].sort((a, b) => a - b);
    const seeds = [...new Set(members.map((m) => m.job.seed))];
    const design: PopulationDesign =
      regime === 'fineTune' ? { kind: 'paired', regime, pairIds: modelNames } : { kind: 'independent', regime, initSeeds };
    return { levels, sparsityLevels, levelKeys, variants, design, seeds, modelNames, measuredSparsity };
  } catch (e) {
    for (const models of Object.values(levels)) for (const m of models) m.dispose();
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
