import { PieAuditError } from '../errors.js';
import { assertClassCount } from './validate-labels.js';
import { assertProbabilities } from './validate-probabilities.js';

/**
 * The mean class-probability vector of every example over a population of models (row-major, examples x classes):
 * the population's soft answer, input of {@link taxicabDistances}.
 *
 * @param population - one row-major (examples x classes) probability array per model
 * @throws PieAuditError `EMPTY_POPULATION`, `LENGTH_MISMATCH`, `NON_FINITE`, `INVALID_ARGUMENT`
 * @example
 * meanProbabilities([Float32Array.of(1, 0), Float32Array.of(0.5, 0.5)], 2); // Float64Array [0.75, 0.25]
 */
export function meanProbabilities(population: readonly ArrayLike<number>[], nClasses: number): Float64Array {
  assertClassCount(nClasses, 'nClasses');
  if (!Array.isArray(population) || population.length === 0) {
    throw new PieAuditError('EMPTY_POPULATION', 'population must be a non-empty array with one probability array per model.', {
      name: 'population',
    });
  }
  const size = population[0]?.length;
  if (typeof size !== 'number' || size % nClasses !== 0) {
    throw new PieAuditError('LENGTH_MISMATCH', `population[0] has ${String(size)} entries, not a multiple of nClasses (${nClasses}).`, {
      name: 'population[0]',
    });
  }
  const nExamples = size / nClasses;
  const mean = new Float64Array(size);
  population.forEach((probabilities, m) => {
    assertProbabilities(probabilities, nExamples, nClasses, `population[${m}]`);
    for (let j = 0; j < size; j++) mean[j] += probabilities[j];
  });
  for (let j = 0; j < size; j++) mean[j] /= population.length;
  return mean;
}
