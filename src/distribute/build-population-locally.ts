import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromFile } from '../engine/load-layers-model-from-file.js';
import type { Population } from '../population/population.js';
import { levelKey } from '../schema/level-key.js';
import { artifactStore } from './artifacts.js';
import type { FineTuneJob } from './jobs.js';
import { planFromRecipe } from './plan.js';
import type { RecipeRef } from './recipe.js';
import type { FineTuneFacts } from './run-job.js';
import { runJobsOnLocalWorkers } from './local-pool.js';

/**
 * Builds a recipe's population on `workers` local workers, worker threads by default or forked processes (the same
 * train and fineTune jobs as a sharded
 * or queued run) and loads the models into this thread: the same population as `buildPopulation` with the
 * recipe's functions, model for model. The models pass through a temporary folder, removed afterwards.
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
  const jobs = plan.jobs.filter((j) => j.kind === 'train' || j.kind === 'fineTune');
  const dir = await mkdtemp(join(tmpdir(), 'pie-audit-population-'));
  const levels: Record<string, tf.LayersModel[]> = {};
  try {
    const results = await runJobsOnLocalWorkers(jobs, {
      threads: workers,
      kind,
      artifacts: dir,
      onJob: (job, _r, done, total) => onProgress?.(job.kind === 'train' ? 'train' : 'fineTune', done, total),
    });
    const tuned = jobs.filter((j): j is FineTuneJob => j.kind === 'fineTune');
    const sparsityLevels = [...new Set(tuned.map((j) => j.level))].sort((a, b) => a - b);
    const seeds = [...new Set(tuned.map((j) => j.seed))];
    const measuredSparsity: Record<string, number[]> = {};
    const modelNames: Record<string, string[]> = {};
    const store = artifactStore(dir);
    for (const level of sparsityLevels) {
      const key = levelKey(level);
      levels[key] = [];
      measuredSparsity[key] = [];
      modelNames[key] = seeds.map((s) => `seed-${s}`);
      for (const seed of seeds) {
        const job = tuned.find((j) => j.level === level && j.seed === seed)!;
        levels[key].push(await loadLayersModelFromFile(store.modelDir(job.id)));
        measuredSparsity[key].push((results.get(job.id) as FineTuneFacts).sparsity);
      }
    }
    const levelKeys = sparsityLevels.map((l) => levelKey(l));
    const variants = Object.fromEntries(sparsityLevels.map((l) => [levelKey(l), { kind: 'magnitude' as const, sparsity: l }]));
    const design = { kind: 'paired' as const, regime: 'fineTune' as const, pairIds: modelNames };
    return { levels, sparsityLevels, levelKeys, variants, design, seeds, modelNames, measuredSparsity };
  } catch (e) {
    for (const models of Object.values(levels)) for (const m of models) m.dispose();
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
