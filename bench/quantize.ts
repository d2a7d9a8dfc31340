/**
 * int8-full on real int8 kernels: the tfjs quantize-dequantize simulation against onnxruntime running
 * the exported QDQ graph, on the 10,000 MNIST test images. Agreement (top-1, largest output
 * difference), accuracy, stored weight bytes, and speed of both beside the float32 model on each runtime.
 *
 * `npx tsx bench/quantize.ts` or `npm run bench -- quantize`. Writes docs/benchmarks.md#quantize.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { quantizeModel, type QuantizedModel } from '../src/compress/quantize-model.js';
import { loadMnist } from '../src/data/mnist.js';
import { initBackend } from '../src/engine/backend.js';
import { exportLayersModelToOnnx } from '../src/onnx/export-layers-model.js';
import { mulberry32 } from '../src/random/mulberry32.js';
import { seededPermutation } from '../src/random/seeded-permutation.js';
import { cpuModel } from './lib/machine.js';
import { writeBenchmarkSection } from './lib/write-section.js';

const TRAIN = 20000;
const BATCH = 1000;

function nets(): Array<[string, () => tf.LayersModel]> {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return [
    [
      'MLP 784-128-10 (the demo net)',
      () =>
        tf.sequential({
          layers: [
            tf.layers.flatten({ inputShape: [28, 28, 1] }),
            tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init(1) }),
            tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(2) }),
          ],
        }),
    ],
    [
      'CNN conv8/2-depthwise3-pool-dense10',
      () =>
        tf.sequential({
          layers: [
            tf.layers.conv2d({
              inputShape: [28, 28, 1],
              filters: 8,
              kernelSize: 3,
              strides: 2,
              activation: 'relu',
              kernelInitializer: init(3),
            }),
            tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: init(4) }),
            tf.layers.maxPooling2d({ poolSize: 2 }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(5) }),
          ],
        }),
    ],
  ];
}

function argmax(scores: Float32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) for (let c = 1; c < 10; c++) if (scores[i * 10 + c] > scores[i * 10 + out[i]]) out[i] = c;
  return out;
}

/** Scores and median samples/s over 3 passes of the test set. */
async function timed(run: () => Promise<Float32Array>, n: number): Promise<{ scores: Float32Array; perSecond: number }> {
  let scores = await run();
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    scores = await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { scores, perSecond: n / (times[1] / 1000) };
}

function tfjsRunner(model: tf.LayersModel, x: Float32Array, n: number): () => Promise<Float32Array> {
  return async () => {
    const out = new Float32Array(n * 10);
    for (let s = 0; s < n; s += BATCH)
      out.set(
        tf.tidy(() => (model.predict(tf.tensor4d(x.subarray(s * 784, (s + BATCH) * 784), [BATCH, 28, 28, 1])) as tf.Tensor).dataSync()),
        s * 10,
      );
    return out;
  };
}

async function ortRunner(model: tf.LayersModel, x: Float32Array, n: number): Promise<() => Promise<Float32Array>> {
  const session = await ort.InferenceSession.create(exportLayersModelToOnnx(model), {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: 2,
  });
  return async () => {
    const out = new Float32Array(n * 10);
    for (let s = 0; s < n; s += BATCH) {
      const r = await session.run({
        [session.inputNames[0]]: new ort.Tensor('float32', x.subarray(s * 784, (s + BATCH) * 784), [BATCH, 28, 28, 1]),
      });
      out.set(r[session.outputNames[0]].data as Float32Array, s * 10);
    }
    return out;
  };
}

async function trainBriefly(model: tf.LayersModel, x: Float32Array, y: Int32Array): Promise<void> {
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'sparseCategoricalCrossentropy' });
  const xs = tf.tensor4d(x, [y.length, 28, 28, 1]);
  const ys = tf.tensor1d(y, 'float32');
  await model.fit(xs, ys, { epochs: 1, batchSize: 128, verbose: 0 });
  xs.dispose();
  ys.dispose();
}

