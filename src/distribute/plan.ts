import { readFile } from 'node:fs/promises';
import type { AuditOptions } from '../audit/audit-options.js';
import { prepareAudit, type PreparedAudit } from '../audit/prepare-audit.js';
import { PieAuditError } from '../errors.js';
import { hashBytes } from '../evaluate/cache/hash-model.js';
import { hashTestSet } from '../evaluate/cache/hash-test-set.js';
import { hashTfjsModelFile } from '../evaluate/model-file.js';
import { contentJobId, type EvaluateJob, type Job, type MergeJob, type ModelJob, type PlanSource, type TrainJob } from './jobs.js';
import { planPopulation, seedMembers, type PlannedMember, type PopulationPlan } from '../population/population-plan.js';
import { loadRecipe, recipeKey, type RecipeRef } from './recipe.js';
import { recipeModuleSha256 } from './trusted-recipes.js';

/** Every job of an audit, the merge that ends it, and the jobs of each shard. */
export interface Plan {
  readonly version: 1;
  readonly source: PlanSource;
  /** Train, fineTune and evaluate jobs, each after the jobs it needs. */
  readonly jobs: readonly Job[];
  readonly merge: MergeJob;
  /** Job ids per shard; a job's dependencies are always in its own shard. */
  readonly shards: readonly (readonly string[])[];
}

/**
 * Splits jobs into `count` shards: jobs that depend on each other (a seed's train, fineTune and evaluate
 * jobs) form one group and stay together; groups go, heaviest first, to the least loaded shard
 * (train jobs count as the cost of a whole level's fine-tuning times the number of levels, so seeds spread out).
 *
 * @example
 * shardJobs(plan.jobs, 2); // [[ids of shard 0], [ids of shard 1]]
 * @throws PieAuditError INVALID_ARGUMENT when count is not a positive integer.
 */
export function shardJobs(jobs: readonly Job[], count: number): string[][] {
  if (!Number.isInteger(count) || count < 1)
    throw new PieAuditError('INVALID_ARGUMENT', `--shards must be a positive integer; got ${String(count)}.`, { shards: count });
  const groupOf = new Map<string, string>();
  const groups = new Map<string, string[]>();
  for (const job of jobs) {
    const first: string | undefined = job.needs[0];
    const root = first === undefined ? job.id : (groupOf.get(first) ?? job.id);
    groupOf.set(job.id, root);
    groups.set(root, [...(groups.get(root) ?? []), job.id]);
  }
  const shards = Array.from({ length: count }, () => ({ ids: [] as string[], load: 0 }));
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length);
  for (const ids of ordered) {
    const target = shards.reduce((best, s) => (s.load < best.load ? s : best), shards[0]);
    target.ids.push(...ids);
    target.load += ids.length;
  }
  // Keep the plan's job order inside each shard (dependencies first).
  const position = new Map(jobs.map((j, i) => [j.id, i]));
  return shards.map((s) => s.ids.sort((a, b) => position.get(a)! - position.get(b)!));
}

/**
 * The plan of an audit config: one evaluate job per member of the population, ids from the model file's
 * content, the test inputs and the runtime (so an unchanged model is never evaluated twice).
 *
 * @throws PieAuditError `CONFIG_ERROR`
 * @example
 * const plan = await planFromConfig('/abs/audit.json', options, 4);
 */
export async function planFromConfig(config: string, options: AuditOptions, shards: number, examplesPerJob?: number): Promise<Plan> {
  const source: PlanSource = { kind: 'config', config };
  // The audit's own reading of the options: its n, its members and their kinds, so every runner agrees with it.
  const prepared = await prepareAudit(options);
  const testKey = await planTestSetKey(prepared);
  const ranges = testRanges(prepared.n, examplesPerJob);
  const jobs: EvaluateJob[] = [];
  for (const m of prepared.members) {
    const file = m.file;
    if (file === null)
      throw new PieAuditError('CONFIG_ERROR', `population['${m.level}'][${m.index}] is not a file; a plan needs every member as a path.`, {
        key: 'population',
      });
    const content = m.kind === 'tfjs-model' ? await hashTfjsModelFile(file) : hashBytes('file', await readFile(file));
    const parts = [
      content,
      testKey,
      `runtime=${options.runtime ?? 'auto'}`,
      `backend=${options.backend ?? 'auto'}`,
      ...keptProbabilities(options.probabilities),
    ];
    // The id the in-process audit reports (and pairs by) for this member: its own, else its file.
    const memberId = m.id ?? file;
    const member = { kind: 'evaluate', source, level: m.level, index: m.index, model: { file }, memberId, needs: [] } as const;
    // Only a model runs on a range of the inputs; a predictions file is read whole.
    if (ranges.length > 1 && m.needsInputs) {
      for (const range of ranges)
        jobs.push({ ...member, id: contentJobId('evaluate', [...parts, `range=${range[0]}-${range[1]}`]), range });
    } else jobs.push({ ...member, id: contentJobId('evaluate', parts) });
  }
  return finishPlan(source, jobs, jobs, shards);
}

