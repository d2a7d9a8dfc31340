/**
 * `npm run bench -- train`: seconds per epoch (10,000 samples) of Adam training, batch 32, of
 * - the small MNIST CNN (28x28x1 conv32-conv64-maxpool-dense128-dense10), and
 * - MobileNetV1 alpha 0.25 on 32x32x3 (depthwise-separable convolutions with batch norm and relu6),
 * on tfjs-wasm as shipped, with only the missing gradient kernels added, with all of pie-audit's
 * composed kernels, on tfjs-cpu (CNN only: one small step, scaled) and on PyTorch (Debian
 * python3-torch, when installed) at 1 and 2 threads, in one run. Writes the `train` section of
 * docs/benchmarks.md.
 */
import { cpuModel } from './lib/machine.js';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { addedWasmKernelConfigs, registerWasmGradientKernels, replacedWasmKernelConfigs } from '../src/engine/wasm-gradients/index.js';
import { writeBenchmarkSection } from './lib/write-section.js';
import { MOBILENET_BLOCKS } from './evaluate_nets.js';

const BATCH = 32;
const EPOCH = 10_000;
const STEPS_PER_EPOCH = EPOCH / BATCH;

interface Net {
  name: string;
  inputShape: [number, number, number];
  build(): tf.LayersModel;
  /** The same architecture in PyTorch (NCHW), as Python source defining `m`. */
  torch: string;
}

const cnn: Net = {
  name: 'CNN 28x28x1 conv32-conv64-pool-dense128-dense10',
  inputShape: [28, 28, 1],
  build: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
        tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 128, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    }),
  torch: `m = nn.Sequential(nn.Conv2d(1,32,3), nn.ReLU(), nn.Conv2d(32,64,3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                  nn.Linear(9216,128), nn.ReLU(), nn.Linear(128,10))`,
};

const ALPHA = 0.25;
const width = (n: number) => Math.max(8, Math.round(n * ALPHA));

const mobilenet: Net = {
  name: 'MobileNetV1 alpha 0.25, 32x32x3',
  inputShape: [32, 32, 3],
  build: () => {
    const input = tf.input({ shape: [32, 32, 3] });
    const bnRelu6 = (t: tf.SymbolicTensor) =>
      tf.layers.reLU({ maxValue: 6 }).apply(tf.layers.batchNormalization().apply(t)) as tf.SymbolicTensor;
    let h = bnRelu6(
      tf.layers
        .conv2d({ filters: width(32), kernelSize: 3, strides: 2, padding: 'same', useBias: false })
        .apply(input) as tf.SymbolicTensor,
    );
    for (const [n, s] of MOBILENET_BLOCKS) {
      h = bnRelu6(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: s, padding: 'same', useBias: false }).apply(h) as tf.SymbolicTensor);
      h = bnRelu6(tf.layers.conv2d({ filters: width(n), kernelSize: 1, useBias: false }).apply(h) as tf.SymbolicTensor);
    }
    h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(h) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out });
  },
  torch: `def blk(i, o, s):
    return [nn.Conv2d(i, i, 3, s, 1, groups=i, bias=False), nn.BatchNorm2d(i), nn.ReLU6(),
            nn.Conv2d(i, o, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU6()]
w = lambda n: max(8, round(n * ${ALPHA}))
layers = [nn.Conv2d(3, w(32), 3, 2, 1, bias=False), nn.BatchNorm2d(w(32)), nn.ReLU6()]
c = w(32)
for n, s in ${JSON.stringify(MOBILENET_BLOCKS)}:
    layers += blk(c, w(n), s); c = w(n)
m = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10))`,
};

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
async function timeSteps(net: Net, steps: number, batch = BATCH, warmUp = true): Promise<StepTiming> {
  const model = net.build();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const xs = tf.randomUniform([batch, ...net.inputShape], 0, 1, 'float32', 1);
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

function timePyTorch(net: Net, threads: number, steps: number): StepTiming | string {
  const [h, w, c] = net.inputShape;
  const script = `
import time, torch, torch.nn as nn
torch.manual_seed(0); torch.set_num_threads(${threads})
${net.torch}
opt = torch.optim.Adam(m.parameters(), 1e-3); lossf = nn.CrossEntropyLoss()
x = torch.rand(${BATCH},${c},${h},${w}); y = torch.randint(0,10,(${BATCH},))
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

interface Row {
  name: string;
  timing: StepTiming | string;
  steps: number;
}

function table(net: Net, rows: Row[], reference: StepTiming): string[] {
  const lines = [
    `### ${net.name}`,
    '',
    '| runtime | steps timed | ms/step (wall) | ms/step (CPU) | s/epoch (wall) | s/epoch (CPU) | CPU time vs wasm + all kernels |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    if (typeof r.timing === 'string') {
      lines.push(`| ${r.name} | - | ${r.timing} | | | | |`);
      continue;
    }
    const { wallMs, cpuMs } = r.timing;
    lines.push(
      `| ${r.name} | ${r.steps} | ${wallMs.toFixed(1)} | ${cpuMs.toFixed(1)} | ${seconds(wallMs)} | ${seconds(cpuMs)} | ${(cpuMs / reference.cpuMs).toFixed(2)}x |`,
    );
  }
  return [...lines, ''];
}

