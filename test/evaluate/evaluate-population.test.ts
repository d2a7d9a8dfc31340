import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveLayersModel } from '../../src/engine/index.js';
import { isPieAuditError, type PieAuditError } from '../../src/errors.js';
import { evaluatePopulation } from '../../src/evaluate/evaluate-population.js';
import { predictionsOf, probabilitiesOf } from '../../src/evaluate/predictions-of.js';
import type { EvaluationProgress } from '../../src/evaluate/types.js';
import { argmaxReference, digitsCnn, digitsMlp, loadDigits, useWasm } from './helpers.js';

const digits = loadDigits(300);
const testSet = { inputs: digits.inputs, inputShape: digits.inputShape, n: digits.n, labels: digits.labels };
const dir = mkdtempSync(join(tmpdir(), 'pie-eval-'));
let cnn: tf.LayersModel;
let mlp: tf.LayersModel;

/** Reference scores straight from tfjs, on the whole test set at once. */
function referenceScores(model: tf.LayersModel): Float32Array {
  return tf
    .tidy(() => (model.predictOnBatch(tf.tensor(digits.inputs, [digits.n, 8, 8, 1])) as tf.Tensor).dataSync() as Float32Array)
    .slice();
}

const failsWith =
  (code: string, ...fragments: string[]) =>
  (e: unknown) =>
    isPieAuditError(e) && e.code === code && fragments.every((f) => (e as PieAuditError).message.includes(f));

