import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  constantSparsity,
  findPrunableWeights,
  polynomialDecay,
  pruneLowMagnitude,
  pruneOneShot,
  stripPruning,
} from '../../src/compress/index.js';
import { initBackend } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import { tinyCnn, tinyMlp, weightMap, zerosOf } from './helpers.js';

const LEVELS = [0, 0.3, 0.5, 0.7, 0.9, 0.99];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('findPrunableWeights', () => {
  it('selects kernels of Dense/Conv/Depthwise/Separable layers, never biases or BatchNormalization', () => {
    const names = findPrunableWeights(tinyCnn(1)).map((w) => `${w.layerClass}:${w.name.split('/').pop()}`);
    expect(names).toEqual([
      'Conv2D:kernel',
      'DepthwiseConv2D:depthwise_kernel',
      'SeparableConv2D:depthwise_kernel',
      'SeparableConv2D:pointwise_kernel',
      'Dense:kernel',
    ]);
    const tfmotLike = findPrunableWeights(tinyCnn(1), { pruneDepthwise: false }).map((w) => w.name.split('/').pop());
    expect(tfmotLike).toEqual(['kernel', 'pointwise_kernel', 'kernel']);
  });
});

describe('pruneOneShot (post-training one-shot magnitude pruning)', () => {
  it('hits each level within one weight per layer and leaves biases, BatchNormalization and the input model untouched', async () => {
    const model = tinyCnn(3);
    const before = weightMap(model);
    for (const level of LEVELS) {
      const pruned = await pruneOneShot(model, level);
      const after = weightMap(pruned.model);
      const prunable = new Set(pruned.weights.map((w) => w.name));
      for (const [name, values] of after) {
        if (prunable.has(name)) {
          const zeros = zerosOf(values);
          expect(Math.abs(zeros - level * values.length)).toBeLessThanOrEqual(1);
          values.forEach((v, i) => expect(Object.is(v, v === 0 ? 0 : before.get(name)![i])).toBe(true)); // +0, not -0
        } else {
          expect(Array.from(values)).toEqual(Array.from(before.get(name)!));
        }
      }
      pruned.model.dispose();
    }
    // the caller's model was not modified
    for (const [name, values] of weightMap(model)) expect(Array.from(values)).toEqual(Array.from(before.get(name)!));
  });

  it('hits the target within one weight for random Dense shapes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(...LEVELS),
        fc.integer({ min: 0, max: 1000 }),
        async (inputs, units, level, seed) => {
          const m = tf.sequential({
            layers: [tf.layers.dense({ inputShape: [inputs], units, kernelInitializer: tf.initializers.randomNormal({ seed }) })],
          });
          const pruned = await pruneOneShot(m, level, { inPlace: true });
          expect(pruned.model).toBe(m);
          const kernel = m.layers[0].getWeights()[0].dataSync() as Float32Array;
          expect(Math.abs(zerosOf(kernel) - level * kernel.length)).toBeLessThanOrEqual(1);
          expect(pruned.weights[0].maskSparsity).toBe(zerosOf(kernel) / kernel.length);
          m.dispose();
        },
      ),
      { seed: 4, numRuns: 25 },
    );
  });

  it('prunes the smallest magnitudes', async () => {
    const model = tinyMlp(5);
    const original = weightMap(model);
    const pruned = await pruneOneShot(model, 0.7);
    const after = weightMap(pruned.model);
    for (const w of pruned.weights) {
      const mask = after.get(w.name)!.map((v) => (v === 0 ? 0 : 1));
      const values = original.get(w.name)!;
      let maxPruned = 0;
      let minKept = Infinity;
      values.forEach((v, i) => (mask[i] ? (minKept = Math.min(minKept, Math.abs(v))) : (maxPruned = Math.max(maxPruned, Math.abs(v)))));
      expect(maxPruned).toBeLessThanOrEqual(minKept);
      expect(w.threshold).toBe(minKept);
    }
    pruned.model.dispose();
  });
});

