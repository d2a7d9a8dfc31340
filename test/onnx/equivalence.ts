import * as tf from '@tensorflow/tfjs';
import { exportLayersModelToOnnx } from '../../src/onnx/export-layers-model.js';
import { ortPredict, randomizeWeights, relativeMaxError, seededRandom, tfjsPredict, uniform } from './helpers.js';

/** Largest relative error (max abs diff / max abs tfjs value) accepted between ONNX and tfjs outputs. */
export const TOLERANCE = 1e-5;

export interface Comparison {
  readonly error: number;
  readonly tfjs: Float32Array;
  readonly onnx: Float32Array;
  readonly bytes: Uint8Array;
}

/** Randomizes the model's weights (seeded), exports it, and runs one seeded batch through tfjs-wasm and onnxruntime. */
export async function compareWithTfjs(model: tf.LayersModel, seed: number, batch = 3, weights = true): Promise<Comparison> {
  if (weights) randomizeWeights(model, seed);
  const featureShape = model.inputs[0].shape.slice(1) as number[];
  const size = featureShape.reduce((a, b) => a * b, 1);
  const inputs = uniform(seededRandom(seed ^ 0x5bd1e995), batch * size, -2, 2);
  const bytes = exportLayersModelToOnnx(model);
  const expected = tfjsPredict(model, inputs, batch);
  const actual = await ortPredict(bytes, [batch, ...featureShape], inputs);
  return { error: relativeMaxError(actual, expected), tfjs: expected, onnx: actual, bytes };
}

/**
 * A model computing `layer(input)`; with `afterConv` the layer reads the output of a 1x1 convolution,
 * so it receives a value the exporter holds in NCHW rather than the NHWC graph input.
 */
export function singleLayerModel(
  inputShape: number[],
  apply: (x: tf.SymbolicTensor) => tf.SymbolicTensor,
  afterConv = false,
): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const x = afterConv ? (tf.layers.conv2d({ filters: inputShape[2], kernelSize: 1 }).apply(input) as tf.SymbolicTensor) : input;
  return tf.model({ inputs: input, outputs: apply(x) });
}
