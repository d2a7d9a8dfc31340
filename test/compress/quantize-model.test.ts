import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { int8ActivationParams, QuantizeDequantize, quantizeModel } from '../../src/compress/index.js';
import { initBackend } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import { syntheticData, tinyCnn, tinyMlp } from './helpers.js';

const data = syntheticData(120, 12, 3, 5);
const representativeData = { x: data.x, shape: [120, 12] };

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Whether every value is k * scale for an integer k with |k| <= bound. */
function onGrid(values: Float32Array, scale: number, bound: number): boolean {
  return values.every((v) => {
    const k = v / scale;
    return Math.abs(k - Math.round(k)) < 1e-3 && Math.abs(Math.round(k)) <= bound;
  });
}

describe('int8 activation parameters', () => {
  it('widen the range to hold 0 and map it onto [-128, 127] (TFLite asymmetric int8)', () => {
    expect(int8ActivationParams(0, 6.375)).toEqual({ min: 0, max: 6.375, scale: Math.fround(0.025), zeroPoint: -128 });
    const p = int8ActivationParams(-1, 3);
    expect(p.scale).toBe(Math.fround(4 / 255));
    expect(p.zeroPoint).toBe(Math.round(-128 + 1 / p.scale));
    expect(int8ActivationParams(0.5, 2).min).toBe(0);
    expect(int8ActivationParams(0, 0)).toEqual({ min: 0, max: 0, scale: 1, zeroPoint: 0 });
  });
});

describe("quantizeModel(model, { mode: 'int8-full' })", () => {
  it('puts kernels, biases and every activation on their int8/int32 grids, leaving the input model alone', async () => {
    const model = tinyMlp(3);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const q = await quantizeModel(model, { mode: 'int8-full', representativeData, calibration: 'minmax' });
    expect(q.model.layers.map((l) => l.getClassName())).toEqual([
      'QuantizeDequantize',
      'Dense',
      'QuantizeDequantize',
      'Dense',
      'QuantizeDequantize',
      'Activation',
      'QuantizeDequantize',
    ]);
    expect(q.activations.map((a) => a.after)).toEqual([
      'input',
      model.layers[0].name,
      model.layers[1].name,
      `${model.layers[1].name}_activation`,
    ]);
    expect(q.activations[1].zeroPoint).toBe(-128); // after ReLU: the range starts at 0
    expect(q.activations[3]).toMatchObject({ scale: 1 / 256, zeroPoint: -128 }); // softmax output, as TFLite
    const [inputScale, hiddenScale] = [q.activations[0].scale, q.activations[1].scale];
    for (const [layer, scaleIn] of [
      [q.model.layers[1], inputScale],
      [q.model.layers[3], hiddenScale],
    ] as const) {
      const [kernel, bias] = layer.getWeights().map((w) => w.dataSync() as Float32Array);
      const kernelScale = Math.fround(Math.max(...Array.from(kernel, Math.abs)) / 127);
      expect(onGrid(kernel, kernelScale, 127)).toBe(true); // per tensor for Dense
      expect(onGrid(bias, Math.fround(scaleIn * kernelScale), 2 ** 31)).toBe(true);
    }
    const x = tf.tensor2d(data.x, [120, 12]);
    const y = (q.model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    expect(onGrid(y, 1 / 256, 255)).toBe(true);
    const float = (model.predict(x) as tf.Tensor).dataSync();
    expect(Math.max(...Array.from(y, (v, i) => Math.abs(v - float[i])))).toBeLessThan(0.05);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    // stored bytes: 1 per kernel weight + 4 per kernel scale, 4 per int32 bias, 5 per activation
    expect(q.storedBytes).toBe(12 * 16 + 4 + 16 * 4 + 16 * 3 + 4 + 3 * 4 + 4 * 5);
    expect(q.originalBytes).toBe((12 * 16 + 16 + 16 * 3 + 3) * 4);
    q.model.dispose();
  });

  it('quantizes convolution kernels per output channel; 7-bit weights stay within [-63, 63]', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [6, 6, 2],
          filters: 4,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: tf.initializers.randomNormal({ seed: 1 }),
        }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) }),
      ],
    });
    const x = new Float32Array(40 * 72).map((_, i) => Math.sin(i * 0.3));
    for (const weightBits of [8, 7] as const) {
      const q = await quantizeModel(model, { mode: 'int8-full', representativeData: { x, shape: [40, 6, 6, 2] }, weightBits });
      const kernel = q.model.layers[1].getWeights()[0].dataSync() as Float32Array;
      const bound = weightBits === 8 ? 127 : 63;
      for (let c = 0; c < 4; c++) {
        const channel = kernel.filter((_, i) => i % 4 === c);
        expect(onGrid(channel, Math.fround(Math.max(...Array.from(channel, Math.abs)) / bound), bound)).toBe(true);
      }
      // Flatten moves int8 values: no requantization after it
      expect(q.model.layers.map((l) => l.getClassName())).toEqual([
        'QuantizeDequantize',
        'Conv2D',
        'QuantizeDequantize',
        'Flatten',
        'Dense',
        'QuantizeDequantize',
      ]);
      q.model.dispose();
    }
  });

  it('float16 and int8-dynamic are the named weight-only modes', async () => {
    const model = tinyMlp(2);
    const f16 = await quantizeModel(model, { mode: 'float16' });
    const dyn = await quantizeModel(model, { mode: 'int8-dynamic' });
    expect(f16.storedBytes).toBe(f16.originalBytes / 2);
    expect(dyn.storedBytes).toBe(12 * 16 + 16 * 4 + 16 * 4 + 16 * 3 + 3 * 4 + 3 * 4);
    expect(dyn.model.layers.some((l) => l instanceof QuantizeDequantize)).toBe(false);
    f16.model.dispose();
    dyn.model.dispose();
  });

  it('rejects what it cannot simulate with typed errors naming the argument or layer', async () => {
    const input = tf.input({ shape: [12] });
    const functional = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    const cases: Array<[Promise<unknown>, string, string]> = [
      [quantizeModel(tinyMlp(1), { mode: 'int8-full' }), 'INVALID_ARGUMENT', 'representativeData'],
      [quantizeModel(tinyMlp(1), { mode: 'int4' as never }), 'INVALID_ARGUMENT', 'options.mode'],
      [
        quantizeModel(tinyMlp(1), { mode: 'int8-full', representativeData, calibration: 'entropy' as never }),
        'INVALID_ARGUMENT',
        'calibration',
      ],
      [
        quantizeModel(tinyMlp(1), { mode: 'int8-full', representativeData: { x: data.x, shape: [60, 24] } }),
        'SHAPE_MISMATCH',
        'representativeData',
      ],
      [quantizeModel(functional, { mode: 'int8-full', representativeData }), 'UNSUPPORTED_LAYER', 'Sequential'],
      [
        quantizeModel(tinyCnn(1), { mode: 'int8-full', representativeData: { x: new Float32Array(72), shape: [1, 6, 6, 2] } }),
        'UNSUPPORTED_LAYER',
        'SeparableConv2D',
      ],
    ];
    for (const [promise, code, text] of cases) {
      const e = await promise.catch((err: unknown) => err);
      expect(isPieAuditError(e, code as never)).toBe(true);
      expect((e as Error).message).toContain(text);
    }
  });
});
