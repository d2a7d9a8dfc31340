import * as tf from '@tensorflow/tfjs';
import { auditCompression } from '../audit/audit-compression.js';
import type { AuditReport } from '../schema/index.js';
import { longTailIndices, takeRows } from '../data/long-tail.js';
import { loadMnist } from '../data/mnist.js';
import { seededRandom } from '../random/seeded-random.js';
import { measureDigits } from '../data/morpho-mnist.js';
import { morphoGroups } from '../data/morpho-groups.js';
import { seededPermutation } from '../random/seeded-permutation.js';
import { initBackend } from '../engine/backend.js';
import { buildPopulation, type PopulationProgress } from '../population/build-population.js';
import { disposePopulation, type Population } from '../population/population.js';
import { writeReports } from '../report/write-reports.js';
import type { Progress } from './progress.js';
import { formatAttributeSummary } from './attribute-summary.js';
import { formatSummary } from './summary.js';

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
}

/**
 * The recipe of `pie-audit demo` (k models per level, default 5) and of `--quick`.
 * @example
 * demoRecipe({ models: 3 }).seeds; // [1, 2, 3]
 */
export function demoRecipe(options: { models?: number; quick?: boolean } = {}): DemoRecipe {
  const k = options.models ?? (options.quick ? 2 : 5);
  const seeds = Array.from({ length: k }, (_, i) => i + 1);
  if (options.quick) {
    return { longTailDigit: 8, keepFraction: 0.05, hidden: [32], epochs: 1, trainSubset: 3000, learningRate: 0.002, fineTuneEpochs: 1, fineTuneSubset: 1000, fineTuneLearningRate: 0.0005, batchSize: 128, levels: [0, 0.5, 0.9], seeds, testSubset: 1000, denseClassifier: true };
  }
  return { longTailDigit: 8, keepFraction: 0.05, hidden: [128], epochs: 3, trainSubset: null, learningRate: 0.001, fineTuneEpochs: 2, fineTuneSubset: 12000, fineTuneLearningRate: 0.0002, batchSize: 128, levels: [0, 0.3, 0.5, 0.7, 0.9, 0.99], seeds, testSubset: null, denseClassifier: true };
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Folder for the reports (created). */
  out: string;
  /** Models per level (default 5; 2 with `quick`). */
  models?: number;
  quick?: boolean;
  /** Replace parts of the recipe (used to tune and to test). */
  recipe?: Partial<DemoRecipe>;
  /** Inference runtime for the audit: 'auto' (ONNX Runtime when installed, else tfjs), 'tfjs' or 'onnx'. */
  runtime?: 'auto' | 'tfjs' | 'onnx';
  progress: Progress;
  print: (text: string) => void;
}

function createMlp(hidden: number[]): (seed: number) => tf.LayersModel {
  return (seed) => {
    const model = tf.sequential();
    // Images in, so reports can show PIE thumbnails; Flatten costs nothing.
    model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
    hidden.forEach((units, i) => model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + i }) })));
    model.add(tf.layers.dense({ name: `classifier_${seed}`, units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 99 }) }));
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

/** What {@link buildDemoPopulation} returns: the pruned population and the test images it is audited on. */
export interface DemoPopulation {
  population: Population;
  testImages: Float32Array;
  testLabels: Uint8Array;
  classNames: string[];
}

/**
 * The demo's data and population without the audit: MNIST with the long-tail digit, k MLPs trained
 * with fixed seeds, each pruned to every level with fine-tuning. Used by {@link runDemo} and by the
 * checks that compare runtimes on the demo's own models. The caller disposes the population.
 *
 * @example
 * const quiet = { update() {}, log() {}, done() {} };
 * const { population, testImages } = await buildDemoPopulation(demoRecipe({ quick: true }), quiet);
 * disposePopulation(population);
 */
