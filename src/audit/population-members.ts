import type { Population } from '../population/population.js';
import type { PopulationMember } from './audit-options.js';

/**
 * The members of a built or loaded {@link Population} for {@link auditCompression}: each model with its name
 * (`seed-3`, the same at every level, so the noise floor pairs compressed model i with baseline model i) and its
 * measured sparsity.
 *
 * @example
 * const population = await buildPopulation({ ... });
 * const report = await auditCompression({ population: populationMembers(population), testSet });
 */
export function populationMembers(population: Population): Record<string, PopulationMember[]> {
  const members: Record<string, PopulationMember[]> = Object.create(null);
  for (const [key, models] of Object.entries(population.levels)) {
    members[key] = models.map((model, i) => {
      const id = population.modelNames[key]?.[i];
      const sparsity = population.measuredSparsity[key]?.[i];
      return { model, ...(id === undefined ? {} : { id }), ...(sparsity === undefined ? {} : { sparsity }) };
    });
  }
  return members;
}
