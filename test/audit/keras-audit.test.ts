import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { pruneOneShot } from '../../src/compress/prune-one-shot.js';
import { encodeNpy } from '../../src/data/npy.js';
import { initBackend } from '../../src/engine/backend.js';
import { loadKerasModel } from '../../src/engine/keras/load-keras-model.js';
import { saveLayersModel } from '../../src/engine/save-layers-model.js';
import { seededRandom } from '../../src/random/seeded-random.js';
import type { AuditReport } from '../../src/schema/index.js';
import { runCliInProcess } from '../cli/cli-helpers.js';
import { comparable } from '../distribute/helpers.js';

/** Keras files written by test/fixtures/keras/make_keras_fixtures.py (h5py, Keras 2 and Keras 3 layouts). */
const FIXTURES = join(import.meta.dirname, '../fixtures/keras');
const dir = mkdtempSync(join(tmpdir(), 'pie-audit-keras-audit-'));
const n = 240;
const rand = seededRandom(11);
const inputs = Float32Array.from({ length: n * 4 }, () => rand() * 4 - 2);
let labels: Uint8Array;
let pruned: tf.LayersModel[] = [];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  // Labels: the Keras baseline's own argmax with one label in ten replaced, so accuracy is high but not 1.
  const baseline = await loadKerasModel(join(FIXTURES, 'mlp.h5'));
  const argmax = tf.tidy(() => (baseline.predict(tf.tensor(inputs, [n, 4])) as tf.Tensor).argMax(1).dataSync());
  labels = Uint8Array.from(argmax, (c) => (rand() < 0.1 ? (c + 1) % 3 : c));
  pruned = [(await pruneOneShot(baseline, 0.5)).model];
  const fromKeras3 = await loadKerasModel(join(FIXTURES, 'mlp.keras'));
  pruned.push((await pruneOneShot(fromKeras3, 0.5)).model);
  baseline.dispose();
  fromKeras3.dispose();
});
afterAll(() => {
  for (const m of pruned) m.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('an audit with Keras baselines and their pruned copies', () => {
  it('runs from the library: .h5 / .keras paths as the baseline, pruned LayersModels as the level', async () => {
    const report: AuditReport = await auditCompression({
      population: { 0: [join(FIXTURES, 'mlp.h5'), join(FIXTURES, 'mlp.keras')], 0.5: pruned },
      testSet: { inputs, labels, inputShape: [4] },
      runtime: 'tfjs',
      backend: 'wasm',
      bootstrap: { resamples: 100, seed: 1 },
    });
    const [base, level] = report.levels;
    expect(base.models.map((m) => m.sparsity)).toEqual([0, 0]);
    expect(level.models.map((m) => Math.round((m.sparsity ?? 0) * 10) / 10)).toEqual([0.5, 0.5]);
    // The baseline's labels are its own argmax with 10 % replaced: its accuracy is 0.9 within a few examples.
    const accuracy = base.accuracy;
    expect(accuracy.status).toBe('ok');
    if (accuracy.status !== 'ok') return;
    expect(accuracy.perModel).toEqual([accuracy.mean, accuracy.mean]); // one model read from .h5, one from .keras
    expect(accuracy.mean).toBeGreaterThan(0.85);
    expect(accuracy.mean).toBeLessThan(0.95);
    expect(report.environment.runtimes).toEqual({ tfjs: 4 });
  });

  it('runs from a CLI config whose members are .h5 and .keras files', async () => {
    copyFileSync(join(FIXTURES, 'mlp.h5'), join(dir, 'mlp.h5'));
    copyFileSync(join(FIXTURES, 'mlp.keras'), join(dir, 'mlp.keras'));
    await saveLayersModel(pruned[0], join(dir, 'pruned-h5'));
    await saveLayersModel(pruned[1], join(dir, 'pruned-keras'));
    writeFileSync(join(dir, 'x.npy'), encodeNpy(inputs, [n, 4]));
    writeFileSync(join(dir, 'y.npy'), encodeNpy(labels, [n]));
    writeFileSync(
      join(dir, 'audit.json'),
      JSON.stringify({
        population: { '0': ['mlp.h5', 'mlp.keras'], '0.5': ['pruned-h5/model.json', 'pruned-keras/model.json'] },
        testSet: { inputs: 'x.npy', labels: 'y.npy' },
        runtime: 'tfjs',
        backend: 'wasm',
      }),
    );
    const r = await runCliInProcess(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out'), '--quiet', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as AuditReport;
    expect(report.levels[0].models.map((m) => m.id)).toEqual(['mlp.h5', 'mlp.keras']);
    expect(report.levels[0].models.every((m) => (m.gzippedBytes ?? 0) > 0)).toBe(true);
    expect(report.levels[1].models.map((m) => Math.round((m.sparsity ?? 0) * 10) / 10)).toEqual([0.5, 0.5]);
  });

  it('plan / run-shard / merge of that config gives the report of pie-audit audit', async () => {
    const plan = join(dir, 'plan');
    expect((await runCliInProcess(['plan', join(dir, 'audit.json'), '--shards', '2', '--out', plan, '--quiet'])).code).toBe(0);
    for (const index of ['0', '1']) expect((await runCliInProcess(['run-shard', plan, '--index', index, '--quiet'])).code).toBe(0);
    const merged = await runCliInProcess(['merge', plan, '--out', join(dir, 'merged'), '--quiet']);
    expect(merged.code).toBe(0);
    expect(comparable(JSON.parse(readFileSync(join(dir, 'merged', 'report.json'), 'utf8')))).toEqual(
      comparable(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'))),
    );
  });
});
