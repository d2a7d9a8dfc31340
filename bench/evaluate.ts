/**
 * Evaluation throughput (samples/s) of the MLP, CNN and MobileNetV1-like nets on every runtime, in
 * one run, runtimes interleaved, medians of 5:
 *   tfjs-wasm, tfjs-cpu, onnxruntime-node on the graph exported by src/onnx (the default path for
 *   tfjs models: createOnnxLayersPredictor), onnxruntime-node on a hand-written graph
 *   (bench/evaluate_handwritten.ts), and PyTorch CPU with 2 threads (bench/evaluate_torch.py).
 * Also: a population of 4 models evaluated one after another with 2-thread sessions versus
 * evaluateManyOnnx (two single-thread worker sessions side by side).
 *
 * `npx tsx bench/evaluate.ts` (BENCH_SCALE=0.25 for a quick look). Writes docs/benchmarks.md#evaluate.
 */
import { cpuModel } from './lib/machine.js';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createOnnxLayersPredictor, createOnnxSessionPredictor, evaluateManyOnnx } from '../src/evaluate/onnx/index.js';
import type { Predictor } from '../src/evaluate/predictor.js';
import { writeBenchmarkSection } from './lib/write-section.js';
import { handwrittenCnn, handwrittenMlp } from './evaluate_handwritten.js';
import { buildNet, NET_SHAPES, randomizeNetWeights } from './evaluate_nets.js';
import type { NetName } from './evaluate_nets.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPS = 5;
const NETS: NetName[] = ['mlp', 'cnn', 'mobilenet'];
const BATCHES = [256, 1024];
/** Examples scored per timed run (per runtime, net and batch size). */
const SAMPLES: Record<NetName, number> = { mlp: 16384, cnn: 2048, mobilenet: 4096 };
/** tfjs-cpu is ~50 samples/s on the CNN: it gets one small batch (and the MLP a reduced count). */
const CPU_LIMIT: Record<NetName, { samples: number; batch?: number }> = {
  mlp: { samples: 2048 },
  cnn: { samples: 32, batch: 32 },
  mobilenet: { samples: 256, batch: 256 },
};
const POPULATION = 4;
const LABELS: Record<NetName, string> = {
  mlp: 'MLP 784-256-128-10',
  cnn: 'CNN 28x28x1 (conv32-conv64-pool-dense128-dense10)',
  mobilenet: 'MobileNetV1 a=0.25, 32x32x3',
};

type Runtime = 'tfjs-wasm' | 'tfjs-cpu' | 'ort-exported' | 'ort-handwritten' | 'pytorch';
const RUNTIMES: Runtime[] = ['tfjs-wasm', 'tfjs-cpu', 'ort-exported', 'ort-handwritten', 'pytorch'];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const scaled = (n: number, batch: number): number => Math.max(batch, Math.round((n * SCALE) / batch) * batch);

