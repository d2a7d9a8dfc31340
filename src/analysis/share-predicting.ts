import { assertLabels } from './validate-labels.js';
import { assertPopulation } from './validate-population.js';

/**
 * Per example, the share of a population's models that predict `positiveClass`: the per-example aggregate behind
 * {@link bootstrapErrorRateIntervals} (over a group's negatives its mean is the population's mean FPR; one minus it,
 * over the positives, the mean FNR).
 *
 * @throws PieAuditError `EMPTY_POPULATION`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`
 * @example
 * sharePredicting([[1, 0], [1, 1]], 1); // Float64Array [1, 0.5]
 */
export function sharePredicting(population: readonly ArrayLike<number>[], positiveClass: number): Float64Array {
  const n = assertPopulation(population, 'population');
  const share = new Float64Array(n);
  for (let m = 0; m < population.length; m++) {
    const predicted = population[m];
    assertLabels(predicted, 0xffffffff, `population[${m}]`);
    for (let i = 0; i < n; i++) if (predicted[i] === positiveClass) share[i]++;
  }
  for (let i = 0; i < n; i++) share[i] /= population.length;
  return share;
}
