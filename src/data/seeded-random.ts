/**
 * A small, fast, seeded pseudo-random generator (mulberry32) returning floats in [0, 1).
 * Every random choice in the data helpers takes a seed so results repeat exactly.
 *
 * @example
 * const rand = seededRandom(42);
 * rand(); // 0.6011037519201636, every time
 */
export function seededRandom(seed: number): () => number {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher-Yates shuffle of `0..n-1` with a seed.
 *
 * @example
 * seededPermutation(5, 1); // e.g. Uint32Array [3, 0, 4, 1, 2]
 */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const rand = seededRandom(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
