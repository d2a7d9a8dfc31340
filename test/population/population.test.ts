import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fineTunePruned, pruneLowMagnitude, constantSparsity } from '../../src/compress/index.js';
import { initBackend, saveLayersModel } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import {
  buildPopulation,
  disposePopulation,
  loadPopulation,
  savePopulation,
  type Population,
  type PopulationProgress,
} from '../../src/population/index.js';
import { syntheticData, tinyMlp, zerosOf } from '../compress/helpers.js';

const data = syntheticData(64, 12, 3, 11);
let root: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'pie-audit-pop-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Baseline training through the same machinery: plain fine-tuning at sparsity 0. */
async function trainBaseline(model: tf.LayersModel, seed: number): Promise<void> {
  const handle = await pruneLowMagnitude(model, { schedule: constantSparsity(0), inPlace: true });
  await fineTunePruned(handle, { x: data.x, shape: [64, 12], y: data.y }, { epochs: 2, batchSize: 16, seed, learningRate: 0.02 });
  handle.dispose();
}

function build(seeds: number[], onProgress?: (p: PopulationProgress) => void, schedule?: 'oneShot' | 'polynomial'): Promise<Population> {
  return buildPopulation({
    createModel: (seed) => tinyMlp(seed),
    train: trainBaseline,
    levels: [0, 0.5, 0.9],
    seeds,
    fineTune: {
      data: { x: data.x, shape: [64, 12], y: data.y },
      epochs: 2,
      batchSize: 16,
      learningRate: 0.01,
      frequency: 2,
      ...(schedule ? { schedule } : {}),
    },
    ...(onProgress ? { onProgress } : {}),
  });
}

const flat = (pop: Population) =>
  Object.values(pop.levels)
    .flat()
    .map((m) => m.getWeights().map((w) => Array.from(w.dataSync())));

describe('buildPopulation', () => {
  it('prunes every baseline at every level, fine-tunes all with the same budget, and repeats exactly for the same seeds', async () => {
    const progress: PopulationProgress[] = [];
    const a = await build([1, 2], (p) => progress.push(p));
    expect(Object.keys(a.levels)).toEqual(['0', '0.5', '0.9']);
    expect(a.sparsityLevels).toEqual([0, 0.5, 0.9]);
    for (const models of Object.values(a.levels)) expect(models.length).toBe(2);
    expect(a.modelNames['0.9']).toEqual(['seed-1', 'seed-2']);
    a.measuredSparsity['0'].forEach((s) => expect(s).toBe(0));
    a.measuredSparsity['0.5'].forEach((s) => expect(s).toBeCloseTo(0.5, 2));
    a.measuredSparsity['0.9'].forEach((s) => expect(s).toBeCloseTo(0.9, 2));
    expect(progress.map((p) => `${p.phase}:${p.seed}:${p.level ?? '-'}`)).toEqual([
      'train:1:-',
      'fineTune:1:0',
      'fineTune:1:0.5',
      'fineTune:1:0.9',
      'train:2:-',
      'fineTune:2:0',
      'fineTune:2:0.5',
      'fineTune:2:0.9',
    ]);
    expect(progress.at(-1)).toMatchObject({ completed: 8, total: 8 });
    const b = await build([1, 2]);
    expect(flat(b)).toEqual(flat(a));
    // the different seeds gave different baselines
    expect(flat(a)[0]).not.toEqual(flat(a)[1]);
    disposePopulation(a);
    disposePopulation(b);
  });

  it('disposes everything it does not return', async () => {
    await build([3]).then(disposePopulation); // warm-up: kernels and optimizer slots
    const before = tf.memory().numTensors;
    const pop = await build([3, 4], undefined, 'polynomial');
    const held = Object.values(pop.levels)
      .flat()
      .reduce((a, m) => a + m.getWeights().length, 0);
    pop.measuredSparsity['0.9'].forEach((s) => expect(s).toBeCloseTo(0.9, 2));
    disposePopulation(pop);
    expect(tf.memory().numTensors).toBe(before);
    expect(held).toBeGreaterThan(0);
  });

  it('validates levels and seeds', async () => {
    const bad = [
      { levels: [0, 1], code: 'INVALID_SPARSITY' },
      { levels: [], code: 'EMPTY_POPULATION' },
      { seeds: [], code: 'EMPTY_POPULATION' },
      { seeds: [1, 1], code: 'INVALID_ARGUMENT' },
    ] as const;
    for (const c of bad) {
      const e = await buildPopulation({
        createModel: (s) => tinyMlp(s),
        train: async () => {},
        seeds: 'seeds' in c ? [...c.seeds] : [1],
        ...('levels' in c ? { levels: [...c.levels] } : {}),
        fineTune: { data: { x: data.x, shape: [64, 12], y: data.y }, epochs: 1, batchSize: 16 },
      }).catch((err: unknown) => err);
      expect(isPieAuditError(e, c.code)).toBe(true);
    }
  });
});