beforeAll(async () => {
  await useWasm();
  cnn = digitsCnn(1);
  mlp = digitsMlp(2, [8, 8, 1]);
});
afterAll(() => {
  cnn.dispose();
  mlp.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('evaluatePopulation with tfjs models', () => {
  it('gives the argmax of the model outputs whatever the batch size, and leaks no tensors', async () => {
    const expected = [argmaxReference(referenceScores(cnn), digits.n, 10), argmaxReference(referenceScores(mlp), digits.n, 10)];
    const before = tf.memory().numTensors;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 320 }), async (batchSize) => {
        const r = await evaluatePopulation([cnn, mlp], testSet, { batchSize, runtime: 'tfjs' });
        expect(r.n).toBe(digits.n);
        expect(r.nClasses).toBe(10);
        expect(r.predictions).toBeInstanceOf(Uint16Array);
        expect(Array.from(predictionsOf(r, 0))).toEqual(expected[0]);
        expect(Array.from(predictionsOf(r, 1))).toEqual(expected[1]);
        expect(r.perModel.map((p) => [p.runtime, p.backend])).toEqual([
          ['tfjs', 'wasm'],
          ['tfjs', 'wasm'],
        ]);
        expect(tf.memory().numTensors).toBe(before);
      }),
      { seed: 5, numRuns: 6 },
    );
  });

  it('returns the model output rows only when asked, model-major', async () => {
    const without = await evaluatePopulation([cnn], testSet, { runtime: 'tfjs' });
    expect(without.probabilities).toBeUndefined();
    const r = await evaluatePopulation([mlp, cnn], testSet, { runtime: 'tfjs', returnProbabilities: true, batchSize: 64 });
    expect(r.probabilities!.length).toBe(2 * digits.n * 10);
    const ref = referenceScores(cnn);
    const got = probabilitiesOf(r, 1)!;
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 5);
  });

  it('runtime auto runs a covered LayersModel on onnxruntime with the same top-1 as tfjs', async () => {
    const viaTfjs = await evaluatePopulation([cnn, mlp], testSet, { runtime: 'tfjs' });
    const auto = await evaluatePopulation([cnn, mlp], testSet, { runtime: 'auto', threads: 1 });
    // onnxruntime-node is a dev dependency, and the exporter covers Conv2D, MaxPooling2D, Flatten and Dense.
    expect(auto.perModel.map((p) => [p.runtime, p.fallbackReason])).toEqual([
      ['onnx', undefined],
      ['onnx', undefined],
    ]);
    expect(Array.from(auto.predictions)).toEqual(Array.from(viaTfjs.predictions));
  });

  it('runtime auto falls back to tfjs and records why when a layer has no ONNX converter; runtime onnx refuses', async () => {
    const rnn = tf.sequential({
      layers: [
        tf.layers.reshape({ inputShape: [8, 8, 1], targetShape: [8, 8] }),
        tf.layers.simpleRNN({
          units: 6,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          recurrentInitializer: tf.initializers.glorotUniform({ seed: 4 }),
        }),
        tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
      ],
    });
    try {
      const r = await evaluatePopulation([rnn], testSet, { runtime: 'auto' });
      expect(r.perModel[0].runtime).toBe('tfjs');
      expect(r.perModel[0].fallbackReason).toMatch(/SimpleRNN/);
      await expect(evaluatePopulation([rnn], testSet, { runtime: 'onnx' })).rejects.toSatisfy(failsWith('UNSUPPORTED_LAYER', 'SimpleRNN'));
    } finally {
      rnn.dispose();
    }
  });

  it('throws SHAPE_MISMATCH naming the model and both shapes', async () => {
    const flat = digitsMlp(9, [64]);
    try {
      await expect(evaluatePopulation([cnn, flat], testSet, { runtime: 'tfjs' })).rejects.toSatisfy(
        failsWith('SHAPE_MISMATCH', 'models[1]', '[64]', '[8, 8, 1]'),
      );
      // Without testSet.inputShape each model reads the rows in its own declared shape.
      const r = await evaluatePopulation([cnn, flat], { inputs: digits.inputs, n: digits.n }, { runtime: 'tfjs' });
      expect(r.perModel).toHaveLength(2);
    } finally {
      flat.dispose();
    }
  });

  it('evaluates saved models from their model.json path like the in-memory model, and names a corrupt file', async () => {
    const modelDir = join(dir, 'cnn');
    await saveLayersModel(cnn, modelDir);
    const before = tf.memory().numTensors;
    const r = await evaluatePopulation([cnn, join(modelDir, 'model.json'), modelDir], testSet, { runtime: 'tfjs' });
    expect(Array.from(predictionsOf(r, 1))).toEqual(Array.from(predictionsOf(r, 0)));
    expect(Array.from(predictionsOf(r, 2))).toEqual(Array.from(predictionsOf(r, 0)));
    expect(r.perModel[1].source).toBe(join(modelDir, 'model.json'));
    expect(tf.memory().numTensors).toBe(before);
    const broken = join(dir, 'broken');
    await saveLayersModel(cnn, broken);
    writeFileSync(join(broken, 'model.json'), '{"modelTopology": {');
    await expect(evaluatePopulation([broken], testSet)).rejects.toSatisfy(failsWith('CORRUPT_MODEL', join(broken, 'model.json')));
    // A JSON file of predictions passed as a bare path is not mistaken for a model, and the message says what to do.
    const preds = join(dir, 'preds-not-model.json');
    writeFileSync(preds, JSON.stringify({ predictions: [1, 2, 3] }));
    await expect(evaluatePopulation([preds], testSet)).rejects.toSatisfy(failsWith('CORRUPT_MODEL', preds, 'predictionsFile'));
  });

  it('reports progress after every batch of every model', async () => {
    const events: EvaluationProgress[] = [];
    await evaluatePopulation([cnn, { predictions: digits.labels }], testSet, {
      runtime: 'tfjs',
      batchSize: 128,
      onProgress: (e) => events.push({ ...e }),
    });
    expect(events.filter((e) => e.model === 0).map((e) => [e.batch, e.batches, e.examplesDone])).toEqual([
      [1, 3, 128],
      [2, 3, 256],
      [3, 3, 300],
    ]);
    expect(events.filter((e) => e.model === 1).at(-1)).toMatchObject({ models: 2, examplesDone: 300 });
  });

  it('stops between batches when the signal aborts', async () => {
    const controller = new AbortController();
    const run = evaluatePopulation([cnn], testSet, {
      runtime: 'tfjs',
      batchSize: 10,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.batch === 2) controller.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow('stop here');
  });
});

