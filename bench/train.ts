/**
 * `npm run bench -- train`: seconds per epoch (10,000 samples) of Adam training of the small MNIST CNN
 * (28x28x1 conv32-conv64-maxpool-dense128-dense10, batch 32) on tfjs-wasm as shipped, with only the
 * missing Conv2DBackpropFilter added, with all of pie-audit's composed gradient kernels, on tfjs-cpu
 * (one step), and on PyTorch (Debian python3-torch, when installed) at 1 and 2 threads, in one run.
 * Writes the `train` section of docs/benchmarks.md.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import {
  addedWasmKernelConfigs,
  conv2DBackpropFilterWasmConfig,
  registerWasmGradientKernels,
  replacedWasmKernelConfigs,
} from '../src/engine/wasm-gradients/index.js';
import { writeBenchmarkSection } from './lib/write-section.js';

const BATCH = 32;
const EPOCH = 10_000;
const STEPS_PER_EPOCH = EPOCH / BATCH;

function cnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

interface StepTiming {
  wallMs: number;
  cpuMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median wall and process-CPU milliseconds per training step of `batch` samples, scaled to a step of
 * BATCH samples (convolution and dense costs grow linearly with the batch), after one warm-up step
 * unless `warmUp` is false.
 */
async function timeSteps(steps: number, batch = BATCH, warmUp = true): Promise<StepTiming> {
  const model = cnn();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const xs = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10).toFloat();
  const scale = BATCH / batch;
  try {
    if (warmUp) await model.trainOnBatch(xs, ys);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < steps; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await model.trainOnBatch(xs, ys);
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    return { wallMs: median(wall) * scale, cpuMs: median(cpu) * scale };
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}

function timePyTorch(threads: number, steps: number): StepTiming | string {
  const script = `
import time, torch, torch.nn as nn, resource
torch.manual_seed(0); torch.set_num_threads(${threads})
m = nn.Sequential(nn.Conv2d(1,32,3), nn.ReLU(), nn.Conv2d(32,64,3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                  nn.Linear(9216,128), nn.ReLU(), nn.Linear(128,10))
opt = torch.optim.Adam(m.parameters(), 1e-3); lossf = nn.CrossEntropyLoss()
x = torch.rand(${BATCH},1,28,28); y = torch.randint(0,10,(${BATCH},))
def step():
    opt.zero_grad(); l = lossf(m(x), y); l.backward(); opt.step()
step()
wall=[]; cpu=[]
for _ in range(${steps}):
    c0 = time.process_time(); t0 = time.perf_counter(); step(); wall.append(time.perf_counter()-t0); cpu.append(time.process_time()-c0)
wall.sort(); cpu.sort()
print(wall[len(wall)//2]*1000, cpu[len(cpu)//2]*1000)
`;
  // Passive OpenMP waiting: spin-waiting threads collapse on a shared, loaded machine.
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } });
  if (r.status !== 0) {
    return /No module named 'torch'/.test(r.stderr) ? 'not installed' : `failed: ${r.stderr.trim().split('\n').pop()}`;
  }
  const [wallMs, cpuMs] = r.stdout.trim().split(/\s+/).map(Number);
  return { wallMs, cpuMs };
}

function seconds(ms: number): string {
  const s = (ms * STEPS_PER_EPOCH) / 1000;
  return s >= 100 ? s.toFixed(0) : s.toFixed(1);
}

export async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const rows: { name: string; timing: StepTiming | string; steps: number }[] = [];

  // 1. As shipped: the filter gradient is missing.
  let shipped = 'trains';
  try {
    await timeSteps(1);
  } catch (e) {
    shipped = `fails: ${(e as Error).message}`;
  }
  rows.push({ name: 'tfjs-wasm as shipped', timing: shipped, steps: 0 });

  // 2. Only the missing kernel added; the backend's own Conv2DBackpropInput and BatchMatMul.
  tf.registerKernel(conv2DBackpropFilterWasmConfig);
  rows.push({ name: 'tfjs-wasm + Conv2DBackpropFilter only', timing: await timeSteps(5), steps: 5 });

  // 3. All composed kernels.
  tf.unregisterKernel(conv2DBackpropFilterWasmConfig.kernelName, 'wasm');
  registerWasmGradientKernels();
  rows.push({ name: 'tfjs-wasm + all pie-audit kernels', timing: await timeSteps(20), steps: 20 });

  // 4. tfjs-cpu: its Conv2DBackpropFilter is a scalar JS loop (minutes per batch-32 step), so the
  //    estimate is one batch-8 step times 4.
  tf.setBackend('cpu');
  rows.push({ name: 'tfjs-cpu (one batch-8 step x 4)', timing: await timeSteps(1, 8, false), steps: 1 });
  tf.setBackend('wasm');

  for (const threads of [1, 2]) rows.push({ name: `PyTorch ${threads} thread${threads > 1 ? 's' : ''}`, timing: timePyTorch(threads, 20), steps: 20 });

  const best = rows[2].timing as StepTiming;
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const lines = [
    '## Training: small CNN, Adam, batch 32',
    '',
    `Machine: ${cpuModel}, ${cpus().length} cores, Node ${process.version}, tfjs ${tf.version.tfjs}; ` +
      `load average at the end ${loadavg()[0].toFixed(1)} (the machine was shared, so wall times are inflated; ` +
      'process CPU time is the steadier figure). Median per step, scaled to 10,000 samples (313 steps).',
    '',
    '| runtime | steps timed | ms/step (wall) | ms/step (CPU) | s/epoch (wall) | s/epoch (CPU) | CPU time vs wasm + kernels |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    if (typeof r.timing === 'string') {
      lines.push(`| ${r.name} | - | ${r.timing} | | | | |`);
      continue;
    }
    const { wallMs, cpuMs } = r.timing;
    lines.push(
      `| ${r.name} | ${r.steps} | ${wallMs.toFixed(1)} | ${cpuMs.toFixed(1)} | ${seconds(wallMs)} | ${seconds(cpuMs)} | ${(cpuMs / best.cpuMs).toFixed(2)}x |`,
    );
  }
  lines.push(
    '',
    'tfjs-wasm runs single-threaded under Node; PyTorch CPU time at 2 threads counts both threads. ' +
      `Kernels added: ${addedWasmKernelConfigs.map((c) => c.kernelName).join(', ')}; replaced by faster compositions: ` +
      `${replacedWasmKernelConfigs.map((c) => c.kernelName).join(', ')} (see docs/training-on-wasm.md).`,
  );
  const md = lines.join('\n');
  console.log(md);
  writeBenchmarkSection('train', md);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
