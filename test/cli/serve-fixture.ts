/**
 * A small real audit of an image folder for the `pie-audit serve` tests: 8x8 PNGs of three classes written with sharp
 * (class k is brightest in channel k), linear tfjs classifiers (3 at level 0, 3 pruned to 80 % at level 0.8) saved
 * as model.json files, the audit config, and the report folder written by `pie-audit audit`. No Python needed.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { initBackend } from '../../src/engine/backend.js';
import { saveLayersModel } from '../../src/engine/save-layers-model.js';
import { runCliInProcess } from './cli-helpers.js';

export const SERVE_CLASSES = ['cat', 'dog', 'eel'];
export const SERVE_PREPROCESS = { size: 8, resize: 'exact', layout: 'nhwc' } as const;

/** Pixels of a `width` x `height` RGB image brightest in channel `bright` (by `contrast`), with seeded jitter. */
export function classPixels(bright: number, seed: number, width = 8, height = 8, contrast = 90): Uint8Array {
  let state = seed * 2654435761;
  const jitter = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state >>> 16) % 61;
  };
  return Uint8Array.from({ length: width * height * 3 }, (_, i) => (i % 3 === bright ? 50 + contrast : 50) + jitter());
}

/** A PNG of raw RGB pixels. */
export const pngOf = (pixels: Uint8Array, width: number, height: number): Promise<Buffer> =>
  sharp(Buffer.from(pixels), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();

/** A linear softmax classifier over 8x8x3 inputs leaning towards each class's channel; `keep` < 1 prunes the smallest weights. */
async function saveClassifier(seed: number, keep: number, folder: string): Promise<void> {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [8, 8, 3] }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  const kernel = new Float32Array(192 * 3);
  for (let i = 0; i < 192; i++)
    for (let k = 0; k < 3; k++) kernel[i * 3 + k] = (i % 3 === k ? 0.03 : -0.012) * (1 + 0.6 * Math.sin(seed * 7 + i * 0.37 + k));
  if (keep < 1) {
    const cut = [...kernel].map(Math.abs).sort((a, b) => b - a)[Math.floor(keep * kernel.length)];
    for (let i = 0; i < kernel.length; i++) if (Math.abs(kernel[i]) <= cut) kernel[i] = 0;
  }
  const eel = keep < 1 ? 0.5 : 0;
  model.layers[1].setWeights([tf.tensor2d(kernel, [192, 3]), tf.tensor1d([0.05 * seed, 0, eel - 0.05 * seed])]);
  await saveLayersModel(model, folder);
  model.dispose();
}

/** The audit's files under `dir`: images/, models/, audit.json and the report folder out/. */
export interface ServeFixture {
  config: string;
  out: string;
  /** model.json paths per level. */
  population: Record<string, string[]>;
}

/**
 * Writes the images, models and config into `dir` and audits them through the CLI.
 *
 * @example
 * const fixture = await makeServeFixture(mkdtempSync(join(tmpdir(), 'serve-')));
 */
export async function makeServeFixture(dir: string): Promise<ServeFixture> {
  await initBackend({ backend: 'cpu' });
  for (const [k, name] of SERVE_CLASSES.entries()) {
    mkdirSync(join(dir, 'images', name), { recursive: true });
    // The last image of each class is faint: the pruned models, leaning towards 'eel', forget it (a PIE).
    for (let j = 0; j < 5; j++)
      writeFileSync(join(dir, 'images', name, `${j}.png`), await pngOf(classPixels(k, 10 * k + j, 8, 8, j === 4 ? 15 : 90), 8, 8));
  }
  const population: Record<string, string[]> = { '0': [], '0.8': [] };
  for (const [level, keep] of [
    ['0', 1],
    ['0.8', 0.2],
  ] as const) {
    for (const seed of [1, 2, 3]) {
      const folder = join(dir, 'models', level, `seed-${seed}`);
      await saveClassifier(seed, keep, folder);
      population[level].push(`models/${level}/seed-${seed}/model.json`);
    }
  }
  const config = join(dir, 'audit.json');
  writeFileSync(
    config,
    JSON.stringify({
      population,
      testSet: { images: 'images', preprocess: SERVE_PREPROCESS },
      runtime: 'tfjs',
      backend: 'cpu',
      bootstrap: { resamples: 0 },
      maxExemplars: 6,
    }),
  );
  const out = join(dir, 'out');
  const audit = await runCliInProcess(['audit', config, '--out', out, '--quiet']);
  if (audit.code !== 0 || audit.stderr !== '') throw new Error(`the fixture's audit failed (${audit.code}): ${audit.stderr}`);
  return { config, out, population: Object.fromEntries(Object.entries(population).map(([k, v]) => [k, v.map((p) => join(dir, p))])) };
}
