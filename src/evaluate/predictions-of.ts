import { PieAuditError } from '../errors.js';
import type { PopulationPredictions } from './types.js';

/**
 * Model `m`'s top-1 labels: a view (no copy) of `result.predictions`, length `result.n`.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * const labels = predictionsOf(result, 0); // Uint16Array of length n
 */
export function predictionsOf(result: PopulationPredictions, m: number): Uint16Array {
  const models = result.predictions.length / result.n;
  if (!Number.isInteger(m) || m < 0 || m >= models) {
    throw new PieAuditError('INVALID_ARGUMENT', `model index ${m} is out of range; the result holds ${models} models.`, { m, models });
  }
  return result.predictions.subarray(m * result.n, (m + 1) * result.n);
}

/**
 * Model `m`'s output rows (`n * nClasses`, row-major): a view of `result.probabilities`, or
 * `undefined` when probabilities were not requested.
 *
 * @example
 * const rows = probabilitiesOf(result, 0);
 */
export function probabilitiesOf(result: PopulationPredictions, m: number): Float32Array | undefined {
  if (!result.probabilities) return undefined;
  const width = result.n * result.nClasses;
  predictionsOf(result, m);
  return result.probabilities.subarray(m * width, (m + 1) * width);
}
