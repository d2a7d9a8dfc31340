import { PieAuditError } from '../errors.js';
import { assertFinite } from './validate-finite.js';
import { assertLength } from './validate-length.js';

/** Result of {@link topExemplarsByDistance}. */
export interface TopExemplars {
  /** Example indices, largest distance first (ties: smaller index first). */
  indices: Int32Array;
  /** Their distances. */
  distances: Float64Array;
  /** How many of them are PIEs. */
  nPIEs: number;
  /** `nPIEs / indices.length` (0 when `topN` is 0). */
  pieShare: number;
}

/**
 * The `topN` examples compression moved most (by a per-example distance such as {@link taxicabDistances}) and the
 * share of PIEs among them: Hooker et al. show the examples with the largest distance are mostly PIEs.
 *
 * @throws PieAuditError `LENGTH_MISMATCH`, `NON_FINITE`, `INVALID_ARGUMENT`
 * @example
 * topExemplarsByDistance([0.1, 1.2, 0.7], [0, 1, 0], 2); // { indices: [1, 2], nPIEs: 1, pieShare: 0.5, … }
 */
export function topExemplarsByDistance(distances: ArrayLike<number>, isPIE: ArrayLike<number | boolean>, topN: number): TopExemplars {
  assertFinite(distances, 'distances');
  assertLength(isPIE, distances.length, 'isPIE', 'distances');
  if (!Number.isInteger(topN) || topN < 0) {
    throw new PieAuditError('INVALID_ARGUMENT', `topN must be a non-negative integer; got ${String(topN)}.`, { name: 'topN' });
  }
  const n = Math.min(topN, distances.length);
  const order = Int32Array.from({ length: distances.length }, (_, i) => i);
  order.sort((a, b) => distances[b] - distances[a] || a - b);
  const indices = order.slice(0, n);
  let nPIEs = 0;
  for (const i of indices) if (isPIE[i] === 1 || isPIE[i] === true) nPIEs++;
  return { indices, distances: Float64Array.from(indices, (i) => distances[i]), nPIEs, pieShare: n === 0 ? 0 : nPIEs / n };
}
