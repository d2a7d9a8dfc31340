import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import type { AuditOptions } from '../../src/audit/audit-options.js';
import { listImageFolder } from '../../src/data/image-test-set.js';
import { parseNpy } from '../../src/data/parse-npy.js';
import { initBackend } from '../../src/engine/backend.js';
import { saveLayersModel } from '../../src/engine/save-layers-model.js';
import { isPieAuditError } from '../../src/errors.js';
import { npyBatches } from '../../src/evaluate/npy-batches.js';
import type { AuditReport } from '../../src/schema/index.js';
import { runCliInProcess } from '../cli/cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-image-set-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fixture: { classNames: string[]; labels: number[]; paths: string[] };
const population: Record<string, string[]> = { 0: [], 0.8: [] };
const preprocess = { size: 8, resize: 'exact', layout: 'nhwc' } as const;

/** A linear classifier over 8x8x3 images; the compressed copies keep the largest 20 % of its weights. */
async function saveModel(seed: number, sparsity: number, path: string): Promise<void> {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [8, 8, 3] }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  // Class k's images are brightest in channel k: tilt each unit towards its channel so the models are useful.
  const [kernel, bias] = m.layers[1].getWeights();
  const w = kernel.dataSync().slice();
  for (let i = 0; i < w.length; i++) w[i] += (Math.floor(i / 3) % 3 === i % 3 ? 0.08 : -0.04) * (1 + 0.3 * Math.sin(seed + i));
  if (sparsity > 0) {
    const cut = [...w].map(Math.abs).sort((a, b) => a - b)[Math.floor(sparsity * w.length)];
    for (let i = 0; i < w.length; i++) if (Math.abs(w[i]) < cut) w[i] = 0;
  }
  m.layers[1].setWeights([tf.tensor(w, kernel.shape), bias]);
  await saveLayersModel(m, path);
  m.dispose();
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const script = fileURLToPath(new URL('./image_folder_fixture.py', import.meta.url));
  fixture = JSON.parse(execFileSync('/usr/bin/python3', [script, dir], { encoding: 'utf8' }));
  for (const [level, sparsity] of [
    ['0', 0],
    ['0.8', 0.8],
  ] as const) {
    for (const seed of [1, 2, 3]) {
      const path = join(dir, 'models', level, `seed-${seed}`);
      await saveModel(seed, sparsity, path);
      population[level].push(join(path, 'model.json'));
    }
  }
}, 120_000);

/** The report without what differs between runs (times, dates, measured latency) or between input forms (the preprocessing record, thumbnails). */
function comparable(report: AuditReport): unknown {
  const { generatedAt, timings, ...rest } = report;
  void generatedAt;
  void timings;
  const { preprocess: _, inputShape, ...testSet } = report.testSet;
  void _;
  return {
    ...rest,
    testSet: { ...testSet, inputShape },
    levels: report.levels.map(({ latency: _latency, ...l }) => ({ ...l, exemplars: l.exemplars.map((e) => ({ ...e, thumbnail: null })) })),
  };
}

const common = { runtime: 'tfjs', backend: 'wasm', batchSize: 7, maxExemplars: 4 } as const;

