import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveLayersModel } from '../../../src/engine/index.js';
import { evaluatePopulation } from '../../../src/evaluate/evaluate-population.js';
import { cacheEntryPath } from '../../../src/evaluate/cache/prediction-cache.js';
import { hashLayersModel } from '../../../src/evaluate/cache/hash-model.js';
import { hashTestSet } from '../../../src/evaluate/cache/hash-test-set.js';
import { digitsCnn, digitsMlp, loadDigits, useWasm } from '../helpers.js';

const digits = loadDigits(200);
const testSet = { inputs: digits.inputs, inputShape: digits.inputShape, n: digits.n };
let root: string;
let models: tf.LayersModel[];

/** A predict function that counts the examples it was asked to score. */
function countingSource(cacheKey: string) {
  const source = {
    calls: 0,
    cacheKey,
    nClasses: 10,
    async predict(x: Float32Array, rows: number) {
      source.calls += rows;
      const out = new Float32Array(rows * 10);
      for (let r = 0; r < rows; r++) out[r * 10 + (r % 10)] = x[r * 64 + 20] + 1;
      return out;
    },
  };
  return source;
}

beforeAll(async () => {
  await useWasm();
  root = mkdtempSync(join(tmpdir(), 'pie-cache-'));
  models = [digitsCnn(11), digitsMlp(12, [8, 8, 1]), digitsCnn(13)];
});
afterAll(() => {
  models.forEach((m) => m.dispose());
  rmSync(root, { recursive: true, force: true });
});

describe('the prediction cache', () => {
  it('serves a second run entirely from disk, with identical predictions and probabilities', async () => {
    const cache = { dir: join(root, 'a') };
    const first = await evaluatePopulation(models, testSet, { cache, runtime: 'tfjs', returnProbabilities: true });
    expect(first.perModel.map((p) => p.cached)).toEqual([false, false, false]);
    const second = await evaluatePopulation(models, testSet, { cache, runtime: 'tfjs', returnProbabilities: true });
    expect(second.perModel.map((p) => p.cached)).toEqual([true, true, true]);
    expect(second.perModel.map((p) => p.runtime)).toEqual(['tfjs', 'tfjs', 'tfjs']);
    expect(second.predictions).toEqual(first.predictions);
    expect(second.probabilities).toEqual(first.probabilities);
  });

  it('evaluates only the model added since the last run', async () => {
    const cache = { dir: join(root, 'b') };
    const a = countingSource('ckpt-a');
    const b = countingSource('ckpt-b');
    await evaluatePopulation([models[0], a], testSet, { cache, runtime: 'tfjs' });
    expect(a.calls).toBe(digits.n);
    const r = await evaluatePopulation([models[0], a, b], testSet, { cache, runtime: 'tfjs' });
    expect(r.perModel.map((p) => p.cached)).toEqual([true, true, false]);
    expect(a.calls).toBe(digits.n);
    expect(b.calls).toBe(digits.n);
  });

  it('recognises a saved model by content: the file path and the in-memory model share one entry', async () => {
    const cache = { dir: join(root, 'c') };
    const modelDir = join(root, 'saved');
    await saveLayersModel(models[1], modelDir);
    await evaluatePopulation([modelDir], testSet, { cache, runtime: 'tfjs' });
    const again = await evaluatePopulation([join(modelDir, 'model.json')], testSet, { cache, runtime: 'tfjs' });
    expect(again.perModel[0].cached).toBe(true);
  });

  it('recomputes and rewrites a truncated entry (a run killed mid-write) instead of trusting it', async () => {
    const cache = { dir: join(root, 'd') };
    const first = await evaluatePopulation([models[2]], testSet, { cache, runtime: 'tfjs' });
    const entry = cacheEntryPath(cache.dir, hashLayersModel(models[2]), hashTestSet(digits.inputs, digits.n, digits.inputShape));
    const size = statSync(entry).size;
    truncateSync(entry, size - 50);
    const second = await evaluatePopulation([models[2]], testSet, { cache, runtime: 'tfjs' });
    expect(second.perModel[0].cached).toBe(false);
    expect(second.predictions).toEqual(first.predictions);
    expect(statSync(entry).size).toBe(size);
    const third = await evaluatePopulation([models[2]], testSet, { cache, runtime: 'tfjs' });
    expect(third.perModel[0].cached).toBe(true);
    // No temporary files are left behind.
    expect(readdirSync(join(entry, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('misses when the test set, the weights, or the need for probabilities change', async () => {
    const cache = { dir: join(root, 'e') };
    const model = digitsMlp(30, [8, 8, 1]);
    try {
      await evaluatePopulation([model], testSet, { cache, runtime: 'tfjs' });
      const otherInputs = digits.inputs.slice();
      otherInputs[5] += 0.5;
      const changedSet = await evaluatePopulation([model], { ...testSet, inputs: otherInputs }, { cache, runtime: 'tfjs' });
      expect(changedSet.perModel[0].cached).toBe(false);
      const withProbabilities = await evaluatePopulation([model], testSet, { cache, runtime: 'tfjs', returnProbabilities: true });
      expect(withProbabilities.perModel[0].cached).toBe(false);
      const labelsOnly = await evaluatePopulation([model], testSet, { cache, runtime: 'tfjs' });
      expect(labelsOnly.perModel[0].cached).toBe(true);
      const w = model.layers[1].getWeights();
      model.layers[1].setWeights([tf.mul(w[0], 0.5), w[1]]);
      const changedWeights = await evaluatePopulation([model], testSet, { cache, runtime: 'tfjs' });
      expect(changedWeights.perModel[0].cached).toBe(false);
    } finally {
      model.dispose();
    }
  });

  it('does not cache predict functions without a cacheKey', async () => {
    const cache = { dir: join(root, 'f') };
    const fn = countingSource('unused');
    const keyless = { predict: fn.predict, nClasses: 10 };
    await evaluatePopulation([keyless], testSet, { cache });
    const r = await evaluatePopulation([keyless], testSet, { cache });
    expect(r.perModel[0].cached).toBe(false);
    expect(fn.calls).toBe(2 * digits.n);
  });
});
