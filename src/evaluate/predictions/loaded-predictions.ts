import { argmaxRows } from '../argmax-rows.js';
import { copyLabels } from '../to-label-array.js';

/**
 * Predictions read from a file: top-1 labels for every example, plus the probability rows when the
 * file held scores rather than labels.
 */
export interface LoadedPredictions {
  /** Top-1 label per example (argmax of the rows when the file held probabilities; ties: lowest index). */
  predictions: Uint16Array;
  /** Row-major `n * nClasses` scores, when the file held scores. */
  probabilities?: Float32Array;
  /** Width of the score rows, when the file held scores. */
  nClasses?: number;
  n: number;
}

/** Builds {@link LoadedPredictions} from labels (validated as uint16). @internal */
export function fromLabels(labels: ArrayLike<number | bigint>, what: string): LoadedPredictions {
  const predictions = new Uint16Array(labels.length);
  copyLabels(labels, predictions, 0, what);
  return { predictions, n: labels.length };
}

/** Builds {@link LoadedPredictions} from row-major scores (argmax, non-finite check). @internal */
export function fromProbabilities(probabilities: Float32Array, n: number, nClasses: number, what: string): LoadedPredictions {
  const predictions = new Uint16Array(n);
  argmaxRows(probabilities, n, nClasses, predictions, 0, { what, firstExample: 0 });
  return { predictions, probabilities, nClasses, n };
}