describe('image test sets', () => {
  it('lists class folders in torchvision ImageFolder order, skipping files that are not images', () => {
    const listed = listImageFolder(join(dir, 'images'));
    expect(listed.classNames).toEqual(fixture.classNames);
    expect(Array.from(listed.labels!)).toEqual(fixture.labels);
    expect(listed.paths).toEqual(fixture.paths.map((p) => join(dir, p)));
  });

  it('audits a PNG/JPEG folder through the API exactly as the same images converted to a tensor by hand with PIL', async () => {
    const map = (pop: Record<string, string[]>) => new Map(Object.entries(pop)) as AuditOptions['population'];
    const x = parseNpy(readFileSync(join(dir, 'x.npy')), 'x.npy');
    const byHand = await auditCompression({
      ...common,
      population: map(population),
      testSet: { inputs: x.data as Float32Array, inputShape: [8, 8, 3], labels: fixture.labels },
      classNames: fixture.classNames,
    });
    const fromImages = await auditCompression({
      ...common,
      population: map(population),
      testSet: { images: join(dir, 'images'), preprocess },
    });
    expect(comparable(fromImages)).toEqual(comparable(byHand));
    expect(fromImages.classNames).toEqual(['cat', 'dog', 'eel']);
    expect(fromImages.testSet.preprocess).toMatchObject({ preset: null, size: [8, 8], resize: 'exact', layout: 'nhwc', channels: 3 });
    expect(fromImages.testSet.inputShape).toEqual([8, 8, 3]);
    // Thumbnails are the stored photographs (their own size, not the 8x8 input).
    const exemplars = fromImages.levels.flatMap((l) => l.exemplars);
    expect(exemplars.length).toBeGreaterThan(0);
    for (const e of exemplars) expect(e.thumbnail).toMatch(/^data:image\/png;base64,/);

    // The same tensor read by ranges from a .npy file.
    const batches = npyBatches(join(dir, 'x.npy'));
    try {
      const fromNpy = await auditCompression({
        ...common,
        population: map(population),
        testSet: { batches, labels: fixture.labels },
        classNames: fixture.classNames,
      });
      expect(comparable(fromNpy)).toEqual(comparable(byHand));
    } finally {
      await batches.close();
    }
  }, 120_000);

  it('audits the folder through the CLI config with the same report', async () => {
    const config = { population, testSet: { images: 'images', preprocess }, ...common };
    writeFileSync(join(dir, 'audit.json'), JSON.stringify(config));
    const r = await runCliInProcess(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out'), '--quiet', '--format', 'json,html']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as AuditReport;
    const x = parseNpy(readFileSync(join(dir, 'x.npy')), 'x.npy');
    const byHand = await auditCompression({
      ...common,
      population: new Map(Object.entries(population)),
      testSet: { inputs: x.data as Float32Array, inputShape: [8, 8, 3], labels: fixture.labels },
      classNames: fixture.classNames,
    });
    // Member ids are paths relative to the config (CLI) or to the working folder (API): the sanity warnings name
    // them, so they are compared with the ids' shared tail.
    const strip = (v: unknown) =>
      JSON.parse(
        JSON.stringify(comparable(v as AuditReport), (k, val) =>
          k === 'id' || k === 'source' || k === 'contentHash'
            ? undefined
            : typeof val === 'string'
              ? val.replace(/'[^']*models\//g, "'")
              : val,
        ),
      );
    expect(strip(report)).toEqual(strip(byHand));
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('data:image/png;base64,');
  }, 120_000);

  it('splits the folder audit into jobs (plan, run-shard, merge; ranges of 5 images) with the in-process report', async () => {
    const config = { population, testSet: { images: 'images', preprocess }, ...common, latency: false };
    writeFileSync(join(dir, 'plan-audit.json'), JSON.stringify(config));
    const local = await runCliInProcess(['audit', join(dir, 'plan-audit.json'), '--out', join(dir, 'plan-local'), '--quiet']);
    expect(local.code).toBe(0);
    const planDir = join(dir, 'plan');
    const args = ['plan', join(dir, 'plan-audit.json'), '--shards', '2', '--out', planDir, '--examples-per-job', '5'];
    expect((await runCliInProcess(args)).code).toBe(0);
    const plan = JSON.parse(readFileSync(join(planDir, 'plan.json'), 'utf8')) as { jobs: Array<{ range?: number[] }> };
    expect(plan.jobs.filter((j) => j.range).length).toBe(6 * Math.ceil(fixture.paths.length / 5));
    for (const index of ['0', '1']) expect((await runCliInProcess(['run-shard', planDir, '--index', index, '--quiet'])).code).toBe(0);
    const merged = await runCliInProcess(['merge', planDir, '--out', join(dir, 'plan-out'), '--quiet']);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    const read = (folder: string) => comparable(JSON.parse(readFileSync(join(dir, folder, 'report.json'), 'utf8')) as AuditReport);
    const strip = (v: unknown) => JSON.parse(JSON.stringify(v, (k, val) => (k === 'runtime' || k === 'environment' ? undefined : val)));
    expect(strip(read('plan-out'))).toEqual(strip(read('plan-local')));
    // A job's inputs are the images' content: other pixels under the same names give other job ids.
    const ids = () =>
      (JSON.parse(readFileSync(join(planDir, 'plan.json'), 'utf8')) as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id);
    const before = ids();
    const first = join(dir, fixture.paths[0]);
    const bytes = readFileSync(first);
    try {
      writeFileSync(first, readFileSync(join(dir, fixture.paths[1])));
      expect((await runCliInProcess([...args.slice(0, 5), join(dir, 'plan-2'), ...args.slice(6)])).code).toBe(0);
      const after = (JSON.parse(readFileSync(join(dir, 'plan-2', 'plan.json'), 'utf8')) as { jobs: Array<{ id: string }> }).jobs.map(
        (j) => j.id,
      );
      expect(after.filter((id) => before.includes(id))).toEqual([]);
    } finally {
      writeFileSync(first, bytes);
    }
  }, 180_000);

  it('names a .npy test set in job ids by its content, not only its shape', async () => {
    const x = parseNpy(readFileSync(join(dir, 'x.npy')), 'x.npy');
    const { encodeNpy } = await import('../../src/data/npy.js');
    const shape = [fixture.labels.length, 8, 8, 3];
    writeFileSync(join(dir, 'x-plan.npy'), encodeNpy(x.data as Float32Array, shape));
    writeFileSync(join(dir, 'y-plan.npy'), encodeNpy(Int32Array.from(fixture.labels), [fixture.labels.length]));
    const config = { population, testSet: { inputs: 'x-plan.npy', labels: 'y-plan.npy' }, classNames: fixture.classNames, ...common };
    writeFileSync(join(dir, 'npy-audit.json'), JSON.stringify(config));
    const planIds = async (out: string) => {
      const r = await runCliInProcess(['plan', join(dir, 'npy-audit.json'), '--shards', '1', '--out', join(dir, out)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return (JSON.parse(readFileSync(join(dir, out, 'plan.json'), 'utf8')) as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id);
    };
    const same = [await planIds('npy-plan-1'), await planIds('npy-plan-2')];
    expect(same[1]).toEqual(same[0]);
    const other = Float32Array.from(x.data as Float32Array, (v) => 1 - v);
    writeFileSync(join(dir, 'x-plan.npy'), encodeNpy(other, shape));
    const changed = await planIds('npy-plan-3');
    expect(changed.filter((id) => same[0].includes(id))).toEqual([]);
  }, 60_000);

  it('rejects a missing preprocessing, a corrupt image and a path outside the list folder with typed errors naming them', async () => {
    const base = { ...common, population: new Map(Object.entries(population)) };
    await expect(auditCompression({ ...base, testSet: { images: join(dir, 'images') } })).rejects.toSatisfy(
      (e) => isPieAuditError(e, 'CONFIG_ERROR') && /testSet\.preprocess/.test(String(e)),
    );
    writeFileSync(join(dir, 'bad.csv'), 'path,label\n../outside.png,0\n');
    await expect(auditCompression({ ...base, testSet: { images: { list: join(dir, 'bad.csv') }, preprocess } })).rejects.toSatisfy(
      (e) => isPieAuditError(e, 'CONFIG_ERROR') && /outside|inside/.test(String(e)),
    );
    writeFileSync(join(dir, 'broken.jpg'), 'not a jpeg');
    writeFileSync(join(dir, 'list.csv'), `path,label,site\nimages/cat/00.jpg,0,a\nbroken.jpg,1,b\n`);
    await expect(auditCompression({ ...base, testSet: { images: { list: join(dir, 'list.csv') }, preprocess } })).rejects.toSatisfy(
      (e) => isPieAuditError(e, 'CORRUPT_FILE') && String(e).includes('broken.jpg'),
    );
  }, 60_000);
});
