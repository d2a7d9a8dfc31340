import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCacheEntry, encodeCacheEntry, type CacheEntryHeader } from '../../../src/evaluate/cache/cache-entry.js';

const entryArb = fc
  .record({ n: fc.integer({ min: 1, max: 40 }), k: fc.integer({ min: 1, max: 5 }), probs: fc.boolean(), source: fc.string() })
  .chain(({ n, k, probs, source }) =>
    fc.record({
      header: fc.constant<CacheEntryHeader>({
        modelKey: 'a'.repeat(64),
        testSetKey: 'b'.repeat(64),
        n,
        nClasses: k,
        hasProbabilities: probs,
        runtime: 'tfjs',
        source,
        createdAt: '2026-01-01T00:00:00.000Z',
      }),
      predictions: fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: n, maxLength: n }).map((a) => Uint16Array.from(a)),
      probabilities: probs ? fc.float32Array({ minLength: n * k, maxLength: n * k, noNaN: true }) : fc.constant(undefined),
    }),
  );

describe('prediction cache entries', () => {
  it('round-trip predictions and probabilities exactly', () => {
    fc.assert(
      fc.property(entryArb, (entry) => {
        const e = entry.probabilities ? entry : { header: entry.header, predictions: entry.predictions };
        const back = decodeCacheEntry(encodeCacheEntry(e));
        expect(back?.header).toEqual(entry.header);
        expect(back?.predictions).toEqual(entry.predictions);
        expect(back?.probabilities).toEqual(entry.probabilities);
      }),
      { seed: 21, numRuns: 60 },
    );
  });

  it('are rejected when truncated or when any byte changes (checksum)', () => {
    fc.assert(
      fc.property(entryArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (entry, where, xor) => {
        const e = entry.probabilities ? entry : { header: entry.header, predictions: entry.predictions };
        const bytes = encodeCacheEntry(e);
        expect(decodeCacheEntry(bytes.subarray(0, where % bytes.length))).toBeUndefined();
        const flipped = Buffer.from(bytes);
        flipped[where % bytes.length] ^= xor;
        expect(decodeCacheEntry(flipped)).toBeUndefined();
      }),
      { seed: 22, numRuns: 60 },
    );
  });
});