describe('pruneLowMagnitude (wrapping for training, as tfmot)', () => {
  it('masks nothing until training: wrapping a model leaves its weights as they were, at pruning step -1', async () => {
    const model = tinyMlp(5);
    const before = weightMap(model);
    const pruned = await pruneLowMagnitude(model, { schedule: constantSparsity(0.8, { beginStep: 0, frequency: 1 }) });
    expect(pruned.step).toBe(-1);
    for (const mask of pruned.masks.values()) expect(mask.every((m) => m === 1)).toBe(true);
    for (const [name, values] of weightMap(pruned.model)) expect(Array.from(values)).toEqual(Array.from(before.get(name)!));
    pruned.beginTraining();
    expect(pruned.step).toBe(0);
    pruned.step = 7;
    pruned.beginTraining(); // a resumed model keeps its step
    expect(pruned.step).toBe(7);
    pruned.dispose(true);
  });

  it('leaves masks at ones until the schedule first prunes (beginStep > step)', async () => {
    const pruned = await pruneLowMagnitude(tinyMlp(1), { schedule: constantSparsity(0.5, { beginStep: 10 }) });
    for (const mask of pruned.masks.values()) expect(mask.every((m) => m === 1)).toBe(true);
    expect(pruned.updateMasks(9)).toBe(false);
    expect(pruned.updateMasks(10)).toBe(true);
    for (const w of pruned.weights) expect(w.maskSparsity).toBeCloseTo(0.5, 1);
    pruned.dispose(true);
  });

  it('starts a polynomial schedule at its initial sparsity at beginStep', async () => {
    const pruned = await pruneLowMagnitude(tinyMlp(1), { schedule: polynomialDecay(0.3, 0.9, { endStep: 100 }) });
    for (const w of pruned.weights) expect(w.targetSparsity).toBe(0);
    expect(pruned.updateMasks(0)).toBe(true);
    for (const w of pruned.weights) expect(w.targetSparsity).toBeCloseTo(0.3, 6);
    pruned.dispose(true);
  });

  it('block-prunes whole blocks of the 2-D kernel', async () => {
    const m = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [8], units: 6, kernelInitializer: tf.initializers.randomNormal({ seed: 9 }) })],
    });
    const pruned = await pruneLowMagnitude(m, { sparsity: 0.5, blockSize: [2, 3], blockPooling: 'MAX', inPlace: true });
    pruned.updateMasks(1);
    const mask = pruned.masks.get(pruned.weights[0].name)!;
    for (let r = 0; r < 8; r += 2)
      for (let c = 0; c < 6; c += 3) {
        const cells = [0, 1].flatMap((dr) => [0, 1, 2].map((dc) => mask[(r + dr) * 6 + c + dc]));
        expect(new Set(cells).size).toBe(1);
      }
    expect(pruned.weights[0].maskSparsity).toBe(0.5);
    pruned.dispose(true);
  });

  it('stripPruning returns the plain model with real zeros', async () => {
    const pruned = await pruneLowMagnitude(tinyMlp(2), { sparsity: 0.9 });
    expect(pruned.updateMasks(1)).toBe(true); // the shorthand's schedule prunes at the first training step
    const stripped = stripPruning(pruned);
    expect(stripped).toBe(pruned.model);
    const zeros = [...weightMap(stripped).entries()].filter(([n]) => n.endsWith('kernel')).map(([, v]) => zerosOf(v) / v.length);
    zeros.forEach((z) => expect(z).toBeCloseTo(0.9, 1));
    expect(() => pruned.applyMasks()).toThrow(/disposed or stripped/);
    stripped.dispose();
  });

  it('prunes only the layers pruneLayer accepts, leaving the others bit-identical (e.g. a dense classifier)', async () => {
    const model = tinyMlp(4);
    const classifier = model.layers[1].name;
    const before = weightMap(model);
    const pruned = await pruneOneShot(model, 0.9, { pruneLayer: (l) => l.name !== classifier });
    expect(pruned.weights.map((w) => w.name)).toEqual([`${model.layers[0].name}/kernel`]);
    const after = weightMap(pruned.model);
    expect(after.get(`${classifier}/kernel`)).toEqual(before.get(`${classifier}/kernel`));
    const hidden = after.get(`${model.layers[0].name}/kernel`)!;
    expect(Math.abs(zerosOf(hidden) - 0.9 * hidden.length)).toBeLessThanOrEqual(1);
    pruned.model.dispose();
    model.dispose();
    const none = await pruneOneShot(tinyMlp(4), 0.5, { pruneLayer: () => false }).catch((e: unknown) => e);
    expect(isPieAuditError(none, 'NO_PRUNABLE_LAYERS')).toBe(true);
    expect((none as Error).message).toContain('pruneLayer');
  });

  it('throws NO_PRUNABLE_LAYERS, INVALID_SPARSITY and NON_FINITE with clear messages', async () => {
    const bnOnly = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [4] })] });
    const e1 = await pruneLowMagnitude(bnOnly, { sparsity: 0.5 }).catch((e: unknown) => e);
    expect(isPieAuditError(e1, 'NO_PRUNABLE_LAYERS')).toBe(true);
    expect((e1 as Error).message).toContain('BatchNormalization');
    const e2 = await pruneLowMagnitude(tinyMlp(1), { sparsity: 1 }).catch((e: unknown) => e);
    expect(isPieAuditError(e2, 'INVALID_SPARSITY')).toBe(true);
    expect(isPieAuditError(await pruneOneShot(tinyMlp(1), -0.1).catch((e: unknown) => e), 'INVALID_SPARSITY')).toBe(true);
    const broken = tinyMlp(1);
    const [k, b] = broken.layers[1].getWeights();
    const bad = k.dataSync().slice();
    bad[3] = Number.NaN;
    broken.layers[1].setWeights([tf.tensor(bad, k.shape), b]);
    const e3 = await pruneOneShot(broken, 0.5).catch((e: unknown) => e);
    expect(isPieAuditError(e3, 'NON_FINITE')).toBe(true);
    expect((e3 as Error).message).toContain(broken.layers[1].name);
  });
});

