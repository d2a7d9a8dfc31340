import { PieAuditError } from '../../errors.js';
import { fromLabels, fromProbabilities, type LoadedPredictions } from './loaded-predictions.js';
import { parseNpy } from '../../data/parse-npy.js';

/**
 * Reads predictions from `.npy` bytes: a 1-D array (or `(n, 1)`) of labels, or a 2-D `(n, nClasses)`
 * array of scores.
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * // np.save('preds.npy', logits.argmax(1).astype(np.uint16))
 * parseNpyPredictions(readFileSync('preds.npy'), 'preds.npy').predictions;
 */
export function parseNpyPredictions(bytes: Uint8Array, what: string): LoadedPredictions {
  const { data, shape } = parseNpy(bytes, what);
  if (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) return fromLabels(data as ArrayLike<number | bigint>, what);
  if (shape.length === 2) {
    const probabilities = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) probabilities[i] = Number(data[i]);
    return fromProbabilities(probabilities, shape[0], shape[1], what);
  }
  throw new PieAuditError(
    'CORRUPT_FILE',
    `${what} holds an array of shape (${shape.join(', ')}); expected (n,) labels or (n, nClasses) scores.`,
    { file: what, shape },
  );
}
