import { perClassRecall } from './per-class-recall.js';
import { assertLength, assertArrayLike } from './validate-length.js';
import { assertMinSamples, assertPopulation } from './validate-population.js';
import { assertLabels } from './validate-labels.js';

/** Result of {@link populationRecall}: the inputs {@link classImpactTest} takes for one population. */
export interface PopulationRecall {
  /** `recall[m][c]`: recall of class c for model m (`null` where class c has no examples). */
  recall: (number | null)[][];
  /** `accuracy[m]`: top-1 accuracy of model m. */
  accuracy: number[];
  /** Examples per class (the same for every model). */
  support: number[];
}

/**
 * Per-class recall and top-1 accuracy of every model of a population, model-major, ready for
 * {@link classImpactTest}.
 *
 * @param labels - true class index of each example
 * @param population - one prediction array per model
 * @param nClasses - number of classes
 * @throws PieAuditError `EMPTY_POPULATION`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INSUFFICIENT_SAMPLES` (no examples)
 * @example
 * const b = populationRecall(labels, baselinePredictions, 10);
 * const k = populationRecall(labels, compressedPredictions, 10);
 * classImpactTest({ baselineRecall: b.recall, baselineAccuracy: b.accuracy, compressedRecall: k.recall, compressedAccuracy: k.accuracy });
 */
export function populationRecall(labels: ArrayLike<number>, population: readonly ArrayLike<number>[], nClasses: number): PopulationRecall {
  const n = assertPopulation(population, 'population');
  assertArrayLike(labels, 'labels');
  assertLength(population[0], labels.length, 'population[0]', 'labels');
  assertMinSamples(n, 1, 'labels', 'examples');
  assertLabels(labels, nClasses, 'labels');
  const recall: (number | null)[][] = [];
  const accuracy: number[] = [];
  let support: number[] = [];
  for (let m = 0; m < population.length; m++) {
    // Validate here so an error names the model (`population[m]`), not perClassRecall's `predicted`.
    assertLabels(population[m], nClasses, `population[${m}]`);
    const r = perClassRecall(labels, population[m], nClasses);
    recall.push(r.recall);
    let correct = 0;
    for (const c of r.correct) correct += c;
    accuracy.push(correct / labels.length);
    support = r.support;
  }
  return { recall, accuracy, support };
}