/**
 * The part of every evaluate job's id that names the test set: a hash of the inputs' content (in memory, a `.npy` file
 * or an image folder with its preprocessing), so that a job run on other inputs is never taken for this one.
 */
async function planTestSetKey(prepared: PreparedAudit): Promise<string> {
  const { inputs, batches, inputShape, images } = prepared.config;
  if (inputs !== undefined || batches === undefined) return hashTestSet(inputs, prepared.n, inputShape);
  try {
    return await batches.contentKey();
  } finally {
    // The plan only hashes the images: their decode thread and temporary pixels are not needed here.
    await images?.close();
  }
}

/**
 * The test-set ranges of a member's evaluate jobs: [start, end) of at most `examplesPerJob` examples each,
 * or one range of all `n` when it is not given.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` when examplesPerJob is not a positive integer
 * @example
 * testRanges(250, 100); // [[0, 100], [100, 200], [200, 250]]
 */
export function testRanges(n: number, examplesPerJob?: number): Array<[number, number]> {
  if (examplesPerJob === undefined) return [[0, n]];
  if (!Number.isSafeInteger(examplesPerJob) || examplesPerJob < 1)
    throw new PieAuditError('INVALID_ARGUMENT', `--examples-per-job must be a positive integer; got ${String(examplesPerJob)}.`, {
      examplesPerJob,
    });
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < n; start += examplesPerJob) ranges.push([start, Math.min(n, start + examplesPerJob)]);
  return ranges.length > 0 ? ranges : [[0, n]];
}

/**
 * The plan of a population recipe. In the fineTune regime (default): per seed a train job, and per (seed,
 * level) a fineTune job and an evaluate job; in the fromScratch regime: per (seed, level) a scratch job and
 * an evaluate job. A recipe with `randomControl` adds the `random@<level>` twins alike. Ids come from the
 * recipe's content (module bytes and parameters), the seed and the level; levels, seeds and member ids are
 * those of the recipe's population plan (`planPopulation`), the one `buildPopulation` runs, so every runner
 * audits the same population.
 *
 * @throws PieAuditError `CONFIG_ERROR` when the fromScratch regime has no `fromScratch` training
 * @example
 * const plan = await planFromRecipe({ module: distributeModule('demo-recipe'), params: demoRecipe({ quick: true }) }, 'auto', 2);
 */
export async function planFromRecipe(recipe: RecipeRef, runtime: 'auto' | 'tfjs' | 'onnx', shards: number): Promise<Plan> {
  return (await planRecipe(recipe, runtime, shards)).plan;
}

/** A recipe's plan with the population plan its jobs execute and, parallel to its members, each member's model job. */
export interface RecipePlan {
  readonly plan: Plan;
  readonly population: PopulationPlan;
  readonly modelJobs: readonly ModelJob[];
}

/**
 * {@link planFromRecipe} with the population plan it writes as jobs, for runners that rebuild the population
 * (`buildPopulationLocally`) from the plan's names and design instead of deriving them again.
 *
 * @throws PieAuditError `CONFIG_ERROR` when the fromScratch regime has no `fromScratch` training
 * @example
 * const { population, modelJobs } = await planRecipe(ref, 'auto', 1);
 * population.members[0].id; // 'seed-1'
 */