describe('savePopulation / loadPopulation', () => {
  it('round-trips the <dir>/<level>/<model>/model.json layout with a manifest', async () => {
    const pop = await build([5, 6]);
    const dir = join(root, 'pop');
    await savePopulation(pop, dir);
    expect((await readdir(dir)).sort()).toEqual(['0', '0.5', '0.9', 'population.json']);
    expect((await readdir(join(dir, '0.9'))).sort()).toEqual(['seed-5', 'seed-6']);
    expect((await readdir(join(dir, '0.9', 'seed-5'))).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const manifest = JSON.parse(await readFile(join(dir, 'population.json'), 'utf8'));
    expect(manifest.seeds).toEqual([5, 6]);
    const loaded = await loadPopulation(dir);
    expect(loaded.seeds).toEqual([5, 6]);
    expect(loaded.sparsityLevels).toEqual([0, 0.5, 0.9]);
    expect(loaded.modelNames).toEqual(pop.modelNames);
    expect(flat(loaded)).toEqual(flat(pop));
    expect(loaded.measuredSparsity).toEqual(pop.measuredSparsity);
    // saving again over a saved population replaces it; nothing temporary is left behind
    await savePopulation(loaded, dir);
    expect((await readdir(root)).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
    disposePopulation(pop);
    disposePopulation(loaded);
  });

  it('loads a hand-made layout without a manifest (e.g. tensorflowjs_converter output), models in natural order', async () => {
    const dir = join(root, 'converted');
    const models: Record<string, tf.LayersModel[]> = { '0': [tinyMlp(1), tinyMlp(2)], '0.90': [tinyMlp(3)] };
    const names = ['run-2', 'run-10'];
    for (const [level, ms] of Object.entries(models))
      for (let i = 0; i < ms.length; i++) await saveLayersModel(ms[i], join(dir, level, names[i]));
    await mkdir(join(dir, 'notes'));
    await writeFile(join(dir, 'README.txt'), 'not a level');
    const loaded = await loadPopulation(dir);
    expect(Object.keys(loaded.levels)).toEqual(['0', '0.9']);
    expect(loaded.modelNames['0']).toEqual(['run-2', 'run-10']);
    expect(loaded.seeds).toEqual([]);
    const zeroWeights = loaded.levels['0'][1].getWeights()[0].dataSync();
    expect(Array.from(zeroWeights)).toEqual(Array.from(models['0'][1].getWeights()[0].dataSync()));
    expect(zerosOf(Float32Array.from(zeroWeights))).toBe(0);
    disposePopulation(loaded);
  });

  it('reports empty or corrupt populations clearly', async () => {
    const empty = join(root, 'empty');
    await mkdir(join(empty, '0.5'), { recursive: true });
    const e1 = await loadPopulation(empty).catch((e: unknown) => e);
    expect(isPieAuditError(e1, 'EMPTY_POPULATION')).toBe(true);
    const broken = join(root, 'broken');
    await saveLayersModel(tinyMlp(1), join(broken, '0', 'a'));
    await rm(join(broken, '0', 'a', 'group1-shard1of1.bin'));
    const e2 = await loadPopulation(broken).catch((e: unknown) => e);
    expect(isPieAuditError(e2, 'CORRUPT_MODEL')).toBe(true);
    expect((e2 as Error).message).toContain('group1-shard1of1.bin');
    const other = join(root, 'other');
    await mkdir(other);
    await writeFile(join(other, 'x.txt'), 'keep');
    const pop: Population = {
      levels: { '0': [tinyMlp(1)] },
      sparsityLevels: [0],
      levelKeys: ['0'],
      variants: {},
      design: { kind: 'unknown' },
      seeds: [],
      modelNames: { '0': ['m'] },
      measuredSparsity: {},
    };
    const e3 = await savePopulation(pop, other).catch((e: unknown) => e);
    expect(isPieAuditError(e3, 'IO_ERROR')).toBe(true);
  });
});
