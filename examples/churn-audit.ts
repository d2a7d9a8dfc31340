/**
 * A tabular audit with real group attributes: Telco customer churn (data/wa_churn.csv.gz, MIT,
 * R package modeldata 1.1.0). Small MLPs predict churn from contract, service and billing features;
 * each is pruned to 50%, 90% and 97% sparsity with fine-tuning; the audit reports PIEs, which
 * groups (female, senior_citizen) are over-represented among them, and how each group's false
 * positive / false negative rates change. The group attributes are not model inputs.
 *
 * Run: npx tsx examples/churn-audit.ts [outDir]      (about a minute on 2 cores)
 */
import * as tf from '@tensorflow/tfjs';
import { auditCompression, buildPopulation, disposePopulation, initBackend, loadChurn, standardizeColumns, writeReports } from 'pie-audit';

const out = process.argv[2] ?? 'pie-audit-churn';
await initBackend({ backend: 'auto' });

const churn = loadChurn();
const d = churn.featureNames.length;
// Seeded 70/30 split (a fixed linear congruential shuffle keeps the example dependency-free).
const order = Array.from({ length: churn.n }, (_, i) => i);
let state = 12345;
for (let i = order.length - 1; i > 0; i--) {
  state = (state * 1103515245 + 12345) % 2147483648;
  const j = state % (i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}
const nTrain = Math.round(churn.n * 0.7);
const trainRows = order.slice(0, nTrain);
const testRows = order.slice(nTrain).sort((a, b) => a - b);
standardizeColumns(churn.features, d, trainRows);
const take = (rows: number[]) => {
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, k) => x.set(churn.features.subarray(r * d, (r + 1) * d), k * d));
  return { x, y: Uint8Array.from(rows, (r) => churn.labels[r]) };
};
const train = take(trainRows);
const test = take(testRows);

const createModel = (seed: number) => {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({ units: 32, activation: 'relu', inputShape: [d], kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
  );
  model.add(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1000 }) }));
  return model;
};

// Baseline training: Adam on seeded mini-batches built from the Float32Array.
const trainModel = async (model: tf.LayersModel, seed: number) => {
  const optimizer = tf.train.adam(0.003);
  let s = seed;
  for (let epoch = 0; epoch < 15; epoch++) {
    const perm = Array.from({ length: nTrain }, (_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const j = s % (i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    for (let start = 0; start < nTrain; start += 64) {
      const rows = perm.slice(start, start + 64);
      const xb = new Float32Array(rows.length * d);
      rows.forEach((r, k) => xb.set(train.x.subarray(r * d, (r + 1) * d), k * d));
      tf.tidy(() => {
        const xt = tf.tensor2d(xb, [rows.length, d]);
        const yt = tf.oneHot(
          tf.tensor1d(
            Int32Array.from(rows, (r) => train.y[r]),
            'int32',
          ),
          2,
        );
        optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(yt, tf.log(tf.clipByValue(model.apply(xt) as tf.Tensor, 1e-7, 1))) as tf.Scalar,
        );
      });
    }
  }
  optimizer.dispose();
};

const population = await buildPopulation({
  createModel,
  train: trainModel,
  levels: [0, 0.5, 0.9, 0.97],
  seeds: [1, 2, 3, 4, 5],
  fineTune: {
    data: { x: train.x, shape: [nTrain, d], y: train.y },
    epochs: 2,
    batchSize: 64,
    learningRate: 0.001,
    schedule: 'polynomial',
    frequency: 20,
  },
});

try {
  const report = await auditCompression({
    population: population.levels,
    testSet: {
      inputs: test.x,
      inputShape: [d],
      labels: test.y,
      attributes: {
        female: Array.from(testRows, (r) => (churn.attributes.female[r] ? 'female' : 'male')),
        senior_citizen: Array.from(testRows, (r) => (churn.attributes.senior_citizen[r] ? 'senior' : 'not senior')),
      },
    },
    classNames: ['stays', 'churns'],
    positiveClass: 1,
    gates: { attributes: { senior_citizen: { maxOverIndex: 1.5, maxFnrIncrease: 0.1 } } },
  });
  for (const level of report.levels) {
    if (level.pies.status !== 'ok' || level.accuracy.status !== 'ok') continue;
    console.log(
      `level ${level.key}: top-1 ${level.accuracy.mean.toFixed(3)}, ${level.pies.count} PIEs (${(level.pies.rate * 100).toFixed(1)}%)`,
    );
    if (level.attributes.status === 'ok') {
      for (const row of level.attributes.rows)
        console.log(
          `  ${row.attribute}=${row.value}: over-index ${row.overIndexRatio?.toFixed(2) ?? 'n/a'} (adjusted p ${row.pAdjusted?.toPrecision(2) ?? 'n/a'})`,
        );
    }
    if (level.subgroups.status === 'ok') {
      for (const row of level.subgroups.rows) {
        const pp = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
        console.log(
          `  ${row.attribute}=${row.value}: FPR ${pp(row.baselineFpr)} -> ${pp(row.compressedFpr)}, FNR ${pp(row.baselineFnr)} -> ${pp(row.compressedFnr)}`,
        );
      }
    }
  }
  console.log(`verdict: ${report.verdict}`);
  for (const r of report.gates?.results ?? []) if (r.status !== 'pass') console.log(`  [${r.status}] ${r.reason}`);
  await writeReports(report, out);
  console.log(`reports written to ${out}/`);
} finally {
  disposePopulation(population);
}
