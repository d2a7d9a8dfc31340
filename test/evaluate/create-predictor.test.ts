import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPieAuditError } from '../../src/errors.js';
import { createPredictor } from '../../src/evaluate/create-predictor.js';
import { digitsCnn, loadDigits, useWasm } from './helpers.js';

const digits = loadDigits(64);
let cnn: tf.LayersModel;
beforeAll(async () => {
  await useWasm();
  cnn = digitsCnn(61);
});
afterAll(() => cnn.dispose());

describe('createPredictor', () => {
  it.each(['tfjs', 'auto', 'onnx'] as const)(
    "runtime %s: scores rows like the model, and dispose() leaves the caller's model usable",
    async (runtime) => {
      const expected = tf.tidy(() => (cnn.predictOnBatch(tf.tensor(digits.inputs, [digits.n, 8, 8, 1])) as tf.Tensor).dataSync().slice());
      const before = tf.memory().numTensors;
      const p = await createPredictor(cnn, { runtime, inputShape: [8, 8, 1], threads: 1 });
      expect(p.runtime).toBe(runtime === 'tfjs' ? 'tfjs' : 'onnx');
      const scores = await p.predict(digits.inputs.subarray(0, 20 * 64), 20);
      expect(scores.length).toBe(20 * 10);
      for (let i = 0; i < scores.length; i++) expect(scores[i]).toBeCloseTo(expected[i], 4);
      await p.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.tidy(() => (cnn.predictOnBatch(tf.zeros([1, 8, 8, 1])) as tf.Tensor).shape)).toEqual([1, 10]);
    },
  );

  it('has no predictor for precomputed predictions, and rejects what is not a model source', async () => {
    await expect(createPredictor({ predictions: [1, 2] })).rejects.toSatisfy((e) => isPieAuditError(e, 'INVALID_ARGUMENT'));
    await expect(createPredictor({ nothing: true } as never)).rejects.toSatisfy((e) => isPieAuditError(e, 'INVALID_ARGUMENT'));
  });
});
