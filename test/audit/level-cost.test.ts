/**
 * What compression bought beside what it cost: real tfjs models saved to disk, audited with latency on, carry their
 * stored size (the files on disk) and measured latency per level; the trade-off chart is in report.html and beside
 * report.md; old reports without these fields still load; diff refuses reports whose labels hashes differ.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { encodeNpy } from '../../src/data/npy.js';
import { compareAudits } from '../../src/compare/compare-audits.js';
import { initBackend } from '../../src/engine/backend.js';
import { saveLayersModel } from '../../src/engine/save-layers-model.js';
import { isPieAuditError } from '../../src/errors.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { findReportProblem } from '../../src/report/load-report.js';
import { levelScalars } from '../../src/report/tensorboard/write-tensorboard.js';
import { writeReports } from '../../src/report/write-reports.js';
import type { AuditReport } from '../../src/schema/index.js';
import { runCliInProcess } from '../cli/cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-level-cost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 120;
const FEATURES = 16;
const rand = mulberry32(5);
const inputs = Float32Array.from({ length: N * FEATURES }, () => rand());
// Class k when feature k is the largest of the first three: a task the models below mostly get right.
const labels = Array.from({ length: N }, (_, i) => {
  const row = inputs.subarray(i * FEATURES, i * FEATURES + 3);
  return row.indexOf(Math.max(...row));
});
const population: Record<string, string[]> = { '0': [], '0.8': [] };

/** A 16-32-3 MLP leaning towards the task; the compressed copies keep the largest 20 % of the hidden weights. */
async function saveModel(seed: number, sparsity: number, path: string): Promise<void> {
  const m = tf.sequential();
  m.add(
    tf.layers.dense({ inputShape: [FEATURES], units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
  );
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 100 }) }));
  const [kernel, bias] = m.layers[0].getWeights();
  const w = kernel.dataSync().slice();
  if (sparsity > 0) {
    const cut = [...w].map(Math.abs).sort((a, b) => a - b)[Math.floor(sparsity * w.length)];
    for (let i = 0; i < w.length; i++) if (Math.abs(w[i]) < cut) w[i] = 0;
  }
  m.layers[0].setWeights([tf.tensor(w, kernel.shape), bias]);
  await saveLayersModel(m, path);
  m.dispose();
}

/** Bytes of a saved model's folder: model.json and its weight shards. */
const folderBytes = (folder: string) => readdirSync(folder).reduce((sum, f) => sum + statSync(join(folder, f)).size, 0);

let report: AuditReport;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  for (const [level, sparsity] of [
    ['0', 0],
    ['0.8', 0.8],
  ] as const) {
    for (const seed of [1, 2]) {
      const path = join(dir, 'models', level, `seed-${seed}`);
      await saveModel(seed, sparsity, path);
      population[level]!.push(join(path, 'model.json'));
    }
  }
  report = await auditCompression({
    population,
    testSet: { inputs, inputShape: [FEATURES], labels },
    runtime: 'tfjs',
    backend: 'wasm',
    batchSize: 32,
    latency: { repeats: 3 },
    bootstrap: { resamples: 0 },
  });
}, 120_000);

