import { PieAuditError } from '../errors.js';
import { seededRandom } from '../random/seeded-random.js';
import { seededPermutation } from '../random/seeded-permutation.js';

/**
 * Row indices that keep every example except most of one class: a seeded random `keepFraction` of
 * the examples of `classIndex` survive. This makes a long-tail (under-represented) class, the
 * setting in which compression hurts a class most. Indices come back in ascending order.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `EMPTY_CLASS`
 * @example
 * const rows = longTailIndices(train.labels, { classIndex: 8, keepFraction: 0.05, seed: 1 });
 */
export function longTailIndices(
  labels: ArrayLike<number>,
  options: { classIndex: number; keepFraction: number; seed: number },
): Uint32Array {
  const { classIndex, keepFraction, seed } = options;
  if (!(keepFraction >= 0 && keepFraction <= 1))
    throw new PieAuditError('INVALID_ARGUMENT', `keepFraction must be in [0, 1]; got ${keepFraction}.`);
  if (!Number.isInteger(seed)) throw new PieAuditError('INVALID_ARGUMENT', `seed must be an integer; got ${seed}.`);
  const ofClass: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === classIndex) ofClass.push(i);
  if (ofClass.length === 0) throw new PieAuditError('EMPTY_CLASS', `classIndex ${classIndex} has no examples in labels.`);
  const perm = seededPermutation(ofClass.length, seededRandom(seed));
  const keep = new Set<number>();
  const nKeep = Math.round(ofClass.length * keepFraction);
  for (let k = 0; k < nKeep; k++) keep.add(ofClass[perm[k]]);
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== classIndex || keep.has(i)) out.push(i);
  return Uint32Array.from(out);
}

/**
 * Gathers rows of a row-major matrix (and optionally labels) by index.
 *
 * @example
 * const { rows, labels } = takeRows(train.images, 784, idx, train.labels);
 */
export function takeRows(
  matrix: Float32Array,
  rowSize: number,
  indices: ArrayLike<number>,
  labels?: ArrayLike<number>,
): { rows: Float32Array; labels: Uint8Array | null } {
  const rows = new Float32Array(indices.length * rowSize);
  for (let k = 0; k < indices.length; k++) rows.set(matrix.subarray(indices[k] * rowSize, (indices[k] + 1) * rowSize), k * rowSize);
  return { rows, labels: labels ? Uint8Array.from({ length: indices.length }, (_, k) => labels[indices[k]]) : null };
}
