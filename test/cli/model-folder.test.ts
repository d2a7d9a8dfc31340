import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../../src/data/npy.js';
import { seededRandom } from '../../src/random/seeded-random.js';
import { initBackend } from '../../src/engine/backend.js';
import { buildPopulation } from '../../src/population/build-population.js';
import { disposePopulation } from '../../src/population/population.js';
import { savePopulation } from '../../src/population/save-population.js';
import { runCliInProcess } from './cli-helpers.js';

describe('pie-audit audit on a saved tfjs population folder', () => {
  it('runs the models on .npy inputs and reports their measured sparsity', async () => {
    await initBackend({ backend: 'wasm' });
    const rand = seededRandom(7);
    const n = 300;
    const x = Float32Array.from({ length: n * 4 }, () => rand() * 2 - 1);
    const y = Uint8Array.from({ length: n }, (_, i) => (x[i * 4] > 0 ? (x[i * 4 + 1] > 0 ? 2 : 1) : 0));
    const population = await buildPopulation({
      createModel: (seed) => {
        const m = tf.sequential();
        m.add(
          tf.layers.dense({ units: 16, activation: 'relu', inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
        );
        m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
        return m;
      },
      train: async () => {},
      levels: [0, 0.8],
      seeds: [1, 2],
      fineTune: { data: { x, shape: [n, 4], y }, epochs: 2, batchSize: 32, learningRate: 0.01 },
    });
    const dir = mkdtempSync(join(tmpdir(), 'pie-audit-models-'));
    try {
      await savePopulation(population, join(dir, 'models'));
    } finally {
      disposePopulation(population);
    }
    writeFileSync(join(dir, 'x.npy'), encodeNpy(x, [n, 4]));
    writeFileSync(join(dir, 'y.npy'), encodeNpy(Uint8Array.from(y), [n]));
    writeFileSync(
      join(dir, 'audit.json'),
      JSON.stringify({ population: 'models', testSet: { inputs: 'x.npy', labels: 'y.npy' }, runtime: 'tfjs', backend: 'wasm' }),
    );
    const r = await runCliInProcess(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out'), '--quiet', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.testSet.inputShape).toEqual([4]);
    expect(report.environment.runtimes).toEqual({ tfjs: 4 });
    expect(report.levels[1].models.map((m: { sparsity: number }) => Math.round(m.sparsity * 10) / 10)).toEqual([0.8, 0.8]);
    expect(report.levels[1].models[0].gzippedBytes).toBeGreaterThan(0);
    expect(report.levels[1].models[0].id).toMatch(/models\/0\.8\/seed-1\/model\.json$/);
    expect(report.levels[1].classImpact.status).toBe('ok');
  });
});
