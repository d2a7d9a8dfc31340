/**
 * tfmot's own expectations for schedules and steps (tensorflow_model_optimization/.../sparsity/keras/
 * prune_integration_test.py), on the same kind of model: a two-layer Dense net trained by SGD on 20
 * random examples in batches of 20, so one epoch is one training step.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  constantSparsity,
  fineTunePruned,
  polynomialDecay,
  pruneLowMagnitude,
  stripPruning,
  type PrunedModel,
} from '../../src/compress/index.js';
import { initBackend } from '../../src/engine/index.js';
import { syntheticData, weightMap, zerosOf } from './helpers.js';

const data = syntheticData(20, 10, 5, 3);

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Dense(10) -> Dense(5, softmax) on 10 inputs, as tfmot's build_simple_dense_model. */
function simpleDenseModel(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [10], units: 10, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

/** `model.fit(x, y, epochs, batch_size=20, callbacks=[UpdatePruningStep()])` with SGD. */
function train(pruned: PrunedModel, epochs: number): ReturnType<typeof fineTunePruned> {
  return fineTunePruned(
    pruned,
    { x: data.x, shape: [20, 10], y: data.y },
    { epochs, batchSize: 20, seed: 1, optimizer: 'sgd', learningRate: 0.01 },
  );
}

/** tfmot's assert_model_sparsity: every pruned kernel at the given sparsity. */
function kernelSparsities(pruned: PrunedModel): number[] {
  const weights = weightMap(pruned.model);
  return pruned.weights.map((w) => zerosOf(weights.get(w.name)!) / weights.get(w.name)!.length);
}

describe('tfmot parity: prune_integration_test.py schedules', () => {
  // testPruneStopAndRestart_PreservesSparsity
  it('PolynomialDecay(0.2, 0.6, begin 1, end 4, freq 1): dense before training, 0.2 after one step, 0.6 after four', async () => {
    const pruned = await pruneLowMagnitude(simpleDenseModel(1), {
      schedule: polynomialDecay(0.2, 0.6, { beginStep: 1, endStep: 4, power: 3, frequency: 1 }),
    });
    expect(pruned.step).toBe(-1);
    kernelSparsities(pruned).forEach((s) => expect(s).toBe(0));
    await train(pruned, 1);
    expect(pruned.step).toBe(1);
    kernelSparsities(pruned).forEach((s) => expect(s).toBeCloseTo(0.2, 6));
    // a second fit resumes at the saved step (the restored model keeps pruning_step)
    await train(pruned, 3);
    expect(pruned.step).toBe(4);
    kernelSparsities(pruned).forEach((s) => expect(s).toBeCloseTo(0.6, 6));
    const x = tf.tensor2d(data.x, [20, 10]);
    const live = (pruned.model.predict(x) as tf.Tensor).dataSync().slice();
    const stripped = stripPruning(pruned);
    expect(Array.from((stripped.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(live));
    stripped.dispose();
  });

  // testPruneWithPolynomialDecayPastEndStep_PreservesSparsity
  it('PolynomialDecay(0.2, 0.6, begin 0, end 2, freq 1): 0.6 after three steps, and training past endStep keeps it', async () => {
    const pruned = await pruneLowMagnitude(simpleDenseModel(2), {
      schedule: polynomialDecay(0.2, 0.6, { beginStep: 0, endStep: 2, power: 3, frequency: 1 }),
    });
    const updates: number[] = [];
    await fineTunePruned(
      pruned,
      { x: data.x, shape: [20, 10], y: data.y },
      {
        epochs: 3,
        batchSize: 20,
        seed: 1,
        optimizer: 'sgd',
        learningRate: 0.01,
        onBatchEnd: (b) => b.masksUpdated && updates.push(b.step),
      },
    );
    // step 0 is never a training step: masks change at steps 1 and 2 only
    expect(updates).toEqual([1, 2]);
    kernelSparsities(pruned).forEach((s) => expect(s).toBeCloseTo(0.6, 6));
    await train(pruned, 1);
    kernelSparsities(pruned).forEach((s) => expect(s).toBeCloseTo(0.6, 6));
    pruned.dispose(true);
  });

  // testPrunesSingleLayer_ReachesTargetSparsity, testPruneWithHighSparsity
  it('ConstantSparsity(0.5, begin 0, end -1, freq 1) reaches 0.5 in one step; 0.99 too', async () => {
    for (const target of [0.5, 0.99]) {
      const pruned = await pruneLowMagnitude(simpleDenseModel(3), {
        schedule: constantSparsity(target, { beginStep: 0, endStep: -1, frequency: 1 }),
      });
      kernelSparsities(pruned).forEach((s) => expect(s).toBe(0));
      await train(pruned, 1);
      const weights = weightMap(pruned.model);
      for (const w of pruned.weights) {
        const n = weights.get(w.name)!.length;
        // tfmot keeps max(round(n * (1 - s)), 1) weights
        expect(zerosOf(weights.get(w.name)!)).toBe(n - Math.max(Math.round(n * (1 - target)), 1));
      }
      pruned.dispose(true);
    }
  });

  it('ConstantSparsity with the default frequency 100 first prunes at step 100, not at step 0 or 1', async () => {
    const schedule = constantSparsity(0.5);
    const pruned = await pruneLowMagnitude(simpleDenseModel(4), { schedule });
    await train(pruned, 3);
    kernelSparsities(pruned).forEach((s) => expect(s).toBe(0));
    expect([0, 1, 99, 100, 200].map((step) => schedule(step).shouldPrune)).toEqual([true, false, false, true, true]);
    pruned.dispose(true);
  });

  // testPrunesModel_CustomTrainingLoop_ReachesTargetSparsity
  it('a custom training loop of two steps reaches ConstantSparsity(0.5, begin 0, freq 1)', async () => {
    const pruned = await pruneLowMagnitude(simpleDenseModel(5), { schedule: constantSparsity(0.5, { beginStep: 0, frequency: 1 }) });
    pruned.beginTraining();
    const x = tf.tensor2d(data.x, [20, 10]);
    const y = tf.oneHot(tf.tensor1d(data.y, 'int32'), 5);
    const optimizer = tf.train.sgd(0.01);
    for (let i = 0; i < 2; i++) {
      pruned.step += 1;
      pruned.updateMasks(pruned.step);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, pruned.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
      pruned.applyMasks();
    }
    kernelSparsities(pruned).forEach((s) => expect(s).toBeCloseTo(0.5, 6));
    optimizer.dispose();
    pruned.dispose(true);
  });
});
