import * as tf from '@tensorflow/tfjs';
import { longTailIndices, takeRows } from '../data/long-tail.js';
import { loadMnist } from '../data/mnist.js';
import { morphoGroups } from '../data/morpho-groups.js';
import { measureDigits } from '../data/morpho-mnist.js';
import { seededRandom } from '../random/seeded-random.js';
import { initBackend } from '../engine/backend.js';
import { seededPermutation } from '../random/seeded-permutation.js';
import type { PopulationRecipe } from './recipe.js';

/** The demo's recipe; every number is fixed so runs repeat. */
export interface DemoRecipe {
  /** The digit made rare in training. */
  longTailDigit: number;
  /** Share of that digit's training images kept. */
  keepFraction: number;
  /** Hidden layer widths of the MLP. */
  hidden: number[];
  /** Baseline training: epochs over the long-tail training set (or `trainSubset` of it). */
  epochs: number;
  trainSubset: number | null;
  learningRate: number;
  /** Fine-tuning after pruning (every level, 0 included): epochs over a seeded subset. */
  fineTuneEpochs: number;
  fineTuneSubset: number;
  fineTuneLearningRate: number;
  batchSize: number;
  levels: number[];
  seeds: number[];
  /** Test images audited (null: all 10,000). */
  testSubset: number | null;
  /** Keep the 10-way classifier layer dense (prune only the hidden layers). */
  denseClassifier?: boolean;
  /**
   * 'fineTune' (default): levels pruned from each seed's baseline and fine-tuned (paired). 'fromScratch':
   * every (seed, level) model trained `epochs` from its own initialisation with gradual pruning (independent).
   */
  regime?: 'fineTune' | 'fromScratch';
  /** Add random-pruning controls (`random@<level>`) trained alike. */
  randomControl?: boolean;
  /** Keep class probabilities for top-5 accuracy and the taxicab ranking (default true; distributed runs carry them too). */
  probabilities?: boolean;
}

/**
 * The recipe of `pie-audit demo` (k models per level, default 6: the fewest whose paired noise floor can reach
 * p < 0.05, as 2 / 2^6 = 0.031) and of `--quick`.
 * @example
 * demoRecipe({ models: 3 }).seeds; // [1, 2, 3]
 */
export function demoRecipe(options: { models?: number; quick?: boolean } = {}): DemoRecipe {
  const k = options.models ?? (options.quick ? 2 : 6);
  const seeds = Array.from({ length: k }, (_, i) => i + 1);
  if (options.quick) {
    return {
      longTailDigit: 8,
      keepFraction: 0.05,
      hidden: [32],
      epochs: 1,
      trainSubset: 3000,
      learningRate: 0.002,
      fineTuneEpochs: 1,
      fineTuneSubset: 1000,
      fineTuneLearningRate: 0.0005,
      batchSize: 128,
      levels: [0, 0.5, 0.9],
      seeds,
      testSubset: 1000,
      denseClassifier: true,
    };
  }
  return {
    longTailDigit: 8,
    keepFraction: 0.05,
    hidden: [128],
    epochs: 3,
    trainSubset: null,
    learningRate: 0.001,
    fineTuneEpochs: 2,
    fineTuneSubset: 12000,
    fineTuneLearningRate: 0.0002,
    batchSize: 128,
    levels: [0, 0.3, 0.5, 0.7, 0.9, 0.99],
    seeds,
    testSubset: null,
    denseClassifier: true,
  };
}

function createMlp(hidden: number[]): (seed: number) => tf.LayersModel {
  return (seed) => {
    const model = tf.sequential();
    // Images in, so reports can show PIE thumbnails; Flatten costs nothing.
    model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
    hidden.forEach((units, i) =>
      model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + i }) })),
    );
    model.add(
      tf.layers.dense({
        name: `classifier_${seed}`,
        units: 10,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 99 }),
      }),
    );
    return model;
  };
}

/**
 * Trains with Adam on batches cut from Float32Arrays (a seeded shuffle per epoch): tensor slicing is
 * slow on the wasm backend, so batches are built directly.
 */