describe('evaluatePopulation with functions and precomputed predictions', () => {
  const k = 4;
  const n = 50;
  const inputs = Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i));
  const scoresOf = (x: Float32Array, rows: number) => {
    const out = new Float32Array(rows * k);
    for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) out[r * k + c] = x[r * 3 + (c % 3)] * (c + 1);
    return out;
  };

  it('mixes predict functions, label arrays, probability arrays and files in one model-major result', async () => {
    const fnScores = scoresOf(inputs, n);
    const fnLabels = argmaxReference(fnScores, n, k);
    const labels = Array.from({ length: n }, (_, i) => i % k);
    const file = join(dir, 'preds.json');
    writeFileSync(file, JSON.stringify(labels.map((l) => (l + 1) % k)));
    const r = await evaluatePopulation(
      [
        { predict: async (x: Float32Array, rows: number) => scoresOf(x, rows), name: 'fn' },
        { predictions: labels },
        { probabilities: fnScores, nClasses: k },
        { predictionsFile: file },
      ],
      { inputs, n, labels },
      { batchSize: 7 },
    );
    expect(Array.from(predictionsOf(r, 0))).toEqual(fnLabels);
    expect(Array.from(predictionsOf(r, 1))).toEqual(labels);
    expect(Array.from(predictionsOf(r, 2))).toEqual(fnLabels);
    expect(Array.from(predictionsOf(r, 3))).toEqual(labels.map((l) => (l + 1) % k));
    expect(r.perModel.map((p) => p.runtime)).toEqual(['function', 'precomputed', 'precomputed', 'precomputed']);
    expect(r.nClasses).toBe(k);
  });

  it('needs no inputs when every source is precomputed', async () => {
    const r = await evaluatePopulation([{ predictions: [1, 2, 0] }, { predictions: new Uint8Array([2, 2, 2]) }], { n: 3 });
    expect(Array.from(r.predictions)).toEqual([1, 2, 0, 2, 2, 2]);
    expect(r.nClasses).toBe(3);
  });

  it('throws NON_FINITE naming the model and the example when an output is NaN or infinite', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: n - 1 }), fc.constantFrom(Number.NaN, Infinity, -Infinity), async (bad, value) => {
        const predict = async (x: Float32Array, rows: number) => {
          const s = scoresOf(x, rows);
          const start = Math.round(x[0] === inputs[0] ? 0 : inputs.indexOf(x[0]) / 3);
          if (bad >= start && bad < start + rows) s[(bad - start) * k + 1] = value;
          return s;
        };
        await expect(
          evaluatePopulation([{ predictions: new Array(n).fill(0) }, { predict, name: 'nanny' }], { inputs, n }, { batchSize: 16 }),
        ).rejects.toSatisfy(failsWith('NON_FINITE', 'models[1]', 'nanny', `example ${bad}`));
      }),
      { seed: 8, numRuns: 10 },
    );
  });

  it('throws LENGTH_MISMATCH when precomputed predictions do not cover the test set', async () => {
    await expect(evaluatePopulation([{ predictions: [0, 1] }], { n: 3 })).rejects.toSatisfy(failsWith('LENGTH_MISMATCH', 'models[0]'));
    const file = join(dir, 'short.csv');
    writeFileSync(file, '0\n1\n');
    await expect(evaluatePopulation([file], { n: 3 })).rejects.toSatisfy(failsWith('LENGTH_MISMATCH', file));
    await expect(evaluatePopulation([{ probabilities: new Float32Array(5), nClasses: 2 }], { n: 3 })).rejects.toSatisfy(
      failsWith('LENGTH_MISMATCH'),
    );
  });

  it('rejects labels that do not fit in uint16', async () => {
    await expect(evaluatePopulation([{ predictions: [0, 70000, 1] }], { n: 3 })).rejects.toSatisfy(
      failsWith('LABEL_OUT_OF_RANGE', 'models[0]', '70000'),
    );
    await expect(evaluatePopulation([{ predictions: [0, 1, 1] }], { n: 3, labels: [0, 65536, 1] })).rejects.toSatisfy(
      failsWith('LABEL_OUT_OF_RANGE', 'testSet.labels'),
    );
  });

  it('throws SHAPE_MISMATCH when models score different numbers of classes', async () => {
    await expect(
      evaluatePopulation(
        [
          { probabilities: new Float32Array(6), nClasses: 2 },
          { probabilities: new Float32Array(9), nClasses: 3 },
        ],
        { n: 3 },
      ),
    ).rejects.toSatisfy(failsWith('SHAPE_MISMATCH', 'models[1]', '3 classes'));
  });

  it('refuses returnProbabilities for a source that holds only labels', async () => {
    await expect(evaluatePopulation([{ predictions: [0, 1, 1] }], { n: 3 }, { returnProbabilities: true })).rejects.toSatisfy(
      failsWith('INVALID_ARGUMENT', 'models[0]'),
    );
  });
});
