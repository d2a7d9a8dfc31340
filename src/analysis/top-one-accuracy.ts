import { PieAuditError } from '../errors.js';
import { throwBadLabel } from './validate-labels.js';
import { assertLength, assertArrayLike } from './validate-length.js';

/**
 * Top-1 accuracy: the share of examples whose predicted class equals the true class.
 *
 * @param labels - true class index of each example
 * @param predicted - predicted class index of each example (same length)
 * @throws PieAuditError `LENGTH_MISMATCH`, `INSUFFICIENT_SAMPLES` (no examples), `LABEL_OUT_OF_RANGE` / `NON_FINITE` (a label that is not a non-negative integer)
 * @example
 * topOneAccuracy([0, 1, 2, 2], [0, 1, 1, 2]); // 0.75
 */
export function topOneAccuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  assertArrayLike(labels, 'labels');
  assertLength(predicted, labels.length, 'predicted', 'labels');
  if (labels.length === 0) {
    throw new PieAuditError('INSUFFICIENT_SAMPLES', 'labels is empty; top-1 accuracy needs at least one example.', { name: 'labels' });
  }
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    const p = predicted[i];
    if (y >>> 0 !== y) throwBadLabel(y, i, undefined, 'labels');
    if (p >>> 0 !== p) throwBadLabel(p, i, undefined, 'predicted');
    if (y === p) correct++;
  }
  return correct / labels.length;
}
