/**
 * A small, fast, seedable PRNG (mulberry32) returning floats in [0, 1).
 *
 * @example
 * const next = mulberry32(42);
 * next(); // same sequence for the same seed
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher-Yates shuffle of 0..n-1 driven by `random`.
 *
 * @example
 * seededPermutation(5, mulberry32(1)); // e.g. Int32Array [3, 0, 4, 1, 2], same for the same seed
 */
export function seededPermutation(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
