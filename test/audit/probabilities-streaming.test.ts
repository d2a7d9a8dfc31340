import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { parseNpy } from '../../src/data/parse-npy.js';
import { PieAuditError } from '../../src/errors.js';
import { evaluatePopulation } from '../../src/evaluate/evaluate-population.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-probabilities-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = 'bench/probabilities_scale_reference.py';
const file = (level: number, m: number) => join(dir, `level${level}_model${String(m).padStart(3, '0')}.npy`);

describe('class probabilities streamed model by model', () => {
  it('gives the top-5 accuracy and taxicab ranking of a model-by-model NumPy computation (2 levels x 3 models x 500 x 50 .npy files)', async () => {
    execFileSync('/usr/bin/python3', [script, 'generate', dir, '2', '3', '500', '50']);
    const reference = JSON.parse(execFileSync('/usr/bin/python3', [script, 'reference', dir, '2', '3'], { encoding: 'utf8' })) as {
      top5: number[];
      levels: Array<{ meanDistance: number; top: number[]; distances: number[] }>;
    };
    const labels = Array.from(parseNpy(readFileSync(join(dir, 'labels.npy')), 'labels.npy').data as ArrayLike<bigint>, Number);
    const members = (level: number) => Array.from({ length: 3 }, (_, m) => ({ predictionsFile: file(level, m) }));
    const report = await auditCompression({
      population: { 0: members(0), 0.9: members(1) },
      testSet: { labels },
      probabilities: true,
      bootstrap: { resamples: 0 },
    });
    const [baseline, compressed] = report.levels;
    if (baseline.topK.status !== 'ok' || compressed.topK.status !== 'ok') throw new Error('top-5 missing');
    expect([...baseline.topK.perModel, ...compressed.topK.perModel]).toEqual(reference.top5);
    if (compressed.taxicab.status !== 'ok') throw new Error('taxicab missing');
    const ref = reference.levels[0];
    expect(compressed.taxicab.meanDistance).toBeCloseTo(ref.meanDistance, 12);
    expect(compressed.taxicab.top.map((t) => t.index)).toEqual(ref.top);
    compressed.taxicab.top.forEach((t, j) => expect(t.distance).toBeCloseTo(ref.distances[j], 12));
  });

  it('hands evaluatePopulation onScores each model rows equal to the kept ones, one reused buffer, in model order', async () => {
    const rows = (seed: number) => Float32Array.from({ length: 8 * 3 }, (_, j) => ((j * 7 + seed * 5) % 11) / 11);
    const models = [0, 1, 2].map((s) => ({ probabilities: rows(s), nClasses: 3 }));
    const kept = await evaluatePopulation(models, { n: 8 }, { returnProbabilities: true });
    const seen: number[] = [];
    const buffers = new Set<Float32Array>();
    const streamed = await evaluatePopulation(
      models,
      { n: 8 },
      {
        onScores: (m, scores, nClasses) => {
          seen.push(m);
          buffers.add(scores);
          expect(nClasses).toBe(3);
          expect(Array.from(scores)).toEqual(Array.from(kept.probabilities!.subarray(m * 24, (m + 1) * 24)));
        },
      },
    );
    expect(seen).toEqual([0, 1, 2]);
    expect(buffers.size).toBe(1);
    expect(streamed.probabilities).toBeUndefined();
    expect(streamed.predictions).toEqual(kept.predictions);
  });

  it('reads deferred members ({ loadProbabilities }) one at a time, in member order, with the report of eager ones', async () => {
    const rows = (seed: number) => {
      const r = Float32Array.from({ length: 40 * 4 }, (_, j) => 0.05 + ((j * 13 + seed * 7) % 17) / 17);
      for (let e = 0; e < 40; e++) {
        const row = r.subarray(e * 4, e * 4 + 4);
        const sum = row.reduce((a, b) => a + b, 0);
        for (let c = 0; c < 4; c++) row[c] /= sum;
      }
      return r;
    };
    const labels = Array.from({ length: 40 }, (_, e) => e % 4);
    const eager = (level: number) => [0, 1, 2].map((m) => ({ probabilities: rows(level * 3 + m), nClasses: 4, id: `m${m}` }));
    const calls: string[] = [];
    let live = 0;
    let most = 0;
    const deferred = (level: number) =>
      [0, 1, 2].map((m) => ({
        id: `m${m}`,
        loadProbabilities: async () => {
          calls.push(`${level}:${m}`);
          // No two loaders run at once: at most one member's rows are being read.
          most = Math.max(most, ++live);
          queueMicrotask(() => live--);
          return { probabilities: rows(level * 3 + m), nClasses: 4 };
        },
      }));
    const options = { testSet: { labels }, probabilities: true, bootstrap: { resamples: 50 }, latency: false } as const;
    const reference = await auditCompression({ ...options, population: { 0: eager(0), 0.9: eager(1) } });
    const report = await auditCompression({ ...options, population: { 0: deferred(0), 0.9: deferred(1) } });
    expect(calls).toEqual(['0:0', '0:1', '0:2', '1:0', '1:1', '1:2']);
    expect(most).toBe(1);
    const strip = ({ generatedAt: _g, timings: _t, ...rest }: typeof report) => rest;
    expect(strip(report)).toEqual(strip(reference));
    expect(report.levels[1].taxicab.status).toBe('ok');

    // A loader that gives rows of the wrong length, or none, or fails, stops the audit (naming the member).
    const wrong = [{ id: 'm0', loadProbabilities: async () => ({ probabilities: rows(0).subarray(4), nClasses: 4 }) }];
    await expect(auditCompression({ ...options, population: { 0: eager(0).slice(0, 1), 0.5: wrong } })).rejects.toSatisfy(
      (e) =>
        e instanceof PieAuditError &&
        e.code === 'LENGTH_MISMATCH' &&
        /models\[1\] \(deferred probabilities\) holds 156 probabilities/.test(e.message),
    );
    const none = [{ id: 'm0', loadProbabilities: async () => ({ probabilities: [0.5, 0.5], nClasses: 2 }) }];
    await expect(auditCompression({ ...options, population: { 0: eager(0).slice(0, 1), 0.5: none as never } })).rejects.toThrow(
      /loadProbabilities\(\) must give \{ probabilities: Float32Array, nClasses \}/,
    );
    const failing = [
      {
        id: 'm0',
        loadProbabilities: async () => {
          throw new PieAuditError('CORRUPT_FILE', 'class probabilities of job x: sha256 differs', {});
        },
      },
    ];
    await expect(auditCompression({ ...options, population: { 0: eager(0).slice(0, 1), 0.5: failing } })).rejects.toSatisfy(
      (e) => e instanceof PieAuditError && e.code === 'CORRUPT_FILE',
    );
  });

  it('stops with a typed error naming the member when a probability lies outside [0, 1]', async () => {
    const good = { probabilities: Float32Array.of(0.2, 0.8, 0.6, 0.4), nClasses: 2 };
    const bad = { probabilities: Float32Array.of(0.2, 0.8, 1.5, 0.4), nClasses: 2 };
    const run = auditCompression({ population: { 0: [good, good], 0.5: [good, bad] }, testSet: { labels: [1, 0] }, probabilities: true });
    await expect(run).rejects.toBeInstanceOf(PieAuditError);
    await expect(run).rejects.toThrow(/population\['0\.5'\]\[1\] class probabilities\[2\] is 1\.5/);
  });
});
