import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCnn, buildMlp } from '../../bench/evaluate_nets.js';
import { isPieAuditError } from '../../src/errors.js';
import { createOnnxLayersPredictor, createOnnxSessionPredictor, evaluateManyOnnx } from '../../src/evaluate/onnx/index.js';
import { exportLayersModelToOnnx, onnxSupport } from '../../src/onnx/index.js';
import { tfSamePadding } from '../../src/onnx/tf-same-padding.js';
import { onnx } from '../../src/onnx/onnx-proto.js';
import { TOLERANCE } from './equivalence.js';
import { ortPredict, randomizeWeights, relativeMaxError, seededRandom, tfjsPredict, uniform, useWasmBackend } from './helpers.js';

beforeAll(useWasmBackend);

const sym = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isPieAuditError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return e as Error;
  }
  throw new Error(`expected a PieAuditError ${code}`);
}

describe('createOnnxLayersPredictor', () => {
  it('predicts what tfjs predicts, from NHWC rows anywhere in a buffer, and refuses wrong lengths and use after dispose', async () => {
    for (const [build, batch] of [
      [buildMlp, 40],
      [buildCnn, 6],
    ] as const) {
      const model = build();
      randomizeWeights(model, 3);
      const size = (model.inputs[0].shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
      const buffer = uniform(seededRandom(9), (batch + 2) * size, 0, 1);
      const rows = buffer.subarray(size, (batch + 1) * size); // a view with a byte offset, as evaluation loops pass it
      const result = await createOnnxLayersPredictor(model, { threads: 1 });
      if (!('predictor' in result)) throw new Error(result.fallbackReason);
      const { predictor } = result;
      expect(predictor.runtime).toBe('onnx');
      expect(predictor.fallbackReason).toBeUndefined();
      const scores = await predictor.predict(rows, batch);
      expect(scores).toBeInstanceOf(Float32Array);
      expect(scores.length).toBe(batch * 10);
      expect(relativeMaxError(scores, tfjsPredict(model, rows.slice(), batch))).toBeLessThan(TOLERANCE);
      await expectCode(predictor.predict(rows.subarray(1), batch), 'LENGTH_MISMATCH');
      await expectCode(predictor.predict(rows, 0), 'INVALID_ARGUMENT');
      await predictor.dispose();
      await expectCode(predictor.predict(rows, batch), 'INVALID_ARGUMENT');
      model.dispose();
    }
  });

  it('rejects a thread count that is not a positive integer', async () => {
    const model = buildMlp();
    for (const threads of [0, -1, 1.5, Number.NaN]) await expectCode(createOnnxLayersPredictor(model, { threads }), 'INVALID_ARGUMENT');
    model.dispose();
  });
});

describe('uncovered layers', () => {
  function modelWith(uncovered: (x: tf.SymbolicTensor) => tf.SymbolicTensor, shape: number[]): tf.LayersModel {
    const input = tf.input({ shape });
    return tf.model({ inputs: input, outputs: sym(tf.layers.dense({ units: 3 }), uncovered(input)) });
  }

  const cases: Array<[string, string, () => tf.LayersModel, RegExp]> = [
    [
      'LayerNormalization',
      'no_onnx_norm',
      () => modelWith((x) => sym(tf.layers.layerNormalization({ name: 'no_onnx_norm' }), x), [6]),
      /no ONNX converter/,
    ],
    ['LSTM', 'recurrent', () => modelWith((x) => sym(tf.layers.lstm({ units: 4, name: 'recurrent' }), x), [5, 3]), /no ONNX converter/],
    [
      'Conv2D',
      'nchw_conv',
      () =>
        modelWith(
          (x) => sym(tf.layers.conv2d({ filters: 2, kernelSize: 1, dataFormat: 'channelsFirst', name: 'nchw_conv' }), x),
          [3, 4, 4],
        ),
      /channelsFirst/,
    ],
    [
      'Sequential',
      'inner',
      () => {
        const inner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ inputShape: [4], units: 4 })] });
        return modelWith((x) => sym(inner as unknown as tf.layers.Layer, x), [4]);
      },
      /nested models/,
    ],
  ];

  for (const [className, layerName, build, reason] of cases) {
    it(`${className} is listed by onnxSupport, refused by the exporter, and named in the predictor's fallbackReason`, async () => {
      const model = build();
      const support = onnxSupport(model);
      expect(support.supported).toBe(false);
      expect(support.unsupported).toHaveLength(1);
      expect(support.unsupported[0]).toMatchObject({ layer: layerName, className });
      expect(support.unsupported[0].reason).toMatch(reason);
      const error = await expectCode(() => exportLayersModelToOnnx(model), 'UNSUPPORTED_LAYER');
      expect(error.message).toContain(layerName);
      const result = await createOnnxLayersPredictor(model);
      expect('fallbackReason' in result && result.fallbackReason).toMatch(new RegExp(`'${layerName}' \\(${className}\\)`));
      model.dispose();
    });
  }

  it('a covered model reports supported with nothing listed', () => {
    const model = buildCnn();
    expect(onnxSupport(model)).toEqual({ supported: true, unsupported: [] });
    model.dispose();
  });

  it('a model with two inputs falls back with a reason, though it exports', async () => {
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [3] });
    const model = tf.model({ inputs: [a, b], outputs: sym(tf.layers.dense({ units: 2 }), sym(tf.layers.add(), [a, b])) });
    expect(exportLayersModelToOnnx(model).length).toBeGreaterThan(0);
    const result = await createOnnxLayersPredictor(model);
    expect('fallbackReason' in result && result.fallbackReason).toMatch(/2 inputs/);
    model.dispose();
  });
});