describe('layers pruning cannot see into', () => {
  const input = () => tf.layers.dense({ inputShape: [3, 4], units: 4 });
  const stack = (...layers: tf.layers.Layer[]) => tf.sequential({ layers: [...layers, tf.layers.dense({ units: 2 })] });
  const cases: Array<[string, () => tf.LayersModel]> = [
    ['Bidirectional', () => stack(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN, inputShape: [3, 4] }))],
    ['TimeDistributed', () => stack(input(), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }), tf.layers.flatten())],
    ['PReLU', () => stack(tf.layers.dense({ inputShape: [4], units: 4 }), tf.layers.prelu())],
  ];
  it.each(cases)('%s is an UNSUPPORTED_LAYER error naming the layer, unless pruneLayer leaves it out', async (className, make) => {
    const model = make();
    const layer = model.layers.find((l) => l.getClassName() === className)!;
    const e = await pruneLowMagnitude(model, { sparsity: 0.5 }).catch((err: unknown) => err);
    expect(isPieAuditError(e, 'UNSUPPORTED_LAYER')).toBe(true);
    expect((e as Error).message).toContain(`"${layer.name}"`);
    expect((e as Error).message).toContain('pruneLayer');
    const ok = await pruneOneShot(model, 0.5, { pruneLayer: (l) => l.name !== layer.name });
    expect(ok.weights.some((w) => w.layerName === layer.name)).toBe(false);
    expect(ok.weights.length).toBeGreaterThan(0);
    ok.model.dispose();
    model.dispose();
  });

  it('prunes the layers of a nested model (tfmot clones nested models)', async () => {
    const normal = (seed: number) => tf.initializers.randomNormal({ seed });
    const inner = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 6, kernelInitializer: normal(1) })] });
    const outer = tf.sequential({ layers: [inner, tf.layers.dense({ units: 2, kernelInitializer: normal(2) })] });
    const pruned = await pruneOneShot(outer, 0.5, { inPlace: true });
    expect(pruned.weights.map((w) => w.layerName)).toEqual([inner.layers[0].name, outer.layers[1].name]);
    pruned.weights.forEach((w) => expect(w.maskSparsity).toBe(0.5));
    outer.dispose();
  });
});
