/**
 * Peak memory of an audit streamed from an image folder whose float32 tensor would take several GB: writes
 * `count` 320x240 JPEGs in 10 class folders (once), then audits 2 levels x 2 linear tfjs models on them with the
 * 'torchvision' preset (3 x 224 x 224 inputs). Run it under /usr/bin/time -v to read the peak resident size:
 *
 *   /usr/bin/time -v npx tsx bench/image-memory.ts /tmp/pie-images 8000
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { auditCompression, initBackend } from '../src/index.js';
import { seededRandom } from '../src/random/seeded-random.js';

const [folder = '/tmp/pie-images', countArg = '8000'] = process.argv.slice(2);
const count = Number(countArg);
const sharp = createRequire(import.meta.url)('sharp') as typeof import('sharp').default;

if (!existsSync(join(folder, 'done'))) {
  const rand = seededRandom(1);
  const [w, h] = [320, 240];
  for (let i = 0; i < count; i++) {
    const cls = i % 10;
    mkdirSync(join(folder, `class-${cls}`), { recursive: true });
    const pixels = Buffer.alloc(w * h * 3);
    for (let p = 0; p < w * h; p++) {
      const v = 40 + cls * 18 + rand() * 40;
      pixels[p * 3] = v;
      pixels[p * 3 + 1] = 255 - v;
      pixels[p * 3 + 2] = (p % w) * 0.7;
    }
    await sharp(pixels, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(join(folder, `class-${cls}`, `${String(i).padStart(6, '0')}.jpg`));
  }
  mkdirSync(join(folder, 'done'));
  console.log(`wrote ${count} JPEGs to ${folder}`);
}

await initBackend({ backend: 'wasm' });
const model = (seed: number) => {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [3, 224, 224] }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  return m;
};
const started = performance.now();
const report = await auditCompression({
  population: { 0: [model(1), model(2)], 0.9: [model(3), model(4)] },
  testSet: { images: folder, preprocess: 'torchvision' },
  runtime: 'tfjs',
  batchSize: 128,
  maxExemplars: 8,
});
const seconds = (performance.now() - started) / 1000;
const tensorGB = (report.testSet.n * 3 * 224 * 224 * 4) / 1e9;
console.log(
  `${report.testSet.n} images (float32 tensor ${tensorGB.toFixed(1)} GB): audit ${seconds.toFixed(1)} s ` +
    `(evaluation ${report.timings.evaluationSeconds} s), ${(report.testSet.n * 4) / report.timings.evaluationSeconds} image-evaluations/s`,
);
