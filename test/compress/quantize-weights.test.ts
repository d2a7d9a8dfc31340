import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  pruneLowMagnitude,
  quantizeWeights,
  roundToFloat16,
  stripPruning,
} from '../../src/compress/index.js';
import { initBackend } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import { tinyCnn, tinyMlp, weightMap } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('float16 rounding', () => {
  it('maps every finite half to itself and rounds every midpoint to the even neighbour (exhaustive)', () => {
    const failures: string[] = [];
    for (let bits = 0; bits < 0x7c00; bits++) {
      for (const sign of [0, 0x8000]) {
        const h = bits | sign;
        const v = float16BitsToFloat32(h);
        if (float32ToFloat16Bits(v) !== h) failures.push(`self ${h}`);
        const next = float16BitsToFloat32((bits + 1) | sign);
        if (!Number.isFinite(next)) continue;
        const mid = (v + next) / 2; // exactly representable in float32
        const even = bits % 2 === 0 ? h : (bits + 1) | sign;
        if (float32ToFloat16Bits(mid) !== even) failures.push(`mid ${h}`);
        if (float32ToFloat16Bits(Math.fround(mid + (next - v) / 8)) !== ((bits + 1) | sign)) failures.push(`above ${h}`);
        if (float32ToFloat16Bits(Math.fround(mid - (next - v) / 8)) !== h) failures.push(`below ${h}`);
      }
    }
    expect(failures).toEqual([]);
  });
  it('overflows to Infinity past 65504 and keeps NaN', () => {
    expect(roundToFloat16(65504)).toBe(65504);
    expect(roundToFloat16(65519)).toBe(65504);
    expect(roundToFloat16(65520)).toBe(Infinity);
    expect(Number.isNaN(roundToFloat16(Number.NaN))).toBe(true);
    expect(roundToFloat16(2 ** -25)).toBe(0);
    expect(roundToFloat16(2 ** -24)).toBe(2 ** -24);
  });
});

describe('quantizeWeights', () => {
  it('float16: every weight is its nearest half; a new model, the original untouched', async () => {
    const model = tinyCnn(1);
    const before = weightMap(model);
    const q = await quantizeWeights(model, 'float16');
    expect(q.model).not.toBe(model);
    const after = weightMap(q.model);
    let maxErr = 0;
    for (const [name, v] of before) {
      const w = after.get(name)!;
      v.forEach((x, i) => {
        expect(w[i]).toBe(roundToFloat16(x));
        maxErr = Math.max(maxErr, Math.abs(w[i] - x));
      });
    }
    expect(q.maxAbsError).toBe(maxErr);
    expect(q.quantizedBytes).toBe(q.originalBytes / 2);
    for (const [name, v] of weightMap(model)) expect(Array.from(v)).toEqual(Array.from(before.get(name)!));
    q.model.dispose();
  });

  it('int8: symmetric per output channel for kernels, biases and batch norm kept float, zeros kept', async () => {
    const model = stripPruning(await pruneLowMagnitude(tinyCnn(2), { sparsity: 0.5 }));
    const before = weightMap(model);
    const q = await quantizeWeights(model, 'int8');
    const after = weightMap(q.model);
    for (const report of q.weights) {
      const v = before.get(report.name)!;
      const w = after.get(report.name)!;
      if (!report.quantized) {
        expect(Array.from(w)).toEqual(Array.from(v));
        expect(report.name).not.toMatch(/kernel$/);
        continue;
      }
      expect(report.name).toMatch(/kernel$/);
      const shape = report.shape;
      const isDepthwise = report.name.endsWith('depthwise_kernel');
      const channels = isDepthwise ? shape[shape.length - 1] * shape[shape.length - 2] : shape[shape.length - 1];
      expect(report.channels).toBe(channels);
      for (let c = 0; c < channels; c++) {
        let max = 0;
        for (let i = c; i < v.length; i += channels) max = Math.max(max, Math.abs(v[i]));
        const scale = Math.fround(max / 127);
        for (let i = c; i < v.length; i += channels) {
          if (v[i] === 0) expect(w[i]).toBe(0);
          expect(Math.abs(w[i] - v[i])).toBeLessThanOrEqual(scale / 2 + 1e-7);
          const level = w[i] / scale;
          if (scale > 0) expect(Math.abs(level - Math.round(level))).toBeLessThan(1e-3);
          expect(Math.abs(level)).toBeLessThanOrEqual(127.001);
        }
      }
    }
    // predictions stay close
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 1);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (q.model.predict(x) as tf.Tensor).dataSync();
    a.forEach((p, i) => expect(Math.abs(p - b[i])).toBeLessThan(0.05));
    q.model.dispose();
  });

  it('throws NON_FINITE for NaN weights and float16 overflow, naming the layer', async () => {
    const model = tinyMlp(1);
    const [k, b] = model.layers[1].getWeights();
    model.layers[1].setWeights([tf.fill(k.shape, 70000), b]);
    const e1 = await quantizeWeights(model, 'float16').catch((e: unknown) => e);
    expect(isPieAuditError(e1, 'NON_FINITE')).toBe(true);
    expect((e1 as Error).message).toContain(model.layers[1].name);
    const int8 = await quantizeWeights(model, 'int8'); // int8 has no range limit
    expect(int8.weights.find((w) => w.name.startsWith(model.layers[1].name) && w.name.endsWith('kernel'))!.maxAbsError).toBeLessThan(
      70000 / 127 / 2,
    );
    int8.model.dispose();
    model.layers[1].setWeights([tf.fill(k.shape, Number.NaN), b]);
    const e2 = await quantizeWeights(model, 'int8').catch((e: unknown) => e);
    expect(isPieAuditError(e2, 'NON_FINITE')).toBe(true);
  });
});
