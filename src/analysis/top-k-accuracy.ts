import { PieAuditError } from '../errors.js';
import { assertClassCount, assertLabels } from './validate-labels.js';
import { assertProbabilities } from './validate-probabilities.js';
import { assertMinSamples } from './validate-population.js';

/**
 * Top-k accuracy of one model: the share of examples whose true class is among the k most probable. Ties are
 * broken towards the smaller class index, as a stable descending sort (`np.argsort(-p, kind='stable')`) does:
 * the true class y is in the top k when `#{c : p_c > p_y} + #{c < y : p_c = p_y} < k`.
 *
 * @param labels - true class of each example
 * @param probabilities - row-major (examples x classes) class probabilities of one model
 * @param k - how many top classes count (default 5, capped at nClasses)
 * @throws PieAuditError `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INVALID_ARGUMENT`, `INSUFFICIENT_SAMPLES`
 * @example
 * topKAccuracy([2], Float32Array.of(0.5, 0.3, 0.2), 3, 2); // 0 (class 2 is third)
 */
export function topKAccuracy(labels: ArrayLike<number>, probabilities: ArrayLike<number>, nClasses: number, k = 5): number {
  assertClassCount(nClasses, 'nClasses');
  if (!Number.isInteger(k) || k < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `k must be a positive integer (e.g. 5 for top-5); got ${String(k)}.`, { name: 'k' });
  }
  const n = labels.length;
  assertMinSamples(n, 1, 'labels', 'examples');
  assertLabels(labels, nClasses, 'labels');
  assertProbabilities(probabilities, n, nClasses, 'probabilities');
  return topKHits(labels, probabilities, nClasses, k) / n;
}

/**
 * How many examples have their true class among the k most probable (the count behind {@link topKAccuracy}),
 * for inputs already checked.
 * @internal
 * @example
 * topKHits([2], Float32Array.of(0.5, 0.3, 0.2), 3, 2); // 0
 */
export function topKHits(labels: ArrayLike<number>, probabilities: ArrayLike<number>, nClasses: number, k: number): number {
  const n = labels.length;
  let hits = 0;
  for (let i = 0, row = 0; i < n; i++, row += nClasses) {
    const y = labels[i];
    const py = probabilities[row + y];
    let above = 0;
    for (let c = 0; c < nClasses && above < k; c++) {
      const p = probabilities[row + c];
      if (p > py || (p === py && c < y)) above++;
    }
    if (above < k) hits++;
  }
  return hits;
}
