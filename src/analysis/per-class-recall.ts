import { assertClassCount, assertLabels } from './validate-labels.js';
import { assertLength, assertArrayLike } from './validate-length.js';

/** Result of {@link perClassRecall}. */
export interface PerClassRecall {
  /** `correct[c] / support[c]`; `null` where class c has no examples (never NaN). */
  recall: (number | null)[];
  /** Number of examples whose true label is c. */
  support: number[];
  /** Number of examples of class c predicted as c. */
  correct: number[];
}

/**
 * Recall of every class: the share of examples of class c that the model labels c.
 * A class with no examples gets recall `null`, explicitly "not available", rather than NaN.
 *
 * @param labels - true class index of each example
 * @param predicted - predicted class index of each example (same length)
 * @param nClasses - number of classes; labels must lie in `[0, nClasses)`
 * @throws PieAuditError `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INVALID_ARGUMENT`
 * @example
 * perClassRecall([0, 0, 1, 1], [0, 1, 1, 1], 3);
 * // { recall: [0.5, 1, null], support: [2, 2, 0], correct: [1, 2, 0] }
 */
export function perClassRecall(labels: ArrayLike<number>, predicted: ArrayLike<number>, nClasses: number): PerClassRecall {
  assertClassCount(nClasses, 'nClasses');
  assertArrayLike(labels, 'labels');
  assertLength(predicted, labels.length, 'predicted', 'labels');
  assertLabels(labels, nClasses, 'labels');
  assertLabels(predicted, nClasses, 'predicted');
  const support = new Array<number>(nClasses).fill(0);
  const correct = new Array<number>(nClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    support[c]++;
    if (predicted[i] === c) correct[c]++;
  }
  const recall = support.map((n, c) => (n === 0 ? null : correct[c] / n));
  return { recall, support, correct };
}
