/**
 * .tflite files on TFLite's own runtime (tfjs-tflite-node's libtensorflowlite_c): an MLP trained with tfjs on
 * real digits, written as TFLite flatbuffers (float32, and fully int8 with quantized input and output), agrees
 * with the same weights run in tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureModel } from '../../src/audit/measure-model.js';
import { isPieAuditError, type PieAuditError } from '../../src/errors.js';
import { createPredictor } from '../../src/evaluate/create-predictor.js';
import { evaluatePopulation } from '../../src/evaluate/evaluate-population.js';
import { readTfliteModel } from '../../src/evaluate/tflite/read-tflite-model.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';
import { digitsMlp, loadDigits, useWasm } from './helpers.js';
import { tfliteMlp } from './tflite-builder.js';

const hasTflite = optionalSuite(OPTIONAL_SUITES.tflite);
const dir = mkdtempSync(join(tmpdir(), 'pie-tflite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const digits = loadDigits(1797);
const { n } = digits;
let model: tf.LayersModel;
/** tfjs's probabilities for every digit: the reference. */
let reference: Float32Array;

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const argmax = (scores: Float32Array, row: number, k = 10) => {
  let best = 0;
  for (let c = 1; c < k; c++) if (scores[row * k + c] > scores[row * k + best]) best = c;
  return best;
};

const failsWith =
  (code: string, ...fragments: string[]) =>
  (e: unknown) =>
    isPieAuditError(e) && e.code === code && fragments.every((f) => (e as PieAuditError).message.includes(f));

beforeAll(async () => {
  await useWasm();
  model = digitsMlp(1, [8, 8, 1]);
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor4d(digits.inputs, [n, 8, 8, 1]);
  const y = tf.tensor1d(digits.labels, 'float32');
  await model.fit(x, y, { epochs: 5, batchSize: 64, shuffle: false, verbose: 0 });
  const out = model.predict(x) as tf.Tensor;
  reference = out.dataSync() as Float32Array;
  tf.dispose([x, y, out]);
});