describe('size and latency per level', () => {
  it('every level carries its stored size (the files on disk), gzipped size and a measured latency on a named runtime', () => {
    for (const level of report.levels) {
      const expected = population[level.key]!.map((p) => folderBytes(join(p, '..')));
      expect(level.models.map((m) => m.storedBytes)).toEqual(expected);
      expect(level.meanStoredBytes).toBe((expected[0]! + expected[1]!) / 2);
      expect(level.meanGzippedBytes).toBeGreaterThan(0);
      const latency = level.latency;
      if (latency?.status !== 'ok') throw new Error(`level ${level.key}: no latency (${JSON.stringify(latency)})`);
      expect(latency.source).toBe('measured');
      expect(latency.batch1Ms).toBeGreaterThan(0);
      expect(latency.batchMs).toBeGreaterThan(0);
      expect(latency.batchSize).toBe(32);
      expect(latency.runtime).toBe('tfjs-wasm');
      expect(latency.repeats).toBeGreaterThanOrEqual(1);
      expect(latency.repeats).toBeLessThanOrEqual(3);
      expect(latency.models).toBe(1);
    }
    // Pruning shows in the gzipped size, not in the float32 files.
    expect(report.levels[1]!.meanGzippedBytes!).toBeLessThan(report.levels[0]!.meanGzippedBytes!);
    expect(report.environment.machine?.cores).toBeGreaterThanOrEqual(1);
    expect(report.environment.machine?.cpuModel).toMatch(/\S/);
    expect(report.config.latency).toEqual({ enabled: true, repeats: 3, maxSeconds: 10 });
    expect(findReportProblem(JSON.parse(JSON.stringify(report)))).toBeNull();
  });

  it('labelsHash is the sha256 of the labels written one per line', () => {
    const text = labels.map((y) => `${y}\n`).join('');
    expect(report.testSet.labelsHash).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('writes the trade-off chart into report.html and beside report.md, and the size and latency table into both', async () => {
    const out = join(dir, 'report');
    await writeReports(report, out);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('id="chart-tradeoff"');
    expect(html).toContain('What compression bought: size and latency');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('](tradeoff.svg)');
    expect(md).toMatch(/## What compression bought: size and latency[\s\S]*tfjs-wasm/);
    const svg = readFileSync(join(out, 'tradeoff.svg'), 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*id="chart-tradeoff"/);
    // One labelled point per level in each panel: size and latency against top-1 and PIE rate.
    for (const panel of ['top-1 vs size', 'top-1 vs latency', 'PIE rate vs size', 'PIE rate vs latency'])
      expect(svg).toContain(`>${panel}</title>`);
    expect(svg.match(/class="point-label"[^>]*>0\.8</g)).toHaveLength(4);
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it('TensorBoard scalars include size and latency', () => {
    const tags = levelScalars(report.levels[1]!).map(([tag]) => tag);
    expect(tags).toEqual(
      expect.arrayContaining(['size/stored_bytes', 'size/gzipped_bytes', 'latency/batch1_ms_per_example', 'latency/batch_ms_per_example']),
    );
  });

  it('latency: false times nothing and says so; precomputed members show the latency and size they give', async () => {
    const off = await auditCompression({
      population,
      testSet: { inputs, inputShape: [FEATURES], labels },
      runtime: 'tfjs',
      latency: false,
      bootstrap: { resamples: 0 },
    });
    for (const level of off.levels)
      expect(level.latency).toEqual({ status: 'unavailable', reason: 'latency was not measured (latency: false)' });
    const predictions = (shift: number) => ({ predictions: labels.map((y, i) => (i % 10 === shift ? (y + 1) % 3 : y)) });
    const given = await auditCompression({
      population: {
        '0': [
          { model: predictions(0), storedBytes: 4000, latencyMs: { batch1: 0.5, batch: 0.1 } },
          { model: predictions(1), storedBytes: 4000, latencyMs: { batch1: 0.7 } },
        ],
        '0.8': [predictions(2), predictions(3)],
      },
      testSet: { labels },
      bootstrap: { resamples: 0 },
    });
    expect(given.levels[0]!.latency).toMatchObject({
      status: 'ok',
      source: 'given',
      batch1Ms: 0.6,
      batchMs: 0.1,
      models: 2,
      runtime: null,
    });
    expect(given.levels[0]!.meanStoredBytes).toBe(4000);
    expect(given.levels[1]!.latency).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/given as predictions.*latencyMs/),
    });
    await expect(
      auditCompression({
        population: { '0': [{ model: predictions(0), latencyMs: { batch1: -1 } }], '0.8': [predictions(2)] },
        testSet: { labels },
      }),
    ).rejects.toThrow(/population\['0'\]\[0\]\.latencyMs must be/);
    await expect(auditCompression({ population, testSet: { inputs, labels }, latency: { repeats: 0 } })).rejects.toSatisfy(
      (e) => isPieAuditError(e) && e.code === 'CONFIG_ERROR' && e.details.key === 'latency.repeats',
    );
  });

  it('report.json written before size and latency were measured still loads; a malformed latency does not', () => {
    const old = JSON.parse(JSON.stringify(report));
    delete old.environment.machine;
    delete old.config.latency;
    delete old.testSet.labelsHash;
    for (const level of old.levels) {
      delete level.latency;
      delete level.meanStoredBytes;
      for (const m of level.models) delete m.storedBytes;
    }
    expect(findReportProblem(old)).toBeNull();
    const bad = JSON.parse(JSON.stringify(report));
    bad.levels[1].latency.batch1Ms = 'fast';
    expect(findReportProblem(bad)).toMatch(/levels\[1\]\.latency\.batch1Ms: expected a finite number/);
  });
});

describe('pie-audit audit', () => {
  it('times each level as the config says, and --no-latency times nothing', async () => {
    writeFileSync(join(dir, 'x.npy'), encodeNpy(inputs, [N, FEATURES]));
    writeFileSync(join(dir, 'y.npy'), encodeNpy(Int32Array.from(labels), [N]));
    const config = { population: 'models', testSet: { inputs: 'x.npy', labels: 'y.npy' }, runtime: 'tfjs', latency: { repeats: 2 } };
    writeFileSync(join(dir, 'audit.json'), JSON.stringify(config));
    const read = (out: string) => JSON.parse(readFileSync(join(dir, out, 'report.json'), 'utf8')) as AuditReport;
    const timed = await runCliInProcess(['audit', join(dir, 'audit.json'), '--out', join(dir, 'cli-timed'), '--quiet']);
    expect(timed.code).toBe(0);
    for (const level of read('cli-timed').levels) {
      expect(level.latency).toMatchObject({ status: 'ok', source: 'measured', runtime: expect.stringMatching(/^tfjs-/) });
      expect(level.latency?.status === 'ok' && level.latency.repeats).toBeLessThanOrEqual(2);
    }
    const off = await runCliInProcess(['audit', join(dir, 'audit.json'), '--out', join(dir, 'cli-off'), '--no-latency', '--quiet']);
    expect(off.code).toBe(0);
    const report = read('cli-off');
    expect(report.config.latency?.enabled).toBe(false);
    expect(report.levels.map((l) => l.latency?.status)).toEqual(['unavailable', 'unavailable']);
    // Re-rendered as Markdown into another folder, the chart it links comes along.
    const md = join(dir, 'rendered', 'summary.md');
    expect((await runCliInProcess(['report', join(dir, 'cli-timed', 'report.json'), '--out', md, '--quiet'])).code).toBe(0);
    expect(readFileSync(md, 'utf8')).toContain('](tradeoff.svg)');
    expect(readFileSync(join(dir, 'rendered', 'tradeoff.svg'), 'utf8')).toContain('id="chart-tradeoff"');
    // Printed to stdout (a step summary has no folder beside it), the chart is named, never a broken image.
    const printed = await runCliInProcess(['report', join(dir, 'cli-timed', 'report.json'), '--format', 'md']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).not.toContain('](tradeoff.svg)');
    expect(printed.stdout).toContain('tradeoff.svg in the report folder');
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '');
    const { runCli } = await import('../../src/cli/run-cli.js');
    const args = ['audit', join(dir, 'audit.json'), '--out', join(dir, 'cli-summary'), '--quiet', '--step-summary', '--no-latency'];
    const stderr = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
    expect(await runCli(args, { stdout: () => {}, stderr, env: { GITHUB_STEP_SUMMARY: summary } })).toBe(0);
    expect(readFileSync(summary, 'utf8')).toContain('tradeoff.svg in the report folder');
    expect(readFileSync(summary, 'utf8')).not.toContain('](tradeoff.svg)');
    expect(readFileSync(join(dir, 'cli-summary', 'report.md'), 'utf8')).toContain('](tradeoff.svg)');
  });
});

describe('labels hash in diff', () => {
  it('compareAudits and pie-audit diff refuse two reports whose labels hashes differ', async () => {
    // The same example count and label counts, other labels: only the hash tells the test sets apart.
    const audit = (ys: number[]) =>
      auditCompression({
        population: { '0': [{ predictions: ys }], '0.8': [{ predictions: ys.map((y, i) => (i % 9 ? y : (y + 1) % 3)) }] },
        testSet: { labels: ys },
        bootstrap: { resamples: 0 },
        maxExemplars: 0,
      });
    const before = await audit(labels);
    const after = await audit([...labels].reverse());
    expect(after.testSet.labelCounts).toEqual(before.testSet.labelCounts);
    let error: unknown;
    try {
      compareAudits(before, after);
    } catch (e) {
      error = e;
    }
    expect(isPieAuditError(error) && error.code === 'INVALID_ARGUMENT' && /testSet\.labelsHash/.test(error.message)).toBe(true);
    expect(() => compareAudits(before, before)).not.toThrow();
    await writeReports(before, join(dir, 'before'));
    await writeReports(after, join(dir, 'after'));
    const r = await runCliInProcess(['diff', join(dir, 'before', 'report.json'), join(dir, 'after', 'report.json'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/different test sets \(testSet\.labelsHash: /);
  });
});