describe('exported model file', () => {
  it('declares the requested opset and matching IR version, and every opset from 13 to 21 runs the same', async () => {
    const model = buildMlp();
    randomizeWeights(model, 5);
    const x = uniform(seededRandom(1), 4 * 784, 0, 1);
    const expected = tfjsPredict(model, x, 4);
    for (const [opset, ir] of [
      [13, 7],
      [17, 8],
      [19, 9],
      [21, 10],
    ]) {
      const bytes = exportLayersModelToOnnx(model, { opset });
      const decoded = onnx.ModelProto.decode(bytes);
      expect(Number(decoded.opsetImport![0].version)).toBe(opset);
      expect(Number(decoded.irVersion)).toBe(ir);
      expect(decoded.graph!.input![0].name).toBe(model.inputNames[0]);
      expect(relativeMaxError(await ortPredict(bytes, [4, 784], x), expected)).toBeLessThan(TOLERANCE);
    }
    for (const opset of [12, 22, 13.5]) await expectCode(() => exportLayersModelToOnnx(model, { opset }), 'INVALID_ARGUMENT');
    model.dispose();
  });

  it('createOnnxSessionPredictor refuses bytes that are not an ONNX model', async () => {
    await expectCode(createOnnxSessionPredictor(new Uint8Array([1, 2, 3, 4, 5])), 'CORRUPT_MODEL');
  });
});

describe('tfSamePadding', () => {
  it("gives TF's output size ceil(n / s), splits the padding with the extra element at the end", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (n, k, s, d) => {
          const { before, after } = tfSamePadding(n, k, s, d);
          const effective = (k - 1) * d + 1;
          expect(after - before === 0 || after - before === 1).toBe(true);
          expect(before).toBeGreaterThanOrEqual(0);
          if (n + before + after >= effective) expect(Math.floor((n + before + after - effective) / s) + 1).toBe(Math.ceil(n / s));
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('evaluateManyOnnx', () => {
  it('scores every model of a population in worker threads as tfjs does, and falls back per model', async () => {
    const population = [1, 2, 3].map((seed) => {
      const model = buildCnn();
      randomizeWeights(model, seed);
      return model;
    });
    const input = tf.input({ shape: [28, 28, 1] });
    const uncovered = tf.model({
      inputs: input,
      outputs: sym(tf.layers.dense({ units: 10 }), sym(tf.layers.layerNormalization({ name: 'ln' }), sym(tf.layers.flatten(), input))),
    });
    const n = 5;
    const x = uniform(seededRandom(4), n * 784, 0, 1);
    const results = await evaluateManyOnnx([...population, uncovered], x, n, { workers: 2, batchSize: 2 });
    expect(results).toHaveLength(4);
    population.forEach((model, i) => {
      const r = results[i];
      if (!('scores' in r)) throw new Error(r.fallbackReason);
      expect(r.runtime).toBe('onnx');
      expect(relativeMaxError(r.scores, tfjsPredict(model, x, n))).toBeLessThan(TOLERANCE);
    });
    expect('fallbackReason' in results[3] && results[3].fallbackReason).toMatch(/'ln' \(LayerNormalization\)/);
    await expectCode(evaluateManyOnnx(population, x.subarray(1), n), 'LENGTH_MISMATCH');
    await expectCode(evaluateManyOnnx(population, x, n, { workers: 0 }), 'INVALID_ARGUMENT');
    for (const m of [...population, uncovered]) m.dispose();
  });
});
