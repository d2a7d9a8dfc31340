import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compressionStats, pruneOneShot } from '../../src/compress/index.js';
import { initBackend } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import { tinyCnn, tinyMlp, weightMap, zerosOf } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('compressionStats', () => {
  it('counts parameters and zeros per weight and in total, matching the weights', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 0.5, 0.9), fc.integer({ min: 0, max: 100 }), async (level, seed) => {
        const model = (await pruneOneShot(tinyCnn(seed), level)).model;
        const stats = compressionStats(model);
        const values = weightMap(model);
        expect(stats.weights.map((w) => w.name)).toEqual([...values.keys()]);
        for (const w of stats.weights) {
          const v = values.get(w.name)!;
          expect(w.parameters).toBe(v.length);
          expect(w.zeros).toBe(zerosOf(v));
          expect(w.sparsity).toBe(w.zeros / w.parameters);
        }
        expect(stats.totalParameters).toBe(model.countParams());
        expect(stats.totalZeros).toBe([...values.values()].reduce((a, v) => a + zerosOf(v), 0));
        expect(stats.prunableParameters).toBe(stats.weights.filter((w) => w.prunable).reduce((a, w) => a + w.parameters, 0));
        expect(stats.rawBytes).toBe(stats.totalParameters * 4);
        const raw = Buffer.concat([...values.values()].map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)));
        expect(stats.gzipBytes).toBe(gzipSync(raw, { level: 6 }).byteLength);
        expect(stats.sparseBitmapBytes).toBe(Math.ceil(stats.totalParameters / 8) + 4 * (stats.totalParameters - stats.totalZeros));
        model.dispose();
      }),
      { seed: 5, numRuns: 6 },
    );
  });

  it('shows pruning shrinking the gzipped weights', async () => {
    const model = tinyMlp(3, 64, 64, 10);
    const dense = compressionStats(model);
    const sparse = compressionStats((await pruneOneShot(model, 0.9)).model);
    expect(sparse.prunableSparsity).toBeCloseTo(0.9, 2);
    expect(sparse.gzipBytes).toBeLessThan(dense.gzipBytes / 2.5);
    expect(sparse.sparseBitmapBytes).toBeLessThan(dense.rawBytes / 4);
  });

  it('throws NON_FINITE naming the layer', () => {
    const model = tinyMlp(1);
    const [k, b] = model.layers[0].getWeights();
    model.layers[0].setWeights([k, tf.fill(b.shape, Number.NaN)]);
    const e = (() => {
      try {
        compressionStats(model);
      } catch (err) {
        return err;
      }
    })();
    expect(isPieAuditError(e, 'NON_FINITE')).toBe(true);
    expect((e as Error).message).toContain(model.layers[0].name);
  });
});
