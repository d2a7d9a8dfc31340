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

  it('stops with a typed error naming the member when a probability lies outside [0, 1]', async () => {
    const good = { probabilities: Float32Array.of(0.2, 0.8, 0.6, 0.4), nClasses: 2 };
    const bad = { probabilities: Float32Array.of(0.2, 0.8, 1.5, 0.4), nClasses: 2 };
    const run = auditCompression({ population: { 0: [good, good], 0.5: [good, bad] }, testSet: { labels: [1, 0] }, probabilities: true });
    await expect(run).rejects.toBeInstanceOf(PieAuditError);
    await expect(run).rejects.toThrow(/population\['0\.5'\]\[1\] class probabilities\[2\] is 1\.5/);
  });
});
