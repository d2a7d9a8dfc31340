import type { PieOverlap } from './types.js';

/**
 * How two PIE sets of one level overlap: the counts of each, of both, of each alone, and the Jaccard index
 * |A ∩ B| / |A ∪ B| (1 when both are empty: two audits that find no PIEs agree).
 *
 * @example
 * pieOverlap(new Set([1, 2, 3]), new Set([2, 3, 4])); // { status: 'ok', both: 2, jaccard: 0.5, ... }
 */
export function pieOverlap(before: ReadonlySet<number>, after: ReadonlySet<number>): PieOverlap {
  let both = 0;
  for (const i of before) if (after.has(i)) both++;
  const union = before.size + after.size - both;
  return {
    status: 'ok',
    before: before.size,
    after: after.size,
    both,
    onlyBefore: before.size - both,
    onlyAfter: after.size - both,
    jaccard: union === 0 ? 1 : both / union,
  };
}
