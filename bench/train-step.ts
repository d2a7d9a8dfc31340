/**
 * `npm run bench -- train-step`: where one epoch of the demo's baseline training goes on tfjs-wasm
 * (MLP 784-128-10, Adam, batch 128, 10,000 MNIST training images, the demo recipe's own trainer), from
 * tf.profile's per-kernel times: the time inside kernels by kernel, the time outside them (dispatch, tape,
 * batch building) and the kernels per step, next to the same epoch in PyTorch on 1 thread
 * (bench/train_step_torch.py, Debian python3-torch). Writes the `train-step` section of docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../src/data/mnist.js';
import { encodeNpy } from '../src/data/npy.js';
import { createRecipe, demoRecipe } from '../src/distribute/demo-recipe.js';
import { cpuModel } from './lib/machine.js';
import { writeBenchmarkSection } from './lib/write-section.js';

const IMAGES = 10_000;

export async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  // One epoch over the first 10,000 long-tail training images, with the demo's trainer and model.
  const recipe = await createRecipe({ ...demoRecipe({ models: 1 }), epochs: 1, trainSubset: IMAGES });
  const steps = Math.ceil(IMAGES / 128);
  const warm = recipe.createModel(1);
  await recipe.train(warm, 1); // first epoch: kernel compilation and allocation
  const model = recipe.createModel(2);
  const started = performance.now();
  const profile = await tf.profile(() => recipe.train(model, 2));
  const wall = (performance.now() - started) / 1000;
  warm.dispose();
  model.dispose();
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  const inKernels = [...byKernel.values()].reduce((a, b) => a + b, 0) / 1000;
  const unprofiled = performance.now();
  const again = recipe.createModel(3);
  await recipe.train(again, 3);
  const plain = (performance.now() - unprofiled) / 1000;
  again.dispose();

  // The PyTorch peer on the same inputs (the first 10,000 MNIST training images, scaled to [0, 1]).
  const dir = mkdtempSync(join(tmpdir(), 'pie-step-'));
  let torch: { seconds: number; torch: string } | null = null;
  try {
    const mnist = loadMnist('train');
    writeFileSync(join(dir, 'train_x.npy'), encodeNpy(mnist.images.subarray(0, IMAGES * 784), [IMAGES, 784]));
    writeFileSync(join(dir, 'train_y.npy'), encodeNpy(Int32Array.from(mnist.labels.subarray(0, IMAGES)), [IMAGES]));
    const r = spawnSync('/usr/bin/python3', [resolve('bench/train_step_torch.py'), dir], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (r.status === 0) torch = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
    else console.error(`bench train-step: PyTorch peer failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const rows = [...byKernel.entries()].sort((a, b) => b[1] - a[1]);
  const top = rows.slice(0, 6);
  const rest = rows.slice(6).reduce((a, [, ms]) => a + ms, 0) / 1000;
  const line = (name: string, s: number) => `| ${name} | ${s.toFixed(3)} | ${((100 * s) / wall).toFixed(0)}% |`;
  const lines = [
    "## Where a training step's time goes: tfjs-wasm vs PyTorch",
    '',
    `Machine: ${cpuModel()}, Node ${process.version}, tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}. Load average (1 min) ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end. ` +
      `One epoch of the demo's baseline training (MLP 784-128-10, Adam, batch 128, ${IMAGES.toLocaleString('en-US')} MNIST images: ${steps} steps), after a warm-up epoch, under tf.profile.`,
    '',
    '| where | seconds | share of the profiled epoch |',
    '| --- | ---: | ---: |',
    ...top.map(([name, ms]) => line(`kernel ${name}`, ms / 1000)),
    line(`${rows.length - top.length} other kernels`, rest),
    line('outside kernels (op dispatch, autograd tape, batch building)', Math.max(0, wall - inKernels)),
    `| **profiled epoch** | **${wall.toFixed(3)}** | 100% |`,
    '',
    `${profile.kernels.length.toLocaleString('en-US')} kernels ran: ${(profile.kernels.length / steps).toFixed(0)} per step. ` +
      `The same epoch without the profiler: ${plain.toFixed(3)} s. ` +
      (torch
        ? `PyTorch ${torch.torch} on 1 thread, same model, optimiser, batch size and number of images: ${torch.seconds.toFixed(3)} s, so tfjs-wasm takes ${(plain / torch.seconds).toFixed(1)}x as long per step, ` +
          `and its ${top[0][0]} kernels alone take ${(top[0][1] / 1000 / torch.seconds).toFixed(1)}x PyTorch's whole epoch. `
        : 'PyTorch peer: not run (Debian python3-torch missing). ') +
      'Matrix products dominate the kernel time and run single-threaded on 128-bit wasm SIMD; the time outside kernels ' +
      'is per-op overhead that grows with the op count, not the model size. Spreading jobs over worker threads divides the ' +
      'number of steps each core runs but not this per-step ratio, which is why 2 workers cannot catch a native BLAS peer ' +
      '(the population section).',
  ];
  writeBenchmarkSection('train-step', lines.join('\n'));
  console.log(lines.join('\n'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
