import { mulberry32 } from './mulberry32.js';

/**
 * The data helpers' seeded generator: mulberry32 on the seed mixed with the golden-ratio constant,
 * so small consecutive seeds (1, 2, 3) start far apart.
 *
 * @example
 * const rand = seededRandom(42);
 * rand(); // 0.6011037519201636, every time
 */
export function seededRandom(seed: number): () => number {
  return mulberry32((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
}