function trainer(x: Float32Array, y: Uint8Array, recipe: DemoRecipe): (model: tf.LayersModel, seed: number) => Promise<void> {
  const n = y.length;
  return async (model, seed) => {
    const optimizer = tf.train.adam(recipe.learningRate);
    const bs = recipe.batchSize;
    try {
      for (let epoch = 0; epoch < recipe.epochs; epoch++) {
        const order = seededPermutation(n, seededRandom(seed * 1000 + epoch));
        for (let start = 0; start < n; start += bs) {
          const b = Math.min(bs, n - start);
          const xb = new Float32Array(b * 784);
          const yb = new Int32Array(b);
          for (let k = 0; k < b; k++) {
            const r = order[start + k];
            xb.set(x.subarray(r * 784, (r + 1) * 784), k * 784);
            yb[k] = y[r];
          }
          tf.tidy(() => {
            const xt = tf.tensor4d(xb, [b, 28, 28, 1]);
            const yt = tf.oneHot(tf.tensor1d(yb, 'int32'), 10);
            optimizer.minimize(() => {
              const p = tf.clipByValue(model.apply(xt, { training: true }) as tf.Tensor, 1e-7, 1);
              return tf.neg(tf.mean(tf.sum(tf.mul(yt, tf.log(p)), -1))) as tf.Scalar;
            });
          });
        }
        // Let progress output and signals through between epochs.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      optimizer.dispose();
    }
  };
}

/**
 * The demo's recipe module entry (what `pie-audit demo` and its queue workers import): MNIST with one
 * digit made rare (a seeded share of its training images kept), MLPs trained with fixed seeds, pruned
 * with a polynomial schedule and fine-tuned on a seeded subset, audited on the (subset of the) test set.
 *
 * @example
 * const recipe = await createRecipe(demoRecipe({ quick: true }));
 * const model = recipe.createModel(1);
 */
export async function createRecipe(params: DemoRecipe): Promise<PopulationRecipe> {
  const recipe = params;
  const train = loadMnist('train');
  const test = loadMnist('test');
  await initBackend({ backend: 'auto' });
  let rows = longTailIndices(train.labels, { classIndex: recipe.longTailDigit, keepFraction: recipe.keepFraction, seed: 1 });
  if (recipe.trainSubset !== null && recipe.trainSubset < rows.length) {
    const perm = seededPermutation(rows.length, seededRandom(2));
    rows = Uint32Array.from(perm.subarray(0, recipe.trainSubset), (k) => rows[k]).sort();
  }
  const trainSet = takeRows(train.images, 784, rows, train.labels);
  const trainLabels = trainSet.labels as Uint8Array;
  const fineRows = seededPermutation(rows.length, seededRandom(3)).subarray(0, Math.min(recipe.fineTuneSubset, rows.length));
  const fine = takeRows(trainSet.rows, 784, fineRows, trainLabels);
  const kept = trainLabels.reduce((a, l) => a + (l === recipe.longTailDigit ? 1 : 0), 0);
  let testImages = test.images;
  let testLabels = test.labels;
  if (recipe.testSubset !== null && recipe.testSubset < test.n) {
    const pick = seededPermutation(test.n, seededRandom(4)).subarray(0, recipe.testSubset).sort();
    const sub = takeRows(test.images, 784, pick, test.labels);
    testImages = sub.rows;
    testLabels = sub.labels as Uint8Array;
  }
  const pruneLayer = recipe.denseClassifier ? { pruneLayer: (l: { name: string }) => !l.name.startsWith('classifier_') } : {};
  return {
    createModel: createMlp(recipe.hidden),
    train: trainer(trainSet.rows, trainLabels, recipe),
    seeds: recipe.seeds,
    levels: recipe.levels,
    regime: recipe.regime ?? 'fineTune',
    randomControl: recipe.randomControl ?? false,
    fromScratch: {
      data: { x: trainSet.rows, shape: [rows.length, 28, 28, 1], y: trainLabels },
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      learningRate: recipe.learningRate,
      ...pruneLayer,
    },
    fineTune: {
      data: { x: fine.rows, shape: [fineRows.length, 28, 28, 1], y: fine.labels as Uint8Array },
      epochs: recipe.fineTuneEpochs,
      batchSize: recipe.batchSize,
      learningRate: recipe.fineTuneLearningRate,
      schedule: 'polynomial',
      frequency: Math.max(1, Math.floor((recipe.fineTuneEpochs * Math.ceil(fineRows.length / recipe.batchSize)) / 10)),
      ...pruneLayer,
    },
    audit: {
      // Morpho-MNIST-style shape groups of the test digits, binned within each digit, audited like CelebA attributes.
      testSet: {
        inputs: testImages,
        inputShape: [28, 28, 1],
        labels: testLabels,
        attributes: morphoGroups(measureDigits(testImages), { labels: testLabels }),
      },
      probabilities: recipe.probabilities ?? true,
      classNames: test.classNames,
      baseline: 0,
      maxExemplars: 12,
      seed: 1,
    },
    describe: `${rows.length} training images, digit ${recipe.longTailDigit} kept at ${kept} images (${(recipe.keepFraction * 100).toFixed(0)}%); MLP 784-${recipe.hidden.join('-')}-10, ${recipe.seeds.length} models x ${recipe.levels.length} levels`,
  };
}
