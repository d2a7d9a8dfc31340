import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { saveLayersModel } from '../../src/engine/save-layers-model.js';
import { seededRandom } from '../../src/random/seeded-random.js';
import type { AuditReport } from '../../src/schema/index.js';
import { repoRoot, runCliInProcess } from './cli-helpers.js';

const sharp = createRequire(import.meta.url)('sharp') as typeof import('sharp').default;
const dir = mkdtempSync(join(tmpdir(), 'pie-celeba-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ATTRIBUTES = ['Bald', 'Blond_Hair', 'Male', 'Young'];
const [W, H, IMAGES] = [178, 218, 96];

/**
 * A CelebA-layout download: 178x218 JPEG "faces" whose hair (the top third) runs from brown to yellow with a
 * per-image blondness; Blond_Hair is set when blondness > 0.5, so models reading the pixels can only be right
 * when images, attributes and partition stay aligned. Every fourth image is in the test split.
 */
async function writeCeleba(root: string): Promise<{ test: Array<{ blond: boolean; male: number; young: number }> }> {
  mkdirSync(join(root, 'img_align_celeba'), { recursive: true });
  const rand = seededRandom(11);
  const attrLines = [String(IMAGES), `${ATTRIBUTES.join(' ')} `];
  const partition: string[] = [];
  const test: Array<{ blond: boolean; male: number; young: number }> = [];
  for (let i = 1; i <= IMAGES; i++) {
    const id = `${String(i).padStart(6, '0')}.jpg`;
    const blondness = rand();
    const hair = [90 + 130 * blondness, 60 + 160 * blondness, 40];
    const pixels = Buffer.alloc(W * H * 3);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++) {
          const base = y < H / 3 ? hair[c] : [200, 160, 140][c];
          pixels[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(base + (rand() - 0.5) * 30)));
        }
    await sharp(pixels, { raw: { width: W, height: H, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(join(root, 'img_align_celeba', id));
    const male = rand() < 0.5 ? 1 : -1;
    const young = rand() < 0.7 ? 1 : -1;
    const blond = blondness > 0.5;
    attrLines.push(`${id} -1  ${blond ? ' 1' : '-1'} ${male === 1 ? ' 1' : '-1'} ${young === 1 ? ' 1' : '-1'}`);
    const split = i % 4 === 0 ? 2 : i % 4 === 2 ? 1 : 0;
    partition.push(`${id} ${split}`);
    if (split === 2) test.push({ blond, male, young });
  }
  writeFileSync(join(root, 'list_attr_celeba.txt'), `${attrLines.join('\n')}\n`);
  writeFileSync(join(root, 'list_eval_partition.txt'), `${partition.join('\n')}\n`);
  return { test };
}

/** A blond-hair detector on 16x16 RGB: the mean red+green of the hair rows against a threshold (jittered per model). */
async function saveDetector(path: string, threshold: number): Promise<void> {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [16, 16, 3] }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  const kernel = new Float32Array(768 * 2);
  for (let y = 0; y < 5; y++) for (let x = 0; x < 16; x++) for (const c of [0, 1]) kernel[((y * 16 + x) * 3 + c) * 2 + 1] = 20 / 80;
  m.layers[1].setWeights([tf.tensor(kernel, [768, 2]), tf.tensor([0, -20 * threshold])]);
  await saveLayersModel(m, path);
  m.dispose();
}

describe('examples/celeba-audit.ts on a CelebA-layout folder', () => {
  it('audits the test split with Blond_Hair labels, Male/Young groups and thumbnails of the faces; the CLI config agrees', async () => {
    await initBackend({ backend: 'wasm' });
    const root = join(dir, 'celeba');
    const { test } = await writeCeleba(root);
    // Hair red+green (0..1 each) is 0.59 for brown, 1.73 for yellow; blondness 0.5 sits at 1.16.
    const jitter = seededRandom(3);
    for (const seed of [1, 2, 3]) {
      await saveDetector(join(dir, 'models', '0', `seed-${seed}`), 1.16 + (jitter() - 0.5) * 0.02);
      await saveDetector(join(dir, 'models', '0.9', `seed-${seed}`), 1.16 + (jitter() - 0.5) * 0.5);
    }
    const out = join(dir, 'out');
    const preprocess = JSON.stringify({ size: 16, resize: 'exact', layout: 'nhwc' });
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'examples', 'celeba-audit.ts'), root, join(dir, 'models'), out, preprocess],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`CelebA test split: ${test.length} images, ${test.filter((t) => t.blond).length} blond`));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport;
    expect(report.testSet.n).toBe(test.length);
    expect(report.testSet.attributeNames).toEqual(['Male', 'Young']);
    expect(report.classNames).toEqual(['not Blond_Hair', 'Blond_Hair']);
    // Aligned images and labels: the baseline detectors are nearly always right.
    const baseline = report.levels[0];
    expect(baseline.accuracy.status === 'ok' && baseline.accuracy.mean).toBeGreaterThan(0.9);
    const pruned = report.levels[1];
    expect(pruned.attributes.status).toBe('ok');
    expect(pruned.exemplars.length).toBeGreaterThan(0);
    for (const e of pruned.exemplars) {
      expect(e.trueLabel).toBe(test[e.index].blond ? 1 : 0);
      // The thumbnail is the stored face (178x218 scaled to 78x96), not the 16x16 input.
      const png = Buffer.from(e.thumbnail!.split(',')[1], 'base64');
      expect(await sharp(png).metadata()).toMatchObject({ width: 78, height: 96 });
    }

    // The CLI config of docs/celeba.md, on the same folder.
    const config = {
      population: join(dir, 'models'),
      testSet: {
        images: { celeba: root, split: 'test', labelsFromAttribute: 'Blond_Hair', attributeNames: ['Male', 'Young'] },
        preprocess: JSON.parse(preprocess),
      },
      positiveClass: 1,
      batchSize: 256,
      gates: { attributes: { Male: { maxOverIndex: 1.5, maxFnrIncrease: 0.05 } } },
    };
    writeFileSync(join(dir, 'audit.json'), JSON.stringify(config));
    const cli = await runCliInProcess(['audit', join(dir, 'audit.json'), '--out', join(dir, 'cli-out'), '--quiet', '--format', 'json']);
    expect(cli.stderr).toBe('');
    const fromCli = JSON.parse(readFileSync(join(dir, 'cli-out', 'report.json'), 'utf8')) as AuditReport;
    expect(fromCli.levels.map((l) => [l.pies, l.attributes, l.subgroups])).toEqual(
      report.levels.map((l) => [l.pies, l.attributes, l.subgroups]),
    );
    expect(cli.code).toBe(report.exitCode);
  }, 180_000);
});
