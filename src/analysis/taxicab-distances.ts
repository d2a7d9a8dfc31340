import { assertClassCount } from './validate-labels.js';
import { assertLength } from './validate-length.js';

/**
 * Per example, the taxicab (L1) distance between the baseline and compressed populations' mean probability
 * vectors, `d_i = sum_c |pbar_k[i][c] - pbar_b[i][c]|` (in [0, 2]): Hooker et al.'s soft measure of how much
 * compression moved an example, ranked by {@link topExemplarsByDistance}.
 *
 * @param baselineMean - row-major (examples x classes) mean probabilities ({@link meanProbabilities})
 * @param compressedMean - the same for the compressed population
 * @throws PieAuditError `LENGTH_MISMATCH`, `INVALID_ARGUMENT`
 * @example
 * taxicabDistances([0.9, 0.1], [0.4, 0.6], 2); // Float64Array [1]
 */
export function taxicabDistances(baselineMean: ArrayLike<number>, compressedMean: ArrayLike<number>, nClasses: number): Float64Array {
  assertClassCount(nClasses, 'nClasses');
  assertLength(compressedMean, baselineMean.length, 'compressedMean', 'baselineMean');
  const n = Math.floor(baselineMean.length / nClasses);
  assertLength(baselineMean, n * nClasses, 'baselineMean', 'a whole number of rows of nClasses');
  const distances = new Float64Array(n);
  for (let i = 0, row = 0; i < n; i++, row += nClasses) {
    let d = 0;
    for (let c = 0; c < nClasses; c++) d += Math.abs(compressedMean[row + c] - baselineMean[row + c]);
    distances[i] = d;
  }
  return distances;
}
