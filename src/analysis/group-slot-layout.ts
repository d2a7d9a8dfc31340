import type { GroupIndex } from './subgroup-error-rates.js';

/**
 * Every attribute's sums in one array, `width` numbers per slot: per attribute, where its values' slots start
 * (`offset`) and its all-examples slot (`allOffset`, right after its values'), the array's length (`size`), and per
 * example and attribute where its value's slot starts (`at[i * attributes + a]`, -1 where the value is missing).
 * One layout lets a bootstrap sum every attribute in a single pass over the examples.
 * @internal
 * @example
 * const layout = groupSlotLayout([groupIndex(['a', 'b', 'a'], 'x')], 3, 2);
 * layout.offset[0]; // 0
 * layout.allOffset[0]; // 4 (two values of 2 numbers each)
 * Array.from(layout.at); // [0, 2, 0]
 */
export function groupSlotLayout(
  indices: readonly GroupIndex[],
  n: number,
  width: number,
): { offset: Int32Array; allOffset: Int32Array; size: number; at: Int32Array } {
  const A = indices.length;
  const offset = new Int32Array(A);
  const allOffset = new Int32Array(A);
  let size = 0;
  indices.forEach((index, a) => {
    offset[a] = size;
    allOffset[a] = size + index.values.length * width;
    size += (index.values.length + 1) * width;
  });
  const at = new Int32Array(n * A);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < A; a++) {
      const g = indices[a].codes[i];
      at[i * A + a] = g < 0 ? -1 : offset[a] + g * width;
    }
  }
  return { offset, allOffset, size, at };
}
