import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { keptCount, pruneOneShot, randomMask } from '../../src/compress/index.js';
import { initBackend } from '../../src/engine/index.js';
import { seededPermutation } from '../../src/random/seeded-permutation.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { tinyCnn, weightMap, zerosOf } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('random-pruning control', () => {
  it('randomMask keeps exactly keptCount entries, and masks at rising sparsity are nested (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 0.98, noNaN: true }),
        fc.double({ min: 0, max: 0.98, noNaN: true }),
        fc.integer(),
        (n, a, b, seed) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const perm = seededPermutation(n, mulberry32(seed));
          const rank = new Uint32Array(n);
          perm.forEach((p, i) => (rank[p] = i));
          const loose = randomMask(rank, lo);
          const tight = randomMask(rank, hi);
          expect(loose.reduce((s, m) => s + m, 0)).toBe(keptCount(n, lo));
          expect(tight.reduce((s, m) => s + m, 0)).toBe(keptCount(n, hi));
          tight.forEach((m, i) => m === 1 && expect(loose[i]).toBe(1));
        },
      ),
      { seed: 9, numRuns: 200 },
    );
  });

  it("maskSelection 'random' prunes the same count per tensor as magnitude pruning, other weights, the same ones for a seed", async () => {
    const model = tinyCnn(4);
    const magnitude = await pruneOneShot(model, 0.7);
    const random = await pruneOneShot(model, 0.7, { maskSelection: 'random', randomSeed: 3 });
    const again = await pruneOneShot(model, 0.7, { maskSelection: 'random', randomSeed: 3 });
    const other = await pruneOneShot(model, 0.7, { maskSelection: 'random', randomSeed: 4 });
    const [m, r, r2, o] = [magnitude, random, again, other].map((p) => weightMap(p.model));
    let differs = 0;
    for (const w of magnitude.weights) {
      expect(zerosOf(r.get(w.name)!)).toBe(zerosOf(m.get(w.name)!));
      expect(Array.from(r2.get(w.name)!)).toEqual(Array.from(r.get(w.name)!));
      if (r.get(w.name)!.some((v, i) => (v === 0) !== (m.get(w.name)![i] === 0))) differs++;
      expect(Array.from(o.get(w.name)!)).not.toEqual(Array.from(r.get(w.name)!));
    }
    expect(differs).toBe(magnitude.weights.length);
    [magnitude, random, again, other].forEach((p) => p.model.dispose());
  });
});
