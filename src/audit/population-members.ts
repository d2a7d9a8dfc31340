import type { Population } from '../population/population.js';
import { memberId as plannedMemberId } from '../population/member-id.js';
import type { PopulationMember } from './audit-options.js';

/**
 * The members of a built or loaded {@link Population} for {@link auditCompression}: each model with an id that
 * carries the population's design, and its measured sparsity. A paired population (regime `fineTune`) gives each
 * model its pair id (`seed-3`, the same at every level), so the noise floor pairs compressed model i with baseline
 * model i; an independent one (`fromScratch`) gives ids qualified by level (`seed-3@0.9`), so nothing is paired;
 * a population of unknown design keeps its model names.
 *
 * @example
 * const population = await buildPopulation({ ... });
 * const report = await auditCompression({ population: populationMembers(population), testSet });
 */
export function populationMembers(population: Population): Record<string, PopulationMember[]> {
  const members: Record<string, PopulationMember[]> = Object.create(null);
  for (const [key, models] of Object.entries(population.levels)) {
    members[key] = models.map((model, i) => {
      const id = memberId(population, key, i);
      const sparsity = population.measuredSparsity[key]?.[i];
      const variant = population.variants?.[key];
      const stored = variant?.kind === 'quantized' ? variant.storedBytes[i] : undefined;
      return {
        model,
        ...(id === undefined ? {} : { id }),
        ...(sparsity === undefined ? {} : { sparsity }),
        ...(stored === undefined ? {} : { storedWeightBytes: stored }),
      };
    });
  }
  return members;
}

function memberId(population: Population, key: string, i: number): string | undefined {
  const name = population.modelNames[key]?.[i];
  const design = population.design;
  if (design?.kind !== 'paired' && design?.kind !== 'independent') return name;
  // The id a population plan gives the member (planPopulation, planFromRecipe): one function names both.
  // The regime from the design's kind, not its `regime` field, which a manifest read from disk may lack.
  const named = design.kind === 'paired' ? (design.pairIds[key]?.[i] ?? name) : name;
  return named === undefined ? undefined : plannedMemberId(design.kind === 'paired' ? 'fineTune' : 'fromScratch', named, key);
}
