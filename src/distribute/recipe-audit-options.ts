import type { AuditOptions } from '../audit/audit-options.js';
import type { Job } from './jobs.js';
import { loadRecipe } from './recipe.js';

/**
 * The audit options of a recipe's population (everything but the population), as every runner uses them.
 * With the recipe's `audit.probabilities`, evaluate jobs also write each member's class probabilities to a
 * file in the artifact folder (n x classes float32: too big for Redis) and the merge reads them back, so a
 * distributed audit has top-5 accuracy and the taxicab ranking as in one process.
 * @example
 * const options = await recipeAuditOptions(plan.source);
 */
export async function recipeAuditOptions(source: Extract<Job['source'], { kind: 'recipe' }>): Promise<AuditOptions> {
  const recipe = await loadRecipe(source.recipe);
  const a = recipe.audit;
  return {
    population: {},
    testSet: a.testSet,
    ...(a.classNames ? { classNames: a.classNames } : {}),
    ...(a.baseline !== undefined ? { baseline: a.baseline } : {}),
    ...(a.maxExemplars !== undefined ? { maxExemplars: a.maxExemplars } : {}),
    ...(a.seed !== undefined ? { seed: a.seed } : {}),
    ...(a.probabilities !== undefined ? { probabilities: a.probabilities } : {}),
    backend: 'auto',
    runtime: source.runtime,
  };
}