export async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const loadStart = loadavg()[0];
  const rows = new Map<Net, Row[]>([
    [cnn, []],
    [mobilenet, []],
  ]);

  // 1. As shipped: the filter gradient is missing.
  for (const net of [cnn, mobilenet]) {
    let shipped = 'trains';
    try {
      await timeSteps(net, 1);
    } catch (e) {
      shipped = `fails: ${(e as Error).message}`;
    }
    rows.get(net)!.push({ name: 'tfjs-wasm as shipped', timing: shipped, steps: 0 });
  }

  // 2. Only the missing kernels added; the backend's own Conv2DBackpropInput, BatchMatMul, MaxPoolGrad, Tile.
  for (const config of addedWasmKernelConfigs) tf.registerKernel(config);
  for (const net of [cnn, mobilenet]) {
    rows.get(net)!.push({ name: 'tfjs-wasm + missing kernels only', timing: await timeSteps(net, 5), steps: 5 });
  }

  // 3. All composed kernels.
  for (const config of addedWasmKernelConfigs) tf.unregisterKernel(config.kernelName, 'wasm');
  registerWasmGradientKernels();
  const best = new Map<Net, StepTiming>();
  for (const net of [cnn, mobilenet]) {
    const timing = await timeSteps(net, 20);
    best.set(net, timing);
    rows.get(net)!.push({ name: '**tfjs-wasm + all pie-audit kernels**', timing, steps: 20 });
  }

  // 4. tfjs-cpu: its Conv2DBackpropFilter is a scalar JS loop (minutes per batch-32 step), so the
  //    estimate is one batch-8 step times 4.
  tf.setBackend('cpu');
  rows.get(cnn)!.push({ name: 'tfjs-cpu (one batch-8 step x 4)', timing: await timeSteps(cnn, 1, 8, false), steps: 1 });
  tf.setBackend('wasm');

  for (const net of [cnn, mobilenet]) {
    for (const threads of [1, 2]) {
      rows.get(net)!.push({ name: `PyTorch ${threads} thread${threads > 1 ? 's' : ''}`, timing: timePyTorch(net, threads, 20), steps: 20 });
    }
  }

  const torchVersion = spawnSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const lines = [
    '## Training: Adam, batch 32',
    '',
    `Machine: ${cpuModel()}, ${cpus().length} cores, Node ${process.version}, tfjs ${tf.version.tfjs}, PyTorch ${torchVersion || 'not installed'}. ` +
      `Load average (1 min) ${loadStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end: the machine is shared, so wall times are ` +
      'inflated; process CPU time is the steadier figure. Median per step after one warm-up, scaled to 10,000 samples (313 steps). ' +
      'tfjs-wasm runs single-threaded under Node; PyTorch CPU time at 2 threads counts both threads (`OMP_WAIT_POLICY=PASSIVE`).',
    '',
    ...table(cnn, rows.get(cnn)!, best.get(cnn)!),
    ...table(mobilenet, rows.get(mobilenet)!, best.get(mobilenet)!),
    `Kernels added: ${addedWasmKernelConfigs.map((c) => c.kernelName).join(', ')}; replaced by faster compositions: ` +
      `${replacedWasmKernelConfigs.map((c) => c.kernelName).join(', ')} (see docs/training-on-wasm.md).`,
  ];
  const md = lines.join('\n');
  console.log(md);
  writeBenchmarkSection('train', md);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
