import { validateSparsity } from '../compress/pruning-schedule.js';
import { PieAuditError } from '../errors.js';
import { levelKey } from '../schema/level-key.js';

/** The seeds and levels of a population to build, checked and in build order (levels ascending). */
export interface PopulationPlan {
  readonly seeds: readonly number[];
  readonly levels: readonly number[];
}

/**
 * Checks the seeds and sparsity levels of a population once, for every builder: `buildPopulation` in process and
 * `planFromRecipe` for shards, local workers and the queue refuse the same inputs with the same messages. Seeds
 * must be distinct safe integers (each baseline its own seed), levels distinct sparsities in [0, 1) (two levels
 * with one key would be one level built twice). Returns copies, levels sorted.
 *
 * @param where what the values are named in messages: `options` (`options.seeds`) or `recipe 'x.mjs':`.
 * @throws PieAuditError `EMPTY_POPULATION` for no seeds or no levels, `INVALID_SPARSITY` for a level outside [0, 1),
 *   `INVALID_ARGUMENT` for duplicates or non-integer seeds.
 * @example
 * validatePopulationPlan({ seeds: [1, 2], levels: [0.9, 0] }, 'options').levels; // [0, 0.9]
 * validatePopulationPlan({ seeds: [1, 1], levels: [0] }, 'options'); // throws INVALID_ARGUMENT (duplicate seeds)
 */
export function validatePopulationPlan(
  plan: { readonly seeds?: readonly number[]; readonly levels?: readonly number[] },
  where: string,
): PopulationPlan {
  const name = (key: string) => (where.endsWith(':') ? `${where} ${key}` : `${where}.${key}`);
  if (!Array.isArray(plan.levels) || plan.levels.length === 0)
    throw new PieAuditError('EMPTY_POPULATION', `${name('levels')} is empty; pass at least one sparsity level, e.g. [0, 0.9]`);
  const levels = [...plan.levels];
  levels.forEach((l, i) => validateSparsity(l, `${name('levels')}[${i}]`));
  if (new Set(levels.map(levelKey)).size !== levels.length)
    throw new PieAuditError('INVALID_ARGUMENT', `${name('levels')} has duplicates: ${levels.join(', ')}`);
  levels.sort((a, b) => a - b);
  if (!Array.isArray(plan.seeds) || plan.seeds.length === 0)
    throw new PieAuditError('EMPTY_POPULATION', `${name('seeds')} is empty; pass one seed per baseline model, e.g. [1, 2, 3, 4, 5]`);
  const seeds = [...plan.seeds];
  if (seeds.some((s) => !Number.isSafeInteger(s)))
    throw new PieAuditError('INVALID_ARGUMENT', `${name('seeds')} must be integers (got ${seeds.join(', ')})`);
  if (new Set(seeds).size !== seeds.length)
    throw new PieAuditError('INVALID_ARGUMENT', `${name('seeds')} has duplicates (${seeds.join(', ')}): each baseline needs its own seed`);
  return { seeds, levels };
}
