import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compressionStats,
  constantSparsity,
  fineTunePruned,
  polynomialDecay,
  pruneLowMagnitude,
  stripPruning,
} from '../../src/compress/index.js';
import { initBackend } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import { syntheticData, tinyCnn, tinyMlp, weightMap, zerosOf } from './helpers.js';

const data = syntheticData(96, 12, 3, 7);

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('fineTunePruned', () => {
  it('keeps masked weights exactly zero after every optimizer step and updates masks on the schedule', async () => {
    const schedule = polynomialDecay(0.2, 0.8, { beginStep: 0, endStep: 6, frequency: 2 });
    const pruned = await pruneLowMagnitude(tinyMlp(1), { schedule });
    const updates: number[] = [];
    const result = await fineTunePruned(
      pruned,
      { x: data.x, shape: [96, 12], y: data.y },
      {
        epochs: 2,
        batchSize: 16,
        seed: 3,
        learningRate: 0.05,
        onBatchEnd: (info) => {
          if (info.masksUpdated) updates.push(info.step);
          expect(Number.isFinite(info.loss)).toBe(true);
          const values = weightMap(pruned.model);
          for (const [name, mask] of pruned.masks) {
            const w = values.get(name)!;
            mask.forEach((m, i) => {
              if (m === 0) expect(Object.is(w[i], 0)).toBe(true);
            });
          }
        },
      },
    );
    expect(result.steps).toBe(12);
    expect(result.finalStep).toBe(12);
    // the j-th batch runs as step j (tfmot adds one before the mask update): steps 1..12 hit 2, 4, 6
    expect(updates).toEqual([2, 4, 6]);
    expect(result.maskUpdates).toBe(3);
    for (const w of pruned.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      expect(w.targetSparsity).toBeCloseTo(0.8, 6);
      expect(Math.abs(w.maskSparsity * n - 0.8 * n)).toBeLessThanOrEqual(1);
    }
    const stripped = stripPruning(pruned);
    const stats = compressionStats(stripped);
    for (const w of stats.weights.filter((s) => s.prunable)) {
      const mask = pruned.masks.get(w.name)!;
      // trained weights are never exactly zero by accident here, so zeros == masked entries
      expect(w.zeros).toBe(mask.length - mask.reduce((a, b) => a + b, 0));
    }
    stripped.dispose();
  });

  it('ranks the next mask update on the weights as the optimizer left them, before re-masking (as tfmot)', async () => {
    const pruned = await pruneLowMagnitude(tinyMlp(6), { schedule: constantSparsity(0.6, { beginStep: 1, frequency: 2 }) });
    const seen: boolean[] = [];
    await fineTunePruned(
      pruned,
      { x: data.x, shape: [96, 12], y: data.y },
      {
        epochs: 1,
        batchSize: 32,
        seed: 2,
        learningRate: 0.05,
        onBatchEnd: ({ step }) => {
          const pending = pruned.unmaskedValues;
          seen.push(pending !== undefined);
          if (!pending) return;
          const live = weightMap(pruned.model);
          let moved = 0;
          for (const [name, mask] of pruned.masks) {
            const raw = pending.get(name)!;
            mask.forEach((m, i) => {
              if (m === 0) {
                expect(live.get(name)![i]).toBe(0);
                if (raw[i] !== 0) moved++;
              }
            });
          }
          expect(step % 2).toBe(0); // kept after step 2, for the update at step 3
          expect(moved).toBeGreaterThan(0); // the gradient step moved pruned weights; the live model stays masked
        },
      },
    );
    expect(seen).toEqual([false, true, false]);
    pruned.dispose(true);
  });

  it('is bit-for-bit deterministic for a seed, and the seed matters', async () => {
    const run = async (seed: number) => {
      const pruned = await pruneLowMagnitude(tinyMlp(4), { sparsity: 0.5 });
      await fineTunePruned(
        pruned,
        { x: tf.tensor2d(data.x, [96, 12]), y: tf.tensor1d(data.y, 'int32') },
        { epochs: 2, batchSize: 10, seed, learningRate: 0.01 },
      );
      const w = [...weightMap(stripPruning(pruned)).values()];
      pruned.model.dispose();
      return w;
    };
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    a.forEach((values, i) => expect(Buffer.from(values.buffer).equals(Buffer.from(b[i].buffer))).toBe(true));
    expect(a.some((v, i) => !Buffer.from(v.buffer).equals(Buffer.from(c[i].buffer)))).toBe(true);
  });

  it('lowers the training loss', async () => {
    const pruned = await pruneLowMagnitude(tinyMlp(8), { sparsity: 0.3 });
    const r = await fineTunePruned(
      pruned,
      { x: data.x, shape: [96, 12], y: data.y },
      { epochs: 6, batchSize: 16, seed: 1, learningRate: 0.02 },
    );
    expect(r.epochLoss[5]).toBeLessThan(r.epochLoss[0]);
    pruned.dispose(true);
  });

  it('fine-tunes a CNN with batch norm, depthwise and separable convolutions on wasm', async () => {
    const x = new Float32Array(8 * 6 * 6 * 2).map((_, i) => Math.sin(i * 0.37));
    const y = Int32Array.from({ length: 8 }, (_, i) => i % 3);
    const pruned = await pruneLowMagnitude(tinyCnn(2), { sparsity: 0.7 });
    const before = weightMap(pruned.model);
    await fineTunePruned(pruned, { x, shape: [8, 6, 6, 2], y }, { epochs: 1, batchSize: 4, seed: 5, learningRate: 0.01 });
    const after = weightMap(pruned.model);
    for (const [name, mask] of pruned.masks) {
      const w = after.get(name)!;
      expect(zerosOf(w)).toBeGreaterThanOrEqual(mask.length - mask.reduce((a, b) => a + b, 0));
      mask.forEach((m, i) => m === 0 && expect(w[i]).toBe(0));
      // kept weights did train
      expect(w.some((v, i) => mask[i] === 1 && v !== before.get(name)![i])).toBe(true);
    }
    pruned.dispose(true);
  });

  it('rejects mismatched data with clear errors', async () => {
    const pruned = await pruneLowMagnitude(tinyMlp(1), { sparsity: 0.5 });
    const bad = [
      [{ x: data.x, shape: [96, 11], y: data.y }, 'SHAPE_MISMATCH'],
      [{ x: data.x, shape: [96, 12], y: data.y.subarray(1) }, 'LENGTH_MISMATCH'],
      [{ x: data.x, shape: [96, 12], y: Int32Array.from(data.y, (v) => v + 1) }, 'LABEL_OUT_OF_RANGE'],
      [{ x: data.x }, 'INVALID_ARGUMENT'],
    ] as const;
    for (const [d, code] of bad) {
      const e = await fineTunePruned(pruned, d as never, { epochs: 1, batchSize: 8, seed: 1 }).catch((err: unknown) => err);
      expect(isPieAuditError(e, code)).toBe(true);
    }
    const diverging = await fineTunePruned(
      pruned,
      { x: data.x, shape: [96, 12], y: data.y },
      { epochs: 3, batchSize: 8, seed: 1, optimizer: 'sgd', learningRate: 1e30 },
    ).catch((err: unknown) => err);
    expect(isPieAuditError(diverging, 'NON_FINITE')).toBe(true);
    pruned.dispose(true);
  });
});