export async function planRecipe(recipe: RecipeRef, runtime: 'auto' | 'tfjs' | 'onnx', shards: number): Promise<RecipePlan> {
  // The module's hash travels with every job: a runner imports only the module of that hash its operator named.
  const source = { kind: 'recipe', recipe: { ...recipe, sha256: recipeModuleSha256(recipe.module) }, runtime } as const;
  const loaded = await loadRecipe(recipe);
  const regime = loaded.regime ?? 'fineTune';
  if (regime !== 'fineTune' && regime !== 'fromScratch')
    throw new PieAuditError(
      'CONFIG_ERROR',
      `recipe '${recipe.module}': regime must be 'fineTune' or 'fromScratch' (got ${JSON.stringify(regime)}).`,
      {
        module: recipe.module,
      },
    );
  if (regime === 'fromScratch' && !loaded.fromScratch)
    throw new PieAuditError(
      'CONFIG_ERROR',
      `recipe '${recipe.module}' asks for the fromScratch regime but gives no fromScratch training.`,
      {
        module: recipe.module,
      },
    );
  // The checks buildPopulation makes, so a plan never holds one member twice under one id.
  const population = planPopulation(
    { seeds: loaded.seeds, levels: loaded.levels, regime, randomControl: loaded.randomControl === true },
    `recipe '${recipe.module}':`,
  );
  const key = recipeKey(recipe);
  const jobs: Job[] = [];
  const modelJobs = new Map<PlannedMember, ModelJob>();
  const evaluations = new Map<PlannedMember, EvaluateJob>();
  population.seeds.forEach((seed, index) => {
    const train: TrainJob | undefined =
      regime === 'fineTune' ? { kind: 'train', id: contentJobId('train', [key, `seed=${seed}`]), source, seed, needs: [] } : undefined;
    if (train) jobs.push(train);
    for (const member of seedMembers(population, index)) {
      const model = modelJob(member, source, key, train);
      const evaluation: EvaluateJob = {
        kind: 'evaluate',
        id: contentJobId('evaluate', [model.id, `runtime=${runtime}`, ...keptProbabilities(loaded.audit.probabilities)]),
        source,
        level: member.levelKey,
        index: member.index,
        model: { job: model.id },
        memberId: member.id,
        needs: [model.id],
      };
      jobs.push(model, evaluation);
      modelJobs.set(member, model);
      evaluations.set(member, evaluation);
    }
  });
  // The merge lists members as the population plan does: level by level.
  const plan = finishPlan(
    source,
    jobs,
    population.members.map((m) => evaluations.get(m) as EvaluateJob),
    shards,
  );
  return { plan, population, modelJobs: population.members.map((m) => modelJobs.get(m) as ModelJob) };
}

/** The job that makes one planned member: a fineTune job of its seed's train job, or a scratch job. */
function modelJob(
  member: PlannedMember,
  source: Extract<PlanSource, { kind: 'recipe' }>,
  key: string,
  train: TrainJob | undefined,
): ModelJob {
  const { job, seed } = member;
  if (job.kind === 'fineTune' && train) {
    const random = job.level.maskSelection === 'random';
    return {
      kind: 'fineTune',
      // Magnitude levels keep the ids they always had, so earlier artifacts stay valid.
      id: contentJobId('fineTune', [train.id, `level=${job.level.sparsity}`, ...(random ? [`random=${job.maskSeed}`] : [])]),
      source,
      seed,
      level: job.level.sparsity,
      ...(random ? { randomMaskSeed: job.maskSeed } : {}),
      needs: [train.id],
    };
  }
  if (job.kind === 'scratch')
    return {
      kind: 'scratch',
      id: contentJobId('scratch', [key, `seed=${seed}`, `level=${job.level.key}`, `init=${job.initSeed}`]),
      source,
      seed,
      level: job.level.sparsity,
      levelKey: job.level.key,
      initSeed: job.initSeed,
      maskSelection: job.level.maskSelection,
      needs: [],
    };
  // A recipe names no quantized levels, so a plan of one has no other member.
  throw new PieAuditError('CONFIG_ERROR', `member ${member.id} at level '${member.levelKey}' has no job a recipe plan can run.`, {
    level: member.levelKey,
  });
}

/**
 * The id part of an evaluate job that keeps class probabilities, so its result is never taken for one without
 * them (or the reverse); none without, so those ids stay the ones earlier plans gave.
 */
const keptProbabilities = (probabilities: boolean | undefined): string[] => (probabilities === true ? ['probabilities'] : []);

function finishPlan(source: PlanSource, jobs: readonly Job[], evaluations: readonly EvaluateJob[], shards: number): Plan {
  const merge: MergeJob = {
    kind: 'merge',
    id: contentJobId(
      'merge',
      evaluations.map((e) => `${e.level}\0${e.memberId}\0${e.id}`),
    ),
    source,
    needs: evaluations.map((e) => e.id),
    members: mergeMembers(evaluations),
  };
  return { version: 1, source, jobs, merge, shards: shardJobs(jobs, shards) };
}

/** One merge member per population member: the evaluate jobs of one member's test ranges (consecutive in the plan) become its parts. */
function mergeMembers(evaluations: readonly EvaluateJob[]): MergeJob['members'] {
  const members: Array<{ job: string; level: string; memberId: string; parts?: string[] }> = [];
  let last: EvaluateJob | undefined;
  for (const e of evaluations) {
    const previous = members.at(-1);
    if (previous && last && e.range && e.range[0] > 0 && last.level === e.level && last.index === e.index) previous.parts?.push(e.id);
    else members.push({ job: e.id, level: e.level, memberId: e.memberId, ...(e.range ? { parts: [e.id] } : {}) });
    last = e;
  }
  return members;
}