/** A persistent PyTorch process answering timing requests (so it can be interleaved). */
class TorchPeer {
  private readonly proc = spawn('/usr/bin/python3', ['bench/evaluate_torch.py'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  private readonly lines = createInterface({ input: this.proc.stdout! })[Symbol.asyncIterator]();
  async ask(request: string): Promise<string> {
    this.proc.stdin!.write(`${request}\n`);
    const { value, done } = await this.lines.next();
    if (done || value.startsWith('error')) throw new Error(`PyTorch peer: ${done ? 'exited' : value}`);
    return value;
  }
  async seconds(net: NetName, batch: number, samples: number): Promise<number> {
    return Number(await this.ask(`time ${net} ${batch} ${samples}`));
  }
  close(): void {
    this.proc.stdin!.end('quit\n');
  }
}

/** Seconds for tfjs (current backend) to score `samples` rows in batches, the fast way (no predict re-batching). */
function tfjsSeconds(model: tf.LayersModel, x: Float32Array, batch: number, samples: number): number {
  const dims = inputDims(model);
  const size = dims.reduce((a, b) => a * b, 1);
  const start = performance.now();
  for (let i = 0; i < samples; i += batch) {
    const rows = Math.min(batch, samples - i);
    tf.tidy(() => (model.predictOnBatch(tf.tensor(x.subarray(i * size, (i + rows) * size), [rows, ...dims])) as tf.Tensor).dataSync());
  }
  return (performance.now() - start) / 1000;
}

function inputDims(model: tf.LayersModel): number[] {
  return model.inputs[0].shape.slice(1) as number[];
}

async function predictorSeconds(p: Predictor, x: Float32Array, size: number, batch: number, samples: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < samples; i += batch) {
    const rows = Math.min(batch, samples - i);
    await p.predict(x.subarray(i * size, (i + rows) * size), rows);
  }
  return (performance.now() - start) / 1000;
}

function relError(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

function machine(torchVersion: string): string {
  const cpu = cpuModel();
  const req = createRequire(import.meta.url);
  const version = (pkg: string): string => (req(`${pkg}/package.json`) as { version: string }).version;
  return `${cpu}, ${availableParallelism()} cores, Node ${process.version}, tfjs ${version('@tensorflow/tfjs')}, onnxruntime-node ${version('onnxruntime-node')}, onnx-proto ${version('onnx-proto')}, PyTorch ${torchVersion}`;
}

const fmt = (v: number | undefined): string => (v === undefined ? '-' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`;

export async function main(): Promise<void> {
  const load0 = loadavg();
  const torch = new TorchPeer();
  const torchInfo = JSON.parse(await torch.ask('info')) as { torch: string; threads: number };
  await tf.setBackend('wasm');

  // One model per net, same weights on every runtime (PyTorch has its own, same shapes).
  const models = Object.fromEntries(
    NETS.map((n) => {
      const m = buildNet(n);
      randomizeNetWeights(m, 1);
      return [n, m];
    }),
  ) as Record<NetName, tf.LayersModel>;
  const data = Object.fromEntries(
    NETS.map((n) => {
      const size = NET_SHAPES[n].input.reduce((a, b) => a * b, 1);
      let s = 12345;
      const x = new Float32Array(scaled(SAMPLES[n], 1024) * size).map(() => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
      return [n, x];
    }),
  ) as Record<NetName, Float32Array>;
  const exported: Record<string, Predictor> = {};
  const handwritten: Record<string, Predictor> = {};
  const accuracy: string[] = [];
  for (const n of NETS) {
    const r = await createOnnxLayersPredictor(models[n]);
    if (!('predictor' in r)) throw new Error(`${n}: ${r.fallbackReason}`);
    exported[n] = r.predictor;
    const size = NET_SHAPES[n].input.reduce((a, b) => a * b, 1);
    const probe = data[n].subarray(0, 64 * size);
    const ref = tf.tidy(
      () => (models[n].predictOnBatch(tf.tensor(probe, [64, ...NET_SHAPES[n].input])) as tf.Tensor).dataSync() as Float32Array,
    );
    let line = `${LABELS[n]}: exported vs tfjs-wasm ${relError(await exported[n].predict(probe, 64), ref).toExponential(1)}`;
    if (n !== 'mobilenet') {
      handwritten[n] = await createOnnxSessionPredictor(n === 'mlp' ? handwrittenMlp(models[n]) : handwrittenCnn(models[n]));
      line += `, hand-written vs tfjs-wasm ${relError(await handwritten[n].predict(probe, 64), ref).toExponential(1)}`;
    }
    accuracy.push(`- ${line} (max abs difference / max abs score, 64 inputs)`);
  }

  const seconds: Record<string, number[]> = {};
  const record = (key: string, s: number, samples: number) => (seconds[key] ??= []).push(samples / s);
  const population: Record<string, { sequential: number[]; workers: number[] }> = {};
  const populationModels = Object.fromEntries(
    NETS.map((n) => [
      n,
      Array.from({ length: POPULATION }, (_, i) => {
        const m = buildNet(n);
        randomizeNetWeights(m, 100 + i);
        return m;
      }),
    ]),
  ) as Record<NetName, tf.LayersModel[]>;

  for (let rep = -1; rep < REPS; rep++) {
    // rep -1 warms every runtime up and is not recorded.
    for (const n of NETS) {
      const size = NET_SHAPES[n].input.reduce((a, b) => a * b, 1);
      for (const batch of BATCHES) {
        const samples = scaled(SAMPLES[n], batch);
        // The order rotates every run so no runtime always follows the same one (cache, thread-pool wake-ups).
        const order = RUNTIMES.map((_, i) => RUNTIMES[(i + rep + 1) % RUNTIMES.length]);
        for (const rt of order) {
          const key = `${n}|${batch}|${rt}`;
          let s: number;
          let count = samples;
          if (rt === 'tfjs-wasm') {
            s = tfjsSeconds(models[n], data[n], batch, samples);
          } else if (rt === 'tfjs-cpu') {
            const limit = CPU_LIMIT[n];
            if (limit.batch !== undefined && batch !== BATCHES[0]) continue; // one small batch size only
            count = limit.batch ?? Math.min(samples, Math.max(batch, limit.samples));
            await tf.setBackend('cpu');
            s = tfjsSeconds(models[n], data[n], limit.batch ?? batch, count);
            await tf.setBackend('wasm');
          } else if (rt === 'ort-exported') {
            s = await predictorSeconds(exported[n], data[n], size, batch, samples);
          } else if (rt === 'ort-handwritten') {
            if (!handwritten[n]) continue;
            s = await predictorSeconds(handwritten[n], data[n], size, batch, samples);
          } else {
            s = await torch.seconds(n, batch, samples);
          }
          if (rep >= 0) record(key, s, count);
        }
      }
      // Population: POPULATION models, one after another on 2-thread sessions vs evaluateManyOnnx.
      const samples = scaled(SAMPLES[n], 1024);
      let start = performance.now();
      for (const m of populationModels[n]) {
        const r = await createOnnxLayersPredictor(m);
        if (!('predictor' in r)) throw new Error(r.fallbackReason);
        await predictorSeconds(r.predictor, data[n], size, 1024, samples);
        await r.predictor.dispose();
      }
      const sequential = (performance.now() - start) / 1000;
      start = performance.now();
      const results = await evaluateManyOnnx(populationModels[n], data[n].subarray(0, samples * size), samples, { batchSize: 1024 });
      const workers = (performance.now() - start) / 1000;
      if (results.some((r) => !('scores' in r))) throw new Error('evaluateManyOnnx fell back');
      if (rep >= 0) {
        population[n] ??= { sequential: [], workers: [] };
        population[n].sequential.push((POPULATION * samples) / sequential);
        population[n].workers.push((POPULATION * samples) / workers);
      }
      console.log(`rep ${rep} ${n} done`);
    }
  }
  torch.close();
  const load1 = loadavg();

  const get = (n: NetName, b: number, rt: Runtime): number | undefined =>
    seconds[`${n}|${b}|${rt}`] ? median(seconds[`${n}|${b}|${rt}`]) : undefined;
  // Best of the runs: on a shared machine the least-disturbed run is the closest to the uncontended speed.
  const best = (n: NetName, b: number, rt: Runtime): number | undefined =>
    seconds[`${n}|${b}|${rt}`] ? Math.max(...seconds[`${n}|${b}|${rt}`]) : undefined;
  const rows: string[] = [];
  const bestRows: string[] = [];
  for (const n of NETS) {
    for (const b of BATCHES) {
      const cpu = get(n, CPU_LIMIT[n].batch !== undefined ? BATCHES[0] : b, 'tfjs-cpu');
      const cpuNote = CPU_LIMIT[n].batch !== undefined ? ` (1 batch of ${CPU_LIMIT[n].batch})` : '';
      const [wasm, exp, hand, pt] = (['tfjs-wasm', 'ort-exported', 'ort-handwritten', 'pytorch'] as Runtime[]).map((rt) => get(n, b, rt));
      rows.push(
        `| ${LABELS[n]} | ${b} | ${fmt(wasm)} | ${fmt(cpu)}${cpuNote} | **${fmt(exp)}** | ${fmt(hand)} | ${fmt(pt)} | ${ratio(exp, pt)} | ${ratio(wasm, pt)} | ${ratio(hand, exp)} |`,
      );
      const [bExp, bHand, bPt] = (['ort-exported', 'ort-handwritten', 'pytorch'] as Runtime[]).map((rt) => best(n, b, rt));
      bestRows.push(`| ${LABELS[n]} | ${b} | ${fmt(bExp)} | ${fmt(bHand)} | ${fmt(bPt)} | ${ratio(bExp, bPt)} | ${ratio(bHand, bExp)} |`);
    }
  }
  const popRows = NETS.map((n) => {
    const seq = median(population[n].sequential);
    const wk = median(population[n].workers);
    const seqBest = Math.max(...population[n].sequential);
    const wkBest = Math.max(...population[n].workers);
    return `| ${LABELS[n]} | ${fmt(seq)} (${fmt(seqBest)}) | ${fmt(wk)} (${fmt(wkBest)}) | ${(wk / seq).toFixed(2)}x (${(wkBest / seqBest).toFixed(2)}x) |`;
  });
  const md = [
    '## Evaluation throughput (samples/s)',
    '',
    `Machine: ${machine(torchInfo.torch)}. Load average (1 min) ${load0[0].toFixed(1)} at start, ${load1[0].toFixed(1)} at end` +
      ' (the machine is shared; a load above the core count slows every runtime, multi-threaded ones most).',
    `Medians of ${REPS} interleaved runs (runtime order rotated each run) after one warm-up; random uniform inputs; ${SAMPLES.mlp * SCALE}/${SAMPLES.cnn * SCALE}/${SAMPLES.mobilenet * SCALE} examples per timed run (MLP/CNN/MobileNet).`,
    'ORT = onnxruntime-node, 2 intra-op threads, graph optimization "all", spin-wait on (its default); "exported" is the default path for tfjs models',
    '(`createOnnxLayersPredictor`: the LayersModel exported in memory by src/onnx); "hand-written" is a graph built by hand with onnx-proto',
    '(bench/evaluate_handwritten.ts; MLP and CNN only). PyTorch: `torch.set_num_threads(2)`, eval + inference_mode, NCHW inputs,',
    "`OMP_WAIT_POLICY=PASSIVE` (OpenMP spin-waiting collapses under a shared machine's load). tfjs-cpu is limited to one small batch on the conv nets.",
    '',
    '| net | batch | tfjs-wasm | tfjs-cpu | ORT exported | ORT hand-written | PyTorch 2 thr | ORT exported / PyTorch | tfjs-wasm / PyTorch | hand-written / exported |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Best of the ${REPS} runs (the least disturbed run; closer to the uncontended speed on a shared machine):`,
    '',
    '| net | batch | ORT exported | ORT hand-written | PyTorch 2 thr | ORT exported / PyTorch | hand-written / exported |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...bestRows,
    '',
    'Agreement of the ORT outputs with tfjs-wasm on the same weights:',
    '',
    ...accuracy,
    '',
    `### A population of ${POPULATION} models (batch 1024, export and session setup included; median, best of ${REPS} in parentheses)`,
    '',
    '| net | one after another, 2-thread sessions | `evaluateManyOnnx`: 2 workers x 1 thread | workers / sequential |',
    '| --- | ---: | ---: | ---: |',
    ...popRows,
  ].join('\n');
  console.log(md);
  writeBenchmarkSection('evaluate', md);
  for (const p of [...Object.values(exported), ...Object.values(handwritten)]) await p.dispose();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
