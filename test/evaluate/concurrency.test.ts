import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveLayersModel } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import { evaluatePopulation } from '../../src/evaluate/evaluate-population.js';
import type { EvaluationProgress } from '../../src/evaluate/types.js';
import { digitsCnn, digitsMlp, loadDigits, useWasm } from './helpers.js';

const digits = loadDigits(300);
const testSet = { inputs: digits.inputs, inputShape: digits.inputShape, n: digits.n, labels: digits.labels };
const dir = mkdtempSync(join(tmpdir(), 'pie-workers-'));
let models: tf.LayersModel[];

beforeAll(async () => {
  await useWasm();
  models = [digitsCnn(41), digitsMlp(42, [8, 8, 1]), digitsCnn(43)];
});
afterAll(() => {
  models.forEach((m) => m.dispose());
  rmSync(dir, { recursive: true, force: true });
});

describe('concurrency: tfjs models in worker threads', () => {
  it('gives the same predictions and probabilities as sequential evaluation, in model order, leaking no tensors', async () => {
    const modelDir = join(dir, 'saved');
    await saveLayersModel(models[1], modelDir);
    const population = [...models, modelDir, { predictions: digits.labels }];
    const sequential = await evaluatePopulation(population, testSet, { runtime: 'tfjs', returnProbabilities: false, batchSize: 128 });
    const before = tf.memory().numTensors;
    const events: EvaluationProgress[] = [];
    const parallel = await evaluatePopulation(population, testSet, {
      runtime: 'tfjs',
      concurrency: 2,
      batchSize: 128,
      onProgress: (e) => events.push({ ...e }),
      cache: { dir: join(dir, 'cache') },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(parallel.predictions).toEqual(sequential.predictions);
    expect(parallel.perModel.map((p) => [p.runtime, p.source])).toEqual([
      ['tfjs', sequential.perModel[0].source],
      ['tfjs', sequential.perModel[1].source],
      ['tfjs', sequential.perModel[2].source],
      ['tfjs', modelDir],
      ['precomputed', 'precomputed predictions'],
    ]);
    // The calling thread takes the first model; the worker thread takes the next one at least.
    expect(parallel.perModel[0].worker).toBeUndefined();
    expect(parallel.perModel[1].worker).toBe(true);
    for (let m = 0; m < 4; m++) expect(events.filter((e) => e.model === m).map((e) => e.examplesDone)).toEqual([128, 256, 300]);
    const cached = await evaluatePopulation(population, testSet, { runtime: 'tfjs', concurrency: 2, cache: { dir: join(dir, 'cache') } });
    expect(cached.perModel.slice(0, 4).map((p) => p.cached)).toEqual([true, true, true, true]);
    expect(cached.predictions).toEqual(sequential.predictions);
  });

  it('returns the same probabilities as sequential evaluation', async () => {
    const a = await evaluatePopulation(models.slice(0, 2), testSet, { runtime: 'tfjs', returnProbabilities: true });
    const b = await evaluatePopulation(models.slice(0, 2), testSet, { runtime: 'tfjs', returnProbabilities: true, concurrency: 'auto' });
    expect(b.probabilities).toEqual(a.probabilities);
  });

  it('reports NON_FINITE from a worker model, naming the model and example', async () => {
    const broken = digitsMlp(44, [8, 8, 1]);
    const w = broken.layers[2].getWeights();
    const kernel = w[0].arraySync() as number[][];
    // Finite weights whose logits overflow to Infinity (NaN weights are refused before evaluation).
    for (const row of kernel) row[7] = 3e38;
    broken.layers[2].setWeights([tf.tensor(kernel), w[1]]);
    try {
      await expect(evaluatePopulation([models[0], broken], testSet, { runtime: 'tfjs', concurrency: 2 })).rejects.toSatisfy(
        (e) => isPieAuditError(e, 'NON_FINITE') && /models\[1\]/.test((e as Error).message) && /example 0/.test((e as Error).message),
      );
    } finally {
      broken.dispose();
    }
  });

  it('runs a model with a custom layer (registered only in this thread) in the calling thread instead', async () => {
    class TimesTwo extends tf.layers.Layer {
      static className = 'PieAuditTestTimesTwo';
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2);
      }
    }
    tf.serialization.registerClass(TimesTwo);
    const custom = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [8, 8, 1] }),
        new TimesTwo({}),
        tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 45 }) }),
      ],
    });
    try {
      const sequential = await evaluatePopulation([custom], testSet, { runtime: 'tfjs' });
      const parallel = await evaluatePopulation([models[0], custom], testSet, { runtime: 'tfjs', concurrency: 2 });
      expect(Array.from(parallel.predictions.subarray(digits.n))).toEqual(Array.from(sequential.predictions));
      // models[1] went to the worker, which cannot build the custom layer, so it ran here.
      expect(parallel.perModel.map((p) => p.worker ?? false)).toEqual([false, false]);
    } finally {
      custom.dispose();
    }
  });

  it('rejects a concurrency that is not a positive integer', async () => {
    await expect(evaluatePopulation(models, testSet, { concurrency: 0 })).rejects.toSatisfy((e) => isPieAuditError(e, 'INVALID_ARGUMENT'));
  });
});
