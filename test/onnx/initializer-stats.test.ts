/**
 * ONNX levels get sparsity and gzipped size from the model's initializers, as tfjs models do from their
 * weights: checked against the tfjs model the file was exported from (compressionStats), against an independent
 * reading of the file with the Python onnx package, and end to end through auditCompression on .onnx paths.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { measureModel } from '../../src/audit/measure-model.js';
import { compressionStats } from '../../src/compress/compression-stats.js';
import { exportLayersModelToOnnx } from '../../src/onnx/index.js';
import { onnxInitializerStats } from '../../src/onnx/onnx-initializer-stats.js';
import { randomizeWeights, seededRandom, uniform, useWasmBackend } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-onnx-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(useWasmBackend);

/** A small CNN with `sparsity` of every kernel set to exact zeros (seeded), biases left dense. */
function prunedCnn(seed: number, sparsity: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 8, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 3 }));
  randomizeWeights(model, seed);
  const rand = seededRandom(seed + 100);
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    layer.setWeights(
      layer.getWeights().map((w, i) => {
        const values = Float32Array.from(w.dataSync());
        if (i === 0) for (let j = 0; j < values.length; j++) if (rand() < sparsity) values[j] = j % 2 === 0 ? 0 : -0;
        return tf.tensor(values, w.shape);
      }),
    );
  }
  return model;
}

/** What the Python onnx package reads from the file: zeros and entries of rank >= 2 float initializers, and weight bytes. */
function pythonReference(file: string): { zeros: number; parameters: number; rawBytes: number } {
  const script = `
import json, sys, onnx, numpy as np
from onnx import numpy_helper
m = onnx.load(sys.argv[1])
zeros = params = raw = 0
for t in m.graph.initializer:
    a = numpy_helper.to_array(t)
    if a.dtype == np.int64:
        continue
    raw += a.nbytes
    if a.ndim >= 2:
        params += a.size
        zeros += int(np.count_nonzero(a == 0))
print(json.dumps({"zeros": zeros, "parameters": params, "rawBytes": raw}))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }));
}

describe('sparsity and gzipped size of ONNX models, from the initializers', () => {
  it('match the tfjs model the file was exported from, and the Python onnx package reading the file', () => {
    for (const [seed, sparsity] of [
      [1, 0],
      [2, 0.5],
      [3, 0.9],
    ] as const) {
      const model = prunedCnn(seed, sparsity);
      const bytes = exportLayersModelToOnnx(model);
      const file = join(dir, `cnn-${seed}.onnx`);
      writeFileSync(file, bytes);
      const stats = onnxInitializerStats(bytes);
      const tfjs = compressionStats(model);
      expect(stats.prunableParameters).toBe(tfjs.prunableParameters);
      expect(stats.prunableZeros).toBe(tfjs.prunableZeros);
      expect(stats.prunableSparsity).toBe(tfjs.prunableSparsity);
      expect(stats.rawBytes).toBe(tfjs.rawBytes);
      const python = pythonReference(file);
      expect({ zeros: stats.prunableZeros, parameters: stats.prunableParameters, rawBytes: stats.rawBytes }).toEqual(python);
      model.dispose();
    }
  });

  it('gzip the initializer bytes: sparser weights compress smaller, and the size is that of gzipping the raw initializers', () => {
    const dense = onnxInitializerStats(exportLayersModelToOnnx(prunedCnn(4, 0)));
    const sparse = onnxInitializerStats(exportLayersModelToOnnx(prunedCnn(4, 0.9)));
    expect(sparse.rawBytes).toBe(dense.rawBytes);
    expect(sparse.gzipBytes).toBeLessThan(dense.gzipBytes * 0.5);
    // Independently: a weight initializer of 1000 zeros stored as raw bytes gzips to what gzipSync gives them.
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [100], units: 10, useBias: false, kernelInitializer: 'zeros' }));
    const stats = onnxInitializerStats(exportLayersModelToOnnx(model));
    expect(stats.prunableSparsity).toBe(1);
    expect(stats.rawBytes).toBe(4000);
    expect(stats.gzipBytes).toBe(gzipSync(new Uint8Array(4000), { level: 6 }).length);
  });

  it('show in the audit of a population of .onnx files (levels no longer show a dash)', async () => {
    const rand = seededRandom(9);
    const n = 30;
    const inputs = uniform(rand, n * 72);
    const population: Record<string, string[]> = {};
    for (const [level, sparsity] of [
      ['0', 0],
      ['0.9', 0.9],
    ] as const) {
      mkdirSync(join(dir, 'pop', level), { recursive: true });
      population[level] = [1, 2].map((seed) => {
        const model = prunedCnn(seed, sparsity);
        const file = join(dir, 'pop', level, `seed-${seed}.onnx`);
        writeFileSync(file, exportLayersModelToOnnx(model));
        model.dispose();
        return file;
      });
    }
    const report = await auditCompression({ population, testSet: { inputs, inputShape: [6, 6, 2], n } });
    const [base, pruned] = report.levels;
    for (const level of report.levels)
      for (const m of level.models) {
        const measured = await measureModel(population[level.key][m.index]);
        expect(m.sparsity).toBe(measured.sparsity);
        expect(m.gzippedBytes).toBe(measured.gzippedBytes);
        expect(m.gzippedBytes).toBe(onnxInitializerStats(readFileSync(population[level.key][m.index])).gzipBytes);
      }
    expect(base.meanSparsity).toBe(0);
    expect(pruned.meanSparsity).toBeGreaterThan(0.85);
    expect(pruned.meanGzippedBytes!).toBeLessThan(base.meanGzippedBytes!);
  });
});
