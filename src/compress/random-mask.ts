import { keptCount } from './magnitude-mask.js';
import { validateSparsity } from './pruning-schedule.js';

/**
 * The random-pruning control's mask: keeps the `keptCount(n, sparsity)` entries with the lowest
 * `rank` (a seeded permutation's inverse, fixed for the tensor), prunes the rest. Because the ranking
 * is fixed, masks at rising sparsity are nested: a weight pruned once stays pruned (the authors'
 * `random_cumulative` baseline), and the count matches magnitude pruning's exactly.
 *
 * @example
 * randomMask(Uint32Array.from([3, 0, 2, 1]), 0.5); // Uint8Array [0, 1, 0, 1]
 * @throws PieAuditError INVALID_SPARSITY for a sparsity outside [0, 1)
 */
export function randomMask(rank: Uint32Array, sparsity: number): Uint8Array {
  validateSparsity(sparsity, 'sparsity');
  const n = rank.length;
  const mask = new Uint8Array(n);
  if (n === 0) return mask;
  const k = keptCount(n, sparsity);
  for (let i = 0; i < n; i++) mask[i] = rank[i] < k ? 1 : 0;
  return mask;
}
