/**
 * An audit of TFLite files end to end: three MLPs trained with tfjs on real digits, each written as a float32
 * .tflite baseline and a fully int8 .tflite compressed member, evaluated by TFLite's own runtime, through the
 * library (paths by level) and the CLI (a population folder with model.tflite folders and .tflite files).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { encodeNpy } from '../../src/data/npy.js';
import type { AuditReport } from '../../src/schema/index.js';
import { runCliInProcess } from '../cli/cli-helpers.js';
import { digitsMlp, loadDigits, useWasm } from '../evaluate/helpers.js';
import { tfliteMlp } from '../evaluate/tflite-builder.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';

const hasTflite = optionalSuite(OPTIONAL_SUITES.tflite);
const dir = mkdtempSync(join(tmpdir(), 'pie-tflite-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const digits = loadDigits(1797);
const seeds = [1, 2, 3];
/** Per seed: the float32 and the int8 file. */
const files: Array<{ float: Uint8Array; int8: Uint8Array }> = [];

beforeAll(async () => {
  if (!hasTflite) return;
  await useWasm();
  const x = tf.tensor4d(digits.inputs, [digits.n, 8, 8, 1]);
  const y = tf.tensor1d(digits.labels, 'float32');
  for (const seed of seeds) {
    const model = digitsMlp(seed, [8, 8, 1]);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 4, batchSize: 64, shuffle: false, verbose: 0 });
    files.push({ float: tfliteMlp(model), int8: tfliteMlp(model, { int8: { inputs: digits.inputs, n: digits.n, inputRange: [0, 1] } }) });
    model.dispose();
  }
  tf.dispose([x, y]);
});

/** What both audits must show: every model ran on TFLite, the int8 level is smaller, its verdicts computed. */
function expectTfliteAudit(report: AuditReport): void {
  expect(report.environment.runtimes).toEqual({ tflite: 6 });
  expect(report.levels.map((l) => l.key)).toEqual(['0', 'int8']);
  const [base, int8] = report.levels;
  for (const level of report.levels)
    for (const m of level.models) {
      expect(m.runtime).toBe('tflite');
      expect(m.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(m.sparsity).not.toBeNull();
    }
  expect(int8.meanGzippedBytes!).toBeLessThan(base.meanGzippedBytes! / 2);
  // Trained 4 epochs: above 90% on the digits at both levels.
  for (const level of report.levels) {
    expect(level.accuracy.status).toBe('ok');
    if (level.accuracy.status === 'ok') expect(level.accuracy.mean).toBeGreaterThan(0.9);
  }
  expect(int8.classImpact.status).toBe('ok');
}

describe.skipIf(!hasTflite)('auditing .tflite files', () => {
  it('through the library: a float32 baseline level and an int8 level of paths', async () => {
    const paths = { 0: [] as string[], int8: [] as string[] };
    files.forEach((f, i) => {
      paths[0].push(join(dir, `float-${seeds[i]}.tflite`));
      paths.int8.push(join(dir, `int8-${seeds[i]}.tflite`));
      writeFileSync(paths[0][i], f.float);
      writeFileSync(paths.int8[i], f.int8);
    });
    const report = await auditCompression({
      population: paths,
      testSet: { inputs: digits.inputs, inputShape: [8, 8, 1], labels: digits.labels, n: digits.n },
    });
    expectTfliteAudit(report);
  });

  it('through the CLI: a population folder of model.tflite folders and .tflite files', async () => {
    const root = join(dir, 'cli');
    files.forEach((f, i) => {
      mkdirSync(join(root, 'models', '0', `seed-${seeds[i]}`), { recursive: true });
      mkdirSync(join(root, 'models', 'int8'), { recursive: true });
      writeFileSync(join(root, 'models', '0', `seed-${seeds[i]}`, 'model.tflite'), f.float);
      writeFileSync(join(root, 'models', 'int8', `seed-${seeds[i]}.tflite`), f.int8);
    });
    writeFileSync(join(root, 'x.npy'), encodeNpy(digits.inputs, [digits.n, 8, 8, 1]));
    writeFileSync(join(root, 'y.npy'), encodeNpy(Uint8Array.from(digits.labels), [digits.n]));
    writeFileSync(join(root, 'audit.json'), JSON.stringify({ population: 'models', testSet: { inputs: 'x.npy', labels: 'y.npy' } }));
    const r = await runCliInProcess(['audit', join(root, 'audit.json'), '--out', join(root, 'out'), '--quiet', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(root, 'out', 'report.json'), 'utf8')) as AuditReport;
    expectTfliteAudit(report);
    // Members pair by name across levels: seed-1/model.tflite with seed-1.tflite.
    expect(report.levels[1].models.map((m) => m.id)).toEqual(seeds.map((s) => expect.stringMatching(new RegExp(`seed-${s}\\.tflite$`))));
  });
});
