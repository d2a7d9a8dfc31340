import { assertLabels } from './validate-labels.js';
import { assertLength } from './validate-length.js';
import { assertPopulation } from './validate-population.js';

/**
 * Per example, the share of a population's models that predict its true label: the per-example aggregate the
 * bootstrap intervals work from (its mean over examples is the population's mean top-1 accuracy, and its mean over
 * a class's examples the class's mean recall), so resampling examples costs nothing per model.
 *
 * @param labels - true class index of each example
 * @param population - one prediction array per model
 * @throws PieAuditError `EMPTY_POPULATION`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`
 * @example
 * shareCorrect([0, 1], [[0, 1], [0, 0]]); // Float64Array [1, 0.5]
 */
export function shareCorrect(labels: ArrayLike<number>, population: readonly ArrayLike<number>[]): Float64Array {
  const n = assertPopulation(population, 'population');
  assertLength(labels, n, 'labels', 'population[0]');
  assertLabels(labels, 0xffffffff, 'labels');
  const correct = new Float64Array(n);
  for (let m = 0; m < population.length; m++) {
    const predicted = population[m];
    assertLabels(predicted, 0xffffffff, `population[${m}]`);
    for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) correct[i]++;
  }
  for (let i = 0; i < n; i++) correct[i] /= population.length;
  return correct;
}
