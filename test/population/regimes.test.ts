import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import { buildPopulation, disposePopulation, loadPopulation, savePopulation, type Population } from '../../src/population/index.js';
import { auditCompression, populationMembers } from '../../src/audit/index.js';
import { formatBytes } from '../../src/report/format.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { syntheticData, tinyMlp } from '../compress/helpers.js';

const data = syntheticData(64, 12, 3, 11);
const training = { data: { x: data.x, shape: [64, 12], y: data.y }, epochs: 2, batchSize: 16, learningRate: 0.01 };
let root: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'pie-audit-regimes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const weightsOf = (pop: Population, key: string, i: number): number[][] =>
  pop.levels[key][i].getWeights().map((w) => Array.from(w.dataSync()));

describe('buildPopulation regimes', () => {
  it('fromScratch trains every (seed, level) model from its own initialisation with gradual pruning: independent levels', async () => {
    const created: number[] = [];
    const pop = await buildPopulation({
      regime: 'fromScratch',
      createModel: (seed) => (created.push(seed), tinyMlp(seed)),
      levels: [0, 0.5, 0.9],
      seeds: [1, 2],
      fromScratch: { ...training, beginStep: 2, endStep: 6, frequency: 2 },
    });
    expect(new Set(created).size).toBe(6); // six distinct initialisations, none shared between levels
    expect(pop.design.kind).toBe('independent');
    if (pop.design.kind !== 'independent') throw new Error('unreachable');
    expect(pop.design.regime).toBe('fromScratch');
    expect(Object.values(pop.design.initSeeds).flat().sort()).toEqual([...created].sort());
    pop.measuredSparsity['0.5'].forEach((s) => expect(s).toBeCloseTo(0.5, 2));
    pop.measuredSparsity['0.9'].forEach((s) => expect(s).toBeCloseTo(0.9, 2));
    // the same recipe repeats exactly
    const again = await buildPopulation({
      regime: 'fromScratch',
      createModel: (seed) => tinyMlp(seed),
      levels: [0, 0.5, 0.9],
      seeds: [1, 2],
      fromScratch: { ...training, beginStep: 2, endStep: 6, frequency: 2 },
    });
    expect(weightsOf(again, '0.9', 1)).toEqual(weightsOf(pop, '0.9', 1));
    disposePopulation(pop);
    disposePopulation(again);
  });

  it('fromScratch refuses a schedule that cannot finish within the training steps, and needs its own options', async () => {
    const late = await buildPopulation({
      regime: 'fromScratch',
      createModel: (s) => tinyMlp(s),
      levels: [0, 0.5],
      seeds: [1],
      fromScratch: { ...training, endStep: 9 },
    }).catch((e: unknown) => e);
    expect(isPieAuditError(late, 'INVALID_ARGUMENT')).toBe(true);
    expect((late as Error).message).toContain('8 steps');
    const missing = await buildPopulation({ regime: 'fromScratch', createModel: (s) => tinyMlp(s), seeds: [1], fineTune: training }).catch(
      (e: unknown) => e,
    );
    expect(isPieAuditError(missing, 'INVALID_ARGUMENT')).toBe(true);
    expect((missing as Error).message).toContain('options.fromScratch.data');
  });

  it('randomControl adds random@<level> twins: same per-layer sparsity, other weights removed, paired with the same baseline', async () => {
    const pop = await buildPopulation({
      createModel: (seed) => tinyMlp(seed),
      train: async () => {},
      levels: [0, 0.7],
      seeds: [3, 4],
      randomControl: true,
      fineTune: { ...training, frequency: 2 },
    });
    expect(pop.levelKeys).toEqual(['0', '0.7', 'random@0.7']);
    expect(pop.variants['random@0.7']).toEqual({ kind: 'random', sparsity: 0.7 });
    expect(pop.variants['0.7']).toEqual({ kind: 'magnitude', sparsity: 0.7 });
    expect(pop.design).toEqual({
      kind: 'paired',
      regime: 'fineTune',
      pairIds: { '0': ['seed-3', 'seed-4'], '0.7': ['seed-3', 'seed-4'], 'random@0.7': ['seed-3', 'seed-4'] },
    });
    for (let i = 0; i < 2; i++) {
      const magnitude = pop.levels['0.7'][i].getWeights();
      const random = pop.levels['random@0.7'][i].getWeights();
      for (const k of [0, 2]) {
        const m = magnitude[k].dataSync();
        const r = random[k].dataSync();
        expect(r.filter((v) => v === 0).length).toBe(m.filter((v) => v === 0).length);
        expect(Array.from(r, (v) => v === 0)).not.toEqual(Array.from(m, (v) => v === 0));
      }
    }
    disposePopulation(pop);
  });

  it('savePopulation records the design and the variants; loadPopulation reads them back', async () => {
    const pop = await buildPopulation({
      createModel: (s) => tinyMlp(s),
      train: async () => {},
      levels: [0, 0.5],
      seeds: [7, 8],
      randomControl: true,
      fineTune: training,
    });
    const dir = join(root, 'paired');
    await savePopulation(pop, dir);
    const manifest = JSON.parse(await readFile(join(dir, 'population.json'), 'utf8'));
    expect(manifest.design).toEqual(pop.design);
    expect(manifest.levels.map((l: { key: string }) => l.key)).toEqual(['0', '0.5', 'random@0.5']);
    const loaded = await loadPopulation(dir);
    expect(loaded.design).toEqual(pop.design);
    expect(loaded.levelKeys).toEqual(pop.levelKeys);
    expect(loaded.variants).toEqual(pop.variants);
    expect(loaded.sparsityLevels).toEqual([0, 0.5]);
    expect(weightsOf(loaded, 'random@0.5', 1)).toEqual(weightsOf(pop, 'random@0.5', 1));
    disposePopulation(pop);
    disposePopulation(loaded);
  });

  it('quantizedLevels adds float16, int8-dynamic and int8-full copies of level 0 with their stored bytes; they save and load', async () => {
    const pop = await buildPopulation({
      createModel: (s) => tinyMlp(s),
      train: async () => {},
      levels: [0, 0.5],
      seeds: [1, 2],
      fineTune: training,
      quantizedLevels: ['float16', 'int8-dynamic', 'int8-full'],
    });
    expect(pop.levelKeys).toEqual(['0', '0.5', 'float16', 'int8-dynamic', 'int8-full']);
    const stored = (key: string) => {
      const v = pop.variants[key];
      if (v.kind !== 'quantized') throw new Error(`${key} is not quantized`);
      return v.storedBytes;
    };
    const raw = (12 * 16 + 16 + 16 * 3 + 3) * 4;
    expect(stored('float16')).toEqual([raw / 2, raw / 2]);
    stored('int8-dynamic').forEach((b) => expect(b).toBeLessThan(raw / 2));
    stored('int8-full').forEach((b) => expect(b).toBeLessThan(raw / 2));
    if (pop.design.kind !== 'paired') throw new Error('expected a paired design');
    expect(pop.design.pairIds['int8-full']).toEqual(pop.design.pairIds['0']);
    const dir = join(root, 'quantized');
    await savePopulation(pop, dir);
    const loaded = await loadPopulation(dir);
    expect(loaded.levelKeys).toEqual(pop.levelKeys);
    expect(loaded.variants['int8-full']).toEqual(pop.variants['int8-full']);
    const x = tf.tensor2d(data.x, [64, 12]);
    const out = (p: Population) => Array.from((p.levels['int8-full'][1].predict(x) as tf.Tensor).dataSync());
    expect(out(loaded)).toEqual(out(pop));
    // The report's compression table shows each quantized level's stored size beside the gzipped size.
    const labels = Array.from(data.y as ArrayLike<number>);
    const report = await auditCompression({
      population: populationMembers(loaded),
      testSet: { inputs: data.x, inputShape: [12], labels },
      bootstrap: { resamples: 0 },
    });
    const level = (key: string) => report.levels.find((l) => l.key === key)!;
    expect(level('int8-full').models.map((m) => m.storedWeightBytes)).toEqual(stored('int8-full'));
    expect(level('float16').meanStoredWeightBytes).toBe(raw / 2);
    expect(level('0.5').meanStoredWeightBytes).toBeNull();
    expect(renderMarkdown(report)).toContain(`(stored ${formatBytes(raw / 2)})`);
    disposePopulation(pop);
    disposePopulation(loaded);
  });
});
