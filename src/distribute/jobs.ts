import { createHash } from 'node:crypto';
import type { RecipeRef } from './recipe.js';

/** Where a job's inputs come from: an audit config file (a population of files) or a population recipe. */
export type PlanSource =
  | { readonly kind: 'config'; readonly config: string }
  | { readonly kind: 'recipe'; readonly recipe: RecipeRef; readonly runtime: 'auto' | 'tfjs' | 'onnx' };

/** Train one baseline of a recipe. Writes the model to `<artifacts>/<id>/`. */
export interface TrainJob {
  readonly kind: 'train';
  readonly id: string;
  readonly source: Extract<PlanSource, { kind: 'recipe' }>;
  readonly seed: number;
  readonly needs: readonly string[];
}

/**
 * Prune a trained baseline to a level and fine-tune it (the fineTune regime). Writes the model and its facts
 * to `<artifacts>/<id>/`.
 */
export interface FineTuneJob {
  readonly kind: 'fineTune';
  readonly id: string;
  readonly source: Extract<PlanSource, { kind: 'recipe' }>;
  readonly seed: number;
  readonly level: number;
  /** A random-pruning control (`random@<level>`): masks drawn from this seed instead of chosen by magnitude. */
  readonly randomMaskSeed?: number;
  /** The train job whose model is pruned. */
  readonly needs: readonly [string];
}

/**
 * Train one (seed, level) model from scratch while pruning it gradually (the fromScratch regime). Writes the
 * model and its facts to `<artifacts>/<id>/`.
 */
export interface ScratchJob {
  readonly kind: 'scratch';
  readonly id: string;
  readonly source: Extract<PlanSource, { kind: 'recipe' }>;
  readonly seed: number;
  readonly level: number;
  /** The level's key in the report ('0.9', or 'random@0.9' for a random control). */
  readonly levelKey: string;
  /** The model's own initialisation seed (also its batch order and, for a random control, its masks). */
  readonly initSeed: number;
  readonly maskSelection: 'magnitude' | 'random';
  readonly needs: readonly [];
}

/** Evaluate one population member on the test set. Writes its predictions to `<artifacts>/<id>.json`. */
export interface EvaluateJob {
  readonly kind: 'evaluate';
  readonly id: string;
  readonly source: PlanSource;
  /** The member's level key and position in it. */
  readonly level: string;
  readonly index: number;
  /** The model: a file given by the config, or the model a fineTune job wrote. */
  readonly model: { readonly file: string } | { readonly job: string };
  /** The member's id in the report (as the in-process audit names it). */
  readonly memberId: string;
  /** Only test examples [start, end) (a config plan with `examplesPerJob`); absent: the whole test set. */
  readonly range?: readonly [number, number];
  readonly needs: readonly string[];
}

/** The merge: an audit over what the evaluate jobs wrote. */
export interface MergeJob {
  readonly kind: 'merge';
  readonly id: string;
  readonly source: PlanSource;
  /** Evaluate job ids in population order (levels in order, members in order). */
  readonly needs: readonly string[];
  /** The evaluate jobs themselves, in the same order (level, index and id of each member). */
  readonly members: ReadonlyArray<{
    readonly job: string;
    readonly level: string;
    readonly memberId: string;
    /** A member evaluated in ranges of the test set: its evaluate jobs in example order (`job` is the first). */
    readonly parts?: readonly string[];
  }>;
}

/** One unit of work. */
export type Job = TrainJob | FineTuneJob | ScratchJob | EvaluateJob | MergeJob;

/** The jobs that write a model (and its facts) for an evaluate job. */
export type ModelJob = FineTuneJob | ScratchJob;

/**
 * A job id derived from its content: the kind and the content keys of everything it depends on (recipe
 * key, seed, level, model file hash, test set hash), so the same work always has the same id and a
 * queue deduplicates it.
 *
 * @example
 * contentJobId('train', [recipeKey(ref), 'seed=1']); // 'train-3f2a…' (kind + 24 hex characters)
 */
export function contentJobId(kind: Job['kind'], parts: readonly string[]): string {
  const hash = createHash('sha256').update(`pie-audit-job\0${kind}\0`);
  for (const p of parts) hash.update(`${p}\0`);
  return `${kind}-${hash.digest('hex').slice(0, 24)}`;
}

/**
 * A short human name of a job, for progress and errors.
 *
 * @example
 * describeJob(job); // 'fineTune seed 2 level 0.9 (fineTune-ab12…)'
 */
export function describeJob(job: Job): string {
  switch (job.kind) {
    case 'train':
      return `train seed ${job.seed} (${job.id})`;
    case 'fineTune':
      return `fineTune seed ${job.seed} level ${job.randomMaskSeed === undefined ? '' : 'random@'}${job.level} (${job.id})`;
    case 'scratch':
      return `scratch seed ${job.seed} level ${job.levelKey} (${job.id})`;
    case 'evaluate':
      return `evaluate ${job.level}#${job.index}${job.range ? ` examples ${job.range[0]}-${job.range[1]}` : ''} (${job.id})`;
    case 'merge':
      return `merge (${job.id})`;
  }
}
