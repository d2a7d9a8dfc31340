import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCnn, buildMlp, buildMobileNet } from '../../bench/evaluate_nets.js';
import { onnx } from '../../src/onnx/onnx-proto.js';
import { compareWithTfjs, TOLERANCE } from './equivalence.js';
import { argmaxRows, randomizeWeights, useWasmBackend } from './helpers.js';

beforeAll(useWasmBackend);

const sym = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;

/** A small ResNet-like net: stem, two residual blocks (conv-BN-relu-conv-BN + Add skip), a Concatenate branch, padding, pooling. */
function buildResNetLike(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  let x = sym(tf.layers.zeroPadding2d({ padding: 1 }), input);
  x = sym(tf.layers.conv2d({ filters: 16, kernelSize: 3, useBias: false }), x);
  x = sym(tf.layers.activation({ activation: 'relu' }), sym(tf.layers.batchNormalization({}), x));
  for (let block = 0; block < 2; block++) {
    let y = sym(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }), x);
    y = sym(tf.layers.reLU({}), sym(tf.layers.batchNormalization({}), y));
    y = sym(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }), y);
    y = sym(tf.layers.batchNormalization({}), y);
    x = sym(tf.layers.activation({ activation: 'relu' }), sym(tf.layers.add(), [x, y]));
  }
  const branch = sym(tf.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'elu' }), x);
  x = sym(tf.layers.concatenate({}), [x, branch]);
  x = sym(tf.layers.averagePooling2d({ poolSize: 2 }), x);
  x = sym(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), x);
  const pooled = sym(tf.layers.globalAveragePooling2d({}), x);
  const flat = sym(tf.layers.dense({ units: 8, activation: 'swish' }), sym(tf.layers.flatten(), x));
  const head = sym(tf.layers.concatenate({}), [pooled, flat]);
  return tf.model({
    inputs: input,
    outputs: sym(tf.layers.dense({ units: 10, activation: 'softmax' }), sym(tf.layers.dropout({ rate: 0.5 }), head)),
  });
}

const NETS: Array<[name: string, build: () => tf.LayersModel, batch: number]> = [
  ['MLP 784-256-128-10', buildMlp, 64],
  ['CNN conv32-conv64-pool-dense128-dense10 on 28x28x1', buildCnn, 16],
  ['MobileNetV1-like (alpha 0.25, depthwise separable, BN, relu6, global average pool) on 32x32x3', buildMobileNet, 32],
  ['ResNet-like (residual Add, Concatenate, ZeroPadding2D, SeparableConv2D) on 16x16x3', buildResNetLike, 16],
];

describe('whole networks exported to ONNX reproduce tfjs-wasm', () => {
  for (const [name, build, batch] of NETS) {
    it(`${name}: relative max error < ${TOLERANCE}, identical top-1`, async () => {
      for (const seed of [1, 2]) {
        const model = build();
        const { error, tfjs, onnx: ort } = await compareWithTfjs(model, seed, batch);
        const classes = model.outputs[0].shape[1] as number;
        expect(error).toBeLessThan(TOLERANCE);
        expect(Array.from(argmaxRows(ort, classes))).toEqual(Array.from(argmaxRows(tfjs, classes)));
        model.dispose();
      }
    });
  }
});

/** Zeroes the smallest-magnitude `fraction` of every kernel, as magnitude pruning does; returns zero counts by weight name. */
function pruneKernels(model: tf.LayersModel, fraction: number): Map<string, number> {
  const zeros = new Map<string, number>();
  for (const layer of model.layers) {
    const values = layer.getWeights().map((w, i) => {
      if (!/kernel$/.test(layer.weights[i].originalName)) return w;
      const data = (w.dataSync() as Float32Array).slice();
      const threshold = data.map(Math.abs).sort()[Math.floor(fraction * data.length)];
      for (let k = 0; k < data.length; k++) if (Math.abs(data[k]) < threshold) data[k] = 0;
      zeros.set(layer.weights[i].originalName, data.filter((v) => v === 0).length);
      return tf.tensor(data, w.shape);
    });
    layer.setWeights(values);
  }
  return zeros;
}

describe('pruned weights', () => {
  it('stay exact zeros in the initializers and the pruned net still matches tfjs', async () => {
    const model = buildCnn();
    randomizeWeights(model, 7);
    const zerosInTfjs = pruneKernels(model, 0.9);
    for (const count of zerosInTfjs.values()) expect(count).toBeGreaterThan(0);
    const { error, bytes } = await compareWithTfjs(model, 7, 8, false);
    expect(error).toBeLessThan(TOLERANCE);

    const decoded = onnx.ModelProto.decode(bytes);
    const kernels = decoded.graph!.initializer!.filter((t) => t.name!.endsWith('/kernel'));
    expect(kernels).toHaveLength(zerosInTfjs.size);
    for (const t of kernels) {
      const raw = t.rawData!;
      const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      const zeros = values.filter((v) => v === 0 && !Object.is(v, -0)).length;
      expect(zeros).toBe(zerosInTfjs.get(t.name!));
    }
    model.dispose();
  });
});

describe('models loaded from saved artifacts', () => {
  it('export the same as the model they were saved from (configs deserialized by tfjs)', async () => {
    const original = buildMobileNet();
    randomizeWeights(original, 3);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await original.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const a = await compareWithTfjs(original, 3, 4, false);
    const b = await compareWithTfjs(loaded, 3, 4, false);
    expect(b.error).toBeLessThan(TOLERANCE);
    expect(Array.from(b.onnx)).toEqual(Array.from(a.onnx));
    original.dispose();
    loaded.dispose();
  });
});