describe.skipIf(!hasTflite)('.tflite files on the TFLite runtime', () => {
  it('a float32 model gives the probabilities tfjs gives for the same weights (max abs difference < 1e-5)', async () => {
    const file = write('float.tflite', tfliteMlp(model));
    const r = await evaluatePopulation(
      [file],
      { inputs: digits.inputs, inputShape: [8, 8, 1], n },
      { returnProbabilities: true, batchSize: 100 },
    );
    expect(r.perModel[0].runtime).toBe('tflite');
    let maxDiff = 0;
    for (let i = 0; i < reference.length; i++) maxDiff = Math.max(maxDiff, Math.abs(r.probabilities![i] - reference[i]));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(Array.from(r.predictions)).toEqual(Array.from({ length: n }, (_, i) => argmax(reference, i)));
  });

  it('a model of fixed batch 4 runs in chunks of 4, the last one padded (1797 examples)', async () => {
    const file = write('batch4.tflite', tfliteMlp(model, { batch: 4 }));
    const p = await createPredictor(file, { inputShape: [8, 8, 1] });
    const scores = await p.predict(digits.inputs, n);
    await p.dispose();
    expect(scores.length).toBe(n * 10);
    let maxDiff = 0;
    for (let i = 0; i < reference.length; i++) maxDiff = Math.max(maxDiff, Math.abs(scores[i] - reference[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('a fully int8 model (int8 input and output) is fed quantized inputs and read dequantized: top-1 agrees with tfjs on > 99%', async () => {
    const bytes = tfliteMlp(model, { int8: { inputs: digits.inputs, n, inputRange: [0, 1] } });
    const described = readTfliteModel(bytes, 'int8.tflite');
    expect(described.inputs[0]).toMatchObject({ type: 'int8', shape: [1, 8, 8, 1], quantization: { zeroPoint: -128 } });
    expect(described.outputs[0]).toMatchObject({ type: 'int8', quantization: { scale: 1 / 256, zeroPoint: -128 } });
    const file = write('int8.tflite', bytes);
    const r = await evaluatePopulation([file], { inputs: digits.inputs, inputShape: [8, 8, 1], n }, { returnProbabilities: true });
    expect(r.perModel[0].runtime).toBe('tflite');
    let agree = 0;
    for (let i = 0; i < n; i++) if (r.predictions[i] === argmax(reference, i)) agree++;
    // Measured: 1792 of 1797 (99.7%). Dequantized probabilities are multiples of 1/256 and sum to about 1.
    expect(agree / n).toBeGreaterThan(0.99);
    const row = r.probabilities!.subarray(0, 10);
    for (const v of row) expect(Math.abs(v * 256 - Math.round(v * 256))).toBeLessThan(1e-3);
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
  });

  it('a model with uint8 input and output around int8 layers (QUANTIZE ops) is fed uint8 and read dequantized', async () => {
    const bytes = tfliteMlp(model, { int8: { inputs: digits.inputs, n, inputRange: [-0.5, 1], io: 'uint8' } });
    const described = readTfliteModel(bytes, 'uint8.tflite');
    // An input range below 0 gives a zero point of 85, so a reader that ignored it would feed other values.
    expect(described.inputs[0]).toMatchObject({ type: 'uint8', shape: [1, 8, 8, 1], quantization: { zeroPoint: 85 } });
    expect(described.outputs[0]).toMatchObject({ type: 'uint8', quantization: { scale: 1 / 256, zeroPoint: 0 } });
    const int8 = await evaluatePopulation(
      [write('int8-twin.tflite', tfliteMlp(model, { int8: { inputs: digits.inputs, n, inputRange: [-0.5, 1] } }))],
      { inputs: digits.inputs, inputShape: [8, 8, 1], n },
      { returnProbabilities: true },
    );
    const r = await evaluatePopulation(
      [write('uint8.tflite', bytes)],
      { inputs: digits.inputs, inputShape: [8, 8, 1], n },
      { returnProbabilities: true },
    );
    expect(r.perModel[0].runtime).toBe('tflite');
    // The uint8 ends only re-express the int8 model's values: the same probabilities, the same labels.
    expect(Array.from(r.predictions)).toEqual(Array.from(int8.predictions));
    let maxDiff = 0;
    for (let i = 0; i < r.probabilities!.length; i++) maxDiff = Math.max(maxDiff, Math.abs(r.probabilities![i] - int8.probabilities![i]));
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it('throws SHAPE_MISMATCH naming the file and both shapes when the test set is not NHWC like the model', async () => {
    const file = write('shape.tflite', tfliteMlp(model));
    await expect(evaluatePopulation([file], { inputs: digits.inputs, inputShape: [64], n })).rejects.toSatisfy(
      failsWith('SHAPE_MISMATCH', file, '[8, 8, 1]', '[64]'),
    );
  });

  it('throws CORRUPT_MODEL naming a cut, foreign or missing .tflite file, and INVALID_ARGUMENT for runtime tfjs', async () => {
    const good = tfliteMlp(model);
    const cut = write('cut.tflite', good.subarray(0, Math.floor(good.length / 3)));
    await expect(createPredictor(cut)).rejects.toSatisfy(failsWith('CORRUPT_MODEL', cut));
    const foreign = write('foreign.tflite', new TextEncoder().encode('{"not": "a flatbuffer"}'));
    await expect(createPredictor(foreign)).rejects.toSatisfy(failsWith('CORRUPT_MODEL', foreign, 'TFL3'));
    await expect(createPredictor(join(dir, 'absent.tflite'))).rejects.toSatisfy(failsWith('CORRUPT_MODEL', 'absent.tflite'));
    const file = write('any.tflite', good);
    await expect(evaluatePopulation([file], { inputs: digits.inputs, inputShape: [8, 8, 1], n }, { runtime: 'tfjs' })).rejects.toSatisfy(
      failsWith('INVALID_ARGUMENT', file, 'tfjs-tflite-node'),
    );
  });

  it('caches predictions by the file content: a second run is a cache hit, a changed file is not', async () => {
    const cacheDir = join(dir, 'cache');
    const file = write('cached.tflite', tfliteMlp(model));
    const testSet = { inputs: digits.inputs, inputShape: [8, 8, 1], n };
    const first = await evaluatePopulation([file], testSet, { cache: { dir: cacheDir } });
    const second = await evaluatePopulation([file], testSet, { cache: { dir: cacheDir } });
    expect([first.perModel[0].cached, second.perModel[0].cached]).toEqual([false, true]);
    expect(second.perModel[0].runtime).toBe('tflite');
    expect(Array.from(second.predictions)).toEqual(Array.from(first.predictions));
    writeFileSync(file, tfliteMlp(model, { batch: 4 }));
    expect((await evaluatePopulation([file], testSet, { cache: { dir: cacheDir } })).perModel[0].cached).toBe(false);
  });
});

describe('sparsity and size of .tflite files, from the flatbuffer alone', () => {
  it('counts exact zeros of the weight matrices (quantized: entries at their zero point) and gzips the weights', async () => {
    const pruned = digitsMlp(1, [8, 8, 1]);
    pruned.setWeights(model.getWeights());
    const dense = pruned.layers.find((l) => l.getClassName() === 'Dense')!;
    const [kernel, bias] = dense.getWeights();
    const values = Float32Array.from(kernel.dataSync());
    for (let i = 0; i < values.length; i += 2) values[i] = 0; // half of the 64x32 kernel
    dense.setWeights([tf.tensor(values, kernel.shape), bias]);
    const prunable = 64 * 32 + 32 * 10;
    const float = await measureModel(write('pruned.tflite', tfliteMlp(pruned)));
    expect(float.sparsity).toBeCloseTo(1024 / prunable, 10);
    const int8 = await measureModel(
      write('pruned-int8.tflite', tfliteMlp(pruned, { int8: { inputs: digits.inputs, n, inputRange: [0, 1] } })),
    );
    // Quantization also rounds some small weights to 0.
    expect(int8.sparsity!).toBeGreaterThanOrEqual(1024 / prunable);
    expect(int8.gzippedBytes!).toBeLessThan(float.gzippedBytes! / 2);
    expect(await measureModel(write('garbage.tflite', new Uint8Array(16)))).toEqual({
      sparsity: null,
      gzippedBytes: null,
      storedBytes: null,
    });
    pruned.dispose();
  });
});
