import { mkdtemp, readdir, readFile, rm, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSystemIO, initBackend, loadGraphModelFromFile, loadLayersModelFromFile, saveLayersModel } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'pie-audit-io-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function mlp(seed: number): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [6], units: 5, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  m.add(
    tf.layers.dense({
      units: 3,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      biasInitializer: tf.initializers.randomNormal({ seed: seed + 2 }),
    }),
  );
  return m;
}

function cnn(seed: number): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

function weightsOf(m: tf.LayersModel): Float32Array[] {
  return m.getWeights().map((w) => w.dataSync() as Float32Array);
}

function expectBitIdentical(a: tf.LayersModel, b: tf.LayersModel): void {
  const wa = weightsOf(a);
  const wb = weightsOf(b);
  expect(wb.length).toBe(wa.length);
  wa.forEach((w, i) =>
    expect(Buffer.from(wb[i].buffer, wb[i].byteOffset, wb[i].byteLength).equals(Buffer.from(w.buffer, w.byteOffset, w.byteLength))).toBe(
      true,
    ),
  );
}

describe('fileSystemIO / saveLayersModel / loadLayersModelFromFile', () => {
  it('round-trips an MLP bit-identically in the converter layout', async () => {
    const model = mlp(1);
    const dir = join(root, 'mlp');
    await saveLayersModel(model, dir);
    expect((await readdir(dir)).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin']);
    const loaded = await loadLayersModelFromFile(dir);
    expectBitIdentical(model, loaded);
    const x = tf.randomNormal([7, 6], 0, 1, 'float32', 3);
    const pa = (model.predict(x) as tf.Tensor).dataSync();
    const pb = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(pb)).toEqual(Array.from(pa));
    // also usable directly with tfjs, pointing at model.json
    const viaTf = await tf.loadLayersModel(fileSystemIO(join(dir, 'model.json')));
    expectBitIdentical(model, viaTf);
    // no temporary directories left behind
    expect((await readdir(root)).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
  });

  it('round-trips a CNN with batch norm across many shards', async () => {
    const model = cnn(5);
    const dir = join(root, 'cnn-sharded');
    await model.save(fileSystemIO(dir, { shardBytes: 64 }));
    const files = (await readdir(dir)).filter((f) => f.endsWith('.bin'));
    expect(files.length).toBeGreaterThan(3);
    expect(files).toContain(`group1-shard1of${files.length}.bin`);
    const loaded = await loadLayersModelFromFile(join(dir, 'model.json'));
    expectBitIdentical(model, loaded);
  });

  it('loads a manifest split into several groups', async () => {
    const model = mlp(9);
    const dir = join(root, 'multi-group');
    await saveLayersModel(model, dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const bytes = await readFile(join(dir, 'group1-shard1of1.bin'));
    const specs = json.weightsManifest[0].weights as { shape: number[] }[];
    const firstBytes = specs[0].shape.reduce((a, b) => a * b, 1) * 4;
    await writeFile(join(dir, 'group1-shard1of1.bin'), bytes.subarray(0, firstBytes));
    await writeFile(join(dir, 'group2-shard1of2.bin'), bytes.subarray(firstBytes, firstBytes + 8));
    await writeFile(join(dir, 'group2-shard2of2.bin'), bytes.subarray(firstBytes + 8));
    json.weightsManifest = [
      { paths: ['group1-shard1of1.bin'], weights: specs.slice(0, 1) },
      { paths: ['group2-shard1of2.bin', 'group2-shard2of2.bin'], weights: specs.slice(1) },
    ];
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    expectBitIdentical(model, await loadLayersModelFromFile(dir));
  });

  it('replaces an existing model directory atomically and refuses a directory with other files', async () => {
    const dir = join(root, 'replace');
    await saveLayersModel(mlp(1), dir);
    const second = mlp(2);
    await saveLayersModel(second, dir);
    expectBitIdentical(second, await loadLayersModelFromFile(dir));
    const other = join(root, 'not-a-model');
    await mkdir(other);
    await writeFile(join(other, 'notes.txt'), 'keep me');
    const err = await saveLayersModel(mlp(1), other).catch((e: unknown) => e);
    expect(isPieAuditError(err, 'IO_ERROR')).toBe(true);
    expect(await readFile(join(other, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  describe('corrupt files throw CORRUPT_MODEL naming the file', () => {
    it('missing model.json', async () => {
      const err = await loadLayersModelFromFile(join(root, 'nowhere')).catch((e: unknown) => e);
      expect(isPieAuditError(err, 'CORRUPT_MODEL')).toBe(true);
      expect((err as Error).message).toContain(join(root, 'nowhere', 'model.json'));
    });
    it('invalid JSON', async () => {
      const dir = join(root, 'bad-json');
      await saveLayersModel(mlp(1), dir);
      await writeFile(join(dir, 'model.json'), '{"modelTopology": ');
      const err = await loadLayersModelFromFile(dir).catch((e: unknown) => e);
      expect(isPieAuditError(err, 'CORRUPT_MODEL')).toBe(true);
      expect((err as Error).message).toContain('model.json');
      expect((err as Error).message).toContain('not valid JSON');
    });
    it('missing shard', async () => {
      const dir = join(root, 'no-shard');
      await saveLayersModel(mlp(1), dir);
      await rm(join(dir, 'group1-shard1of1.bin'));
      const err = await loadLayersModelFromFile(dir).catch((e: unknown) => e);
      expect(isPieAuditError(err, 'CORRUPT_MODEL')).toBe(true);
      expect((err as Error).message).toContain('group1-shard1of1.bin');
      expect((err as Error).message).toContain('missing');
    });
    it('truncated shard', async () => {
      const dir = join(root, 'short-shard');
      await saveLayersModel(mlp(1), dir);
      await truncate(join(dir, 'group1-shard1of1.bin'), 10);
      const err = await loadLayersModelFromFile(dir).catch((e: unknown) => e);
      expect(isPieAuditError(err, 'CORRUPT_MODEL')).toBe(true);
      expect((err as Error).message).toContain('group1-shard1of1.bin');
      expect((err as Error).message).toContain('wrong size');
    });
  });
});

describe('loadGraphModelFromFile', () => {
  it('loads a converter-style graph model and runs it', async () => {
    const dir = join(root, 'graph');
    await mkdir(dir);
    const w = new Float32Array([0.5, -1, 2, 0.25, 3, -0.5]);
    await writeFile(join(dir, 'group1-shard1of1.bin'), Buffer.from(w.buffer));
    const modelJson = {
      format: 'graph-model',
      generatedBy: '2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        node: [
          {
            name: 'x',
            op: 'Placeholder',
            attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '3' }] } } },
          },
          {
            name: 'w',
            op: 'Const',
            attr: {
              dtype: { type: 'DT_FLOAT' },
              value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '3' }, { size: '2' }] } } },
            },
          },
          {
            name: 'y',
            op: 'MatMul',
            input: ['x', 'w'],
            attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } },
          },
        ],
        library: {},
        versions: {},
      },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'w', shape: [3, 2], dtype: 'float32' }] }],
    };
    await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
    const graph = await loadGraphModelFromFile(dir);
    const y = graph.predict(tf.tensor2d([[1, 2, 3]])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([1 * 0.5 + 2 * 2 + 3 * 3, 1 * -1 + 2 * 0.25 + 3 * -0.5]);
  });
  it('throws CORRUPT_MODEL for a missing graph model', async () => {
    const err = await loadGraphModelFromFile(join(root, 'no-graph')).catch((e: unknown) => e);
    expect(isPieAuditError(err, 'CORRUPT_MODEL')).toBe(true);
  });
});