export async function buildDemoPopulation(recipe: DemoRecipe, progress: Progress, elapsed: () => string = () => ''): Promise<DemoPopulation> {
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
  progress.log(`demo: ${rows.length} training images, digit ${recipe.longTailDigit} kept at ${kept} images (${(recipe.keepFraction * 100).toFixed(0)}%); MLP 784-${recipe.hidden.join('-')}-10, ${recipe.seeds.length} models x ${recipe.levels.length} levels`);

  const population = await buildPopulation({
    createModel: createMlp(recipe.hidden),
    train: trainer(trainSet.rows, trainLabels, recipe),
    levels: recipe.levels,
    seeds: recipe.seeds,
    fineTune: {
      data: { x: fine.rows, shape: [fineRows.length, 28, 28, 1], y: fine.labels as Uint8Array },
      epochs: recipe.fineTuneEpochs,
      batchSize: recipe.batchSize,
      learningRate: recipe.fineTuneLearningRate,
      schedule: 'polynomial',
      frequency: Math.max(1, Math.floor((recipe.fineTuneEpochs * Math.ceil(fineRows.length / recipe.batchSize)) / 10)),
      ...(recipe.denseClassifier ? { pruneLayer: (l: { name: string }) => !l.name.startsWith('classifier_') } : {}),
    },
    onProgress: (p) => progress.update('building population', p.completed, p.total, `${describeStep(p)}, ${elapsed()}`),
  });
  let testImages = test.images;
  let testLabels = test.labels;
  if (recipe.testSubset !== null && recipe.testSubset < test.n) {
    const pick = seededPermutation(test.n, seededRandom(4)).subarray(0, recipe.testSubset).sort();
    const sub = takeRows(test.images, 784, pick, test.labels);
    testImages = sub.rows;
    testLabels = sub.labels as Uint8Array;
  }
  return { population, testImages, testLabels, classNames: test.classNames };
}

/**
 * The bundled demo: MNIST with one digit made rare (a seeded 5% of its training images kept), k MLPs
 * trained with fixed seeds, each pruned to every sparsity level with fine-tuning (buildPopulation),
 * all evaluated on the 10,000 test images and audited. Writes report.json/.md/.html and CSVs to
 * `out` and prints the summary.
 *
 * @example
 * const report = await runDemo({ out: 'pie-audit-demo', progress: createProgress(), print: (t) => process.stdout.write(t) });
 */
export async function runDemo(options: DemoOptions): Promise<AuditReport> {
  const recipe = { ...demoRecipe(options), ...options.recipe };
  const started = Date.now();
  const { progress, print } = options;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const { population, testImages, testLabels, classNames } = await buildDemoPopulation(recipe, progress, elapsed);
  progress.done();
  progress.log(`demo: population built in ${elapsed()}`);
  try {
    const members: Record<string, Array<{ model: tf.LayersModel; id: string; sparsity: number }>> = {};
    for (const [key, models] of Object.entries(population.levels)) {
      members[key] = models.map((model, i) => ({ model, id: `${population.modelNames[key][i]}@${key}`, sparsity: population.measuredSparsity[key][i] }));
    }
    // Morpho-MNIST-style shape groups of the test digits, binned within each digit, audited like CelebA attributes.
    const attributes = morphoGroups(measureDigits(testImages), { labels: testLabels });
    const report = await auditCompression({
      population: members,
      testSet: { inputs: testImages, inputShape: [28, 28, 1], labels: testLabels, attributes },
      classNames,
      baseline: 0,
      backend: 'auto',
      runtime: options.runtime ?? 'auto',
      maxExemplars: 12,
      seed: 1,
      onProgress: (e) => {
        // One step per finished model: batches of small MLPs go by too fast to be worth a line each.
        if (e.phase === 'evaluate' && e.batch >= e.batches) progress.update('evaluating models', e.model + 1, e.models, `model ${e.model + 1}/${e.models}, ${elapsed()}`);
      },
    });
    progress.done();
    const written = await writeReports(report, options.out);
    print(formatSummary(report));
    print(`long-tail digit ${recipe.longTailDigit}: ${describeDigit(report, recipe.longTailDigit)}\n`);
    print(formatAttributeSummary(report));
    print(`demo finished in ${elapsed()}; ${written.length} files in ${options.out}/ (open report.html)\n`);
    return report;
  } finally {
    disposePopulation(population);
  }
}

/** What a finished population step did; level 0 is fine-tuned like the others but not pruned. */
function describeStep(p: PopulationProgress): string {
  if (p.phase === 'train') return `seed ${p.seed} trained`;
  const level = p.level ?? 0;
  return level === 0 ? `seed ${p.seed} fine-tuned unpruned (level 0)` : `seed ${p.seed} pruned to ${Math.round(level * 1000) / 10}% and fine-tuned`;
}

/** Where the long-tail digit stands at each level (for the printed summary). */
function describeDigit(report: AuditReport, digit: number): string {
  const parts: string[] = [];
  for (const level of report.levels) {
    if (level.classImpact.status !== 'ok') continue;
    const row = level.classImpact.rows[digit];
    const change = row.normalizedRecallChange === null ? 'n/a' : `${(row.normalizedRecallChange * 100).toFixed(1)} pp`;
    parts.push(`${level.key}: ${change}${row.direction === 'hurt' ? ' (significantly hurt)' : row.direction === 'helped' ? ' (significantly helped)' : ''}`);
  }
  return `normalised recall change ${parts.join('; ')}`;
}
