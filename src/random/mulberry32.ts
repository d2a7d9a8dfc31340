/**
 * A small, fast, seedable PRNG (mulberry32) returning floats in [0, 1).
 * Every random choice in pie-audit draws from one of these, so the same seed repeats exactly.
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
