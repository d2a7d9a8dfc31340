/**
 * Fisher-Yates shuffle of `0..n-1` driven by `random` (e.g. {@link mulberry32}).
 *
 * @example
 * seededPermutation(5, mulberry32(1)); // e.g. Uint32Array [3, 0, 4, 1, 2], same for the same seed
 */
export function seededPermutation(n: number, random: () => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