async function benchNet(
  name: string,
  make: () => tf.LayersModel,
  train: { x: Float32Array; y: Int32Array },
  test: { x: Float32Array; y: Uint8Array },
): Promise<string[]> {
  const n = test.y.length;
  const model = make();
  await trainBriefly(model, train.x, train.y);
  const accuracy = (labels: Int32Array): string => `${((labels.filter((c, i) => c === test.y[i]).length / n) * 100).toFixed(2)}%`;
  const floatTf = await timed(tfjsRunner(model, test.x, n), n);
  const floatOrt = await timed(await ortRunner(model, test.x, n), n);
  const raw = model.getWeights().reduce((a, w) => a + w.size * 4, 0);
  const rows = [
    row([
      name,
      'float32',
      '-',
      accuracy(argmax(floatTf.scores, n)),
      raw,
      fmt(floatTf.perSecond),
      fmt(floatOrt.perSecond),
      ratio(floatOrt, floatTf),
    ]),
  ];
  for (const weightBits of [8, 7] as const) {
    const q: QuantizedModel = await quantizeModel(model, {
      mode: 'int8-full',
      representativeData: { x: train.x.subarray(0, 200 * 784), shape: [200, 28, 28, 1] },
      calibration: 'minmax',
      weightBits,
    });
    const sim = await timed(tfjsRunner(q.model, test.x, n), n);
    const int8 = await timed(await ortRunner(q.model, test.x, n), n);
    const a = argmax(sim.scores, n);
    const b = argmax(int8.scores, n);
    let maxDiff = 0;
    for (let i = 0; i < sim.scores.length; i++) maxDiff = Math.max(maxDiff, Math.abs(sim.scores[i] - int8.scores[i]));
    const top1 = ((a.filter((c, i) => c === b[i]).length / n) * 100).toFixed(2);
    const quanta = Math.round(maxDiff * 256); // the softmax output's scale is 1/256
    const agree = `${top1}%, max diff ${maxDiff.toFixed(4)} (${quanta} ${quanta === 1 ? 'quantum' : 'quanta'})`;
    rows.push(
      row([
        name,
        `int8-full, ${weightBits}-bit weights`,
        agree,
        `${accuracy(a)} / ${accuracy(b)}`,
        q.storedBytes,
        fmt(sim.perSecond),
        fmt(int8.perSecond),
        ratio(int8, sim),
      ]),
    );
    console.log(rows.at(-1));
    q.model.dispose();
  }
  model.dispose();
  return rows;
}

const fmt = (v: number): string => Math.round(v).toLocaleString('en-US');
const row = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;
const ratio = (a: { perSecond: number }, b: { perSecond: number }): string => `${(a.perSecond / b.perSecond).toFixed(1)}x`;

/** Trains both nets, measures, and rewrites the section. */
export async function main(): Promise<void> {
  await initBackend({ backend: 'wasm' });
  const t = loadMnist('train');
  const pick = seededPermutation(t.n, mulberry32(11)).subarray(0, TRAIN);
  const train = { x: new Float32Array(TRAIN * 784), y: new Int32Array(TRAIN) };
  pick.forEach((r, i) => {
    train.x.set(t.images.subarray(r * 784, (r + 1) * 784), i * 784);
    train.y[i] = t.labels[r];
  });
  const test = loadMnist('test');
  const rows: string[] = [];
  for (const [name, make] of nets()) rows.push(...(await benchNet(name, make, train, { x: test.images, y: test.labels })));
  writeBenchmarkSection(
    'quantize',
    [
      '## int8-full: tfjs simulation vs onnxruntime int8 kernels',
      '',
      `Trained 1 epoch on ${TRAIN.toLocaleString('en-US')} MNIST images; calibrated on 200 of them (minmax); ` +
        `scored on the 10,000 test images, batch ${BATCH}.`,
      'Agreement is tfjs simulation vs onnxruntime; accuracy is test top-1 (simulation / onnxruntime for int8); ' +
        'speed is samples/s, median of 3 passes.',
      'onnxruntime runs the QDQ graph with graph optimizations on (QDQ fused into its int8 kernels), 2 threads; tfjs runs on wasm.',
      `${cpuModel()}, ${cpus().length} cores, load ${loadavg()[0].toFixed(2)} at the end.`,
      '',
      row(
        ['net', 'weights', 'top-1 agreement, largest output difference', 'accuracy', 'stored weight bytes'].concat([
          'tfjs samples/s',
          'onnxruntime samples/s',
          'onnxruntime / tfjs',
        ]),
      ),
      '| --- | --- | --- | --- | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n'),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
