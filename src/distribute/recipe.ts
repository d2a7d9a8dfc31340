import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import type { AuditTestSet } from '../audit/audit-options.js';
import { PieAuditError } from '../errors.js';
import type { PopulationFineTune, PopulationFromScratch } from '../population/build-population.js';

/** Where a population recipe lives: a module path (absolute) and the JSON parameters it is built from. */
export interface RecipeRef {
  readonly module: string;
  readonly params: unknown;
  /** sha256 (hex) of the module's bytes, as a plan records it; runners import only a module of this hash they were given. */
  readonly sha256?: string;
}

/** What the audit of a recipe's population runs on, and how (the options every runner shares). */
export interface RecipeAudit {
  readonly testSet: AuditTestSet & { inputs: Float32Array; inputShape: readonly number[] };
  readonly classNames?: readonly string[];
  readonly baseline?: number;
  readonly maxExemplars?: number;
  readonly seed?: number;
  /** Keep class probabilities (top-5 accuracy, taxicab ranking). */
  readonly probabilities?: boolean;
}

/**
 * A population recipe: the user's model and training code, which every worker imports. Its module
 * exports `createRecipe(params)` returning this; `params` is plain JSON so jobs can carry it.
 */
export interface PopulationRecipe {
  /** Builds an untrained model; every initializer takes the seed. */
  createModel(seed: number): tf.LayersModel;
  /** Trains a baseline in place. */
  train(model: tf.LayersModel, seed: number): Promise<void>;
  /** The fine-tuning data and budget, the same for every level. */
  readonly fineTune: PopulationFineTune;
  /** Training from scratch (the `fromScratch` regime), when the recipe offers it. */
  readonly fromScratch?: PopulationFromScratch;
  /**
   * 'fineTune' (default): per seed a baseline, pruned and fine-tuned to every level (paired). 'fromScratch':
   * every (seed, level) model trained from its own initialisation while pruned gradually (independent).
   */
  readonly regime?: 'fineTune' | 'fromScratch';
  /** Add a `random@<level>` random-pruning control per level above 0, built alike. */
  readonly randomControl?: boolean;
  readonly seeds: readonly number[];
  readonly levels: readonly number[];
  readonly audit: RecipeAudit;
  /** One line describing the population (for logs). */
  readonly describe?: string;
}

const loaded = new Map<string, Promise<PopulationRecipe>>();

/**
 * Imports a recipe module and builds its recipe (once per module and parameters in this process).
 *
 * @example
 * const recipe = await loadRecipe({ module: '/abs/recipe.js', params: { hidden: [32] } });
 * @throws PieAuditError MODULE_NOT_FOUND when the module cannot be imported, CONFIG_ERROR when it exports no createRecipe.
 */
export function loadRecipe(ref: RecipeRef): Promise<PopulationRecipe> {
  const key = `${ref.module}\0${JSON.stringify(ref.params)}`;
  let recipe = loaded.get(key);
  if (!recipe) {
    recipe = importRecipe(ref);
    loaded.set(key, recipe);
    recipe.catch(() => loaded.delete(key));
  }
  return recipe;
}

async function importRecipe(ref: RecipeRef): Promise<PopulationRecipe> {
  if (!isAbsolute(ref.module))
    throw new PieAuditError('INVALID_ARGUMENT', `recipe module '${ref.module}' must be an absolute path; resolve it first.`, {
      module: ref.module,
    });
  let mod: { createRecipe?: (params: unknown) => PopulationRecipe | Promise<PopulationRecipe> };
  try {
    mod = (await import(pathToFileURL(ref.module).href)) as typeof mod;
  } catch (cause) {
    throw new PieAuditError(
      'MODULE_NOT_FOUND',
      `cannot import recipe module '${ref.module}': ${(cause as Error).message}. Give a path to a module exporting createRecipe(params).`,
      { module: ref.module },
      { cause },
    );
  }
  if (typeof mod.createRecipe !== 'function') {
    throw new PieAuditError(
      'CONFIG_ERROR',
      `recipe module '${ref.module}' does not export createRecipe(params); export a function returning { createModel, train, fineTune, seeds, levels, audit }.`,
      { module: ref.module },
    );
  }
  return mod.createRecipe(ref.params);
}

/**
 * The content key of a recipe: its module's bytes and its parameters, so a changed recipe never reuses
 * another's artifacts.
 *
 * @throws PieAuditError `MODULE_NOT_FOUND`
 * @example
 * recipeKey({ module: resolve('recipe.mjs'), params: {} }); // 64 hex characters
 */
export function recipeKey(ref: RecipeRef): string {
  const path = resolve(ref.module);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new PieAuditError(
      'MODULE_NOT_FOUND',
      `recipe module '${path}' cannot be read: ${(cause as Error).message}.`,
      { module: path },
      { cause },
    );
  }
  return createHash('sha256').update('recipe\0').update(bytes).update('\0').update(JSON.stringify(ref.params)).digest('hex');
}
