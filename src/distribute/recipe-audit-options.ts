import type { AuditOptions } from '../audit/audit-options.js';
import type { Job } from './jobs.js';
import { loadRecipe } from './recipe.js';

/**
 * The audit options of a recipe's population (everything but the population), as every runner uses them.
 * Evaluate jobs keep top-1 labels only (2 bytes per example through Redis or the artifacts folder), so a
 * distributed audit has no class probabilities: top-5 accuracy and the taxicab ranking are left out.
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
    backend: 'auto',
    runtime: source.runtime,
  };
}
