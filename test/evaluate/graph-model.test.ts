import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraphModelFromFile } from '../../src/engine/index.js';
import { evaluatePopulation } from '../../src/evaluate/evaluate-population.js';
import { argmaxReference, loadDigits, seededFloats, useWasm } from './helpers.js';

const digits = loadDigits(120);
const k = 10;
const weights = seededFloats(64 * k, 9);
const dir = mkdtempSync(join(tmpdir(), 'pie-graph-'));

/** A graph-model model.json (the tensorflowjs_converter layout): y = softmax(reshape(x, [-1, 64]) @ W). */
function writeGraphModel(path: string): void {
  const shape = (dims: number[]) => ({ dim: dims.map((d) => ({ size: String(d) })) });
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'hand-written test graph',
    convertedBy: null,
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: shape([-1, 8, 8, 1]) } } },
        {
          name: 'flat_shape',
          op: 'Const',
          attr: { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32', tensorShape: shape([2]) } } },
        },
        {
          name: 'W',
          op: 'Const',
          attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: shape([64, k]) } } },
        },
        { name: 'flat', op: 'Reshape', input: ['x', 'flat_shape'], attr: { T: { type: 'DT_FLOAT' }, Tshape: { type: 'DT_INT32' } } },
        {
          name: 'logits',
          op: 'MatMul',
          input: ['flat', 'W'],
          attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } },
        },
        { name: 'y', op: 'Softmax', input: ['logits'], attr: { T: { type: 'DT_FLOAT' } } },
      ],
      library: {},
      versions: { producer: 1 },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'flat_shape', shape: [2], dtype: 'int32' },
          { name: 'W', shape: [64, k], dtype: 'float32' },
        ],
      },
    ],
  };
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'model.json'), JSON.stringify(modelJson));
  const bin = Buffer.concat([Buffer.from(new Int32Array([-1, 64]).buffer), Buffer.from(weights.buffer)]);
  writeFileSync(join(path, 'group1-shard1of1.bin'), bin);
}

beforeAll(useWasm);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GraphModel sources', () => {
  it('evaluates a graph-model model.json by path (format detected) and in memory, leaking no tensors', async () => {
    const path = join(dir, 'graph');
    writeGraphModel(path);
    const logits = new Float32Array(digits.n * k);
    for (let i = 0; i < digits.n; i++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let f = 0; f < 64; f++) s += digits.inputs[i * 64 + f] * weights[f * k + c];
        logits[i * k + c] = s;
      }
    }
    const before = tf.memory().numTensors;
    const r = await evaluatePopulation([path], digits, { batchSize: 50, cache: { dir: join(dir, 'cache') } });
    expect(r.perModel[0].runtime).toBe('tfjs');
    expect(r.perModel[0].fallbackReason).toMatch(/LayersModels only/);
    expect(Array.from(r.predictions)).toEqual(argmaxReference(logits, digits.n, k));
    expect(tf.memory().numTensors).toBe(before);
    const again = await evaluatePopulation([path], digits, { cache: { dir: join(dir, 'cache') } });
    expect(again.perModel[0].cached).toBe(true);
    const graph = await loadGraphModelFromFile(path);
    try {
      const inMemory = await evaluatePopulation([graph, graph], digits, { batchSize: 33, cache: { dir: join(dir, 'cache-mem') } });
      expect(Array.from(inMemory.predictions.subarray(0, digits.n))).toEqual(Array.from(r.predictions));
      expect(inMemory.perModel.map((p) => p.cached)).toEqual([false, true]);
    } finally {
      graph.dispose();
    }
  });
});
