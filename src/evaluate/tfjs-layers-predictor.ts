import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { resolveInputShape } from './input-shape.js';
import type { SourcePredictor } from './source-predictor.js';

/**
 * Runs a tfjs LayersModel batch by batch: each batch becomes one tensor built from the caller's
 * `Float32Array` view and goes through `predictOnBatch` inside `tf.tidy`, so nothing leaks and the
 * wasm `Slice` kernel (which `model.predict` would call on the whole input for every 32 rows) is never used.
 *
 * `inputShape` is the per-example shape of the test set; it must fit the model's declared input
 * (`SHAPE_MISMATCH` otherwise). The caller keeps ownership of `model`: `dispose()` does not dispose it
 * unless `ownsModel` is set.
 *
 * @throws PieAuditError `UNSUPPORTED_LAYER`, `SHAPE_MISMATCH`
 * @example
 * const p = createTfjsLayersPredictor(model, { inputShape: [8, 8, 1], name: 'baseline' });
 * const scores = await p.predict(batchOf64Examples, 64); // 64 * nClasses values
 */
export function createTfjsLayersPredictor(
  model: tf.LayersModel,
  options: { inputShape?: readonly number[]; name?: string; fallbackReason?: string; ownsModel?: boolean } = {},
): SourcePredictor {
  const name = options.name ?? `LayersModel ${model.name}`;
  if (model.inputs.length !== 1 || model.outputs.length < 1) {
    throw new PieAuditError('UNSUPPORTED_LAYER', `${name} has ${model.inputs.length} inputs; evaluation feeds a single input tensor.`, {
      model: name,
    });
  }
  const shape = resolveInputShape(model.inputs[0].shape.slice(1), options.inputShape, name);
  const outShape = model.outputs[0].shape.slice(1);
  const nClasses = outShape.every((d) => typeof d === 'number') ? (outShape as number[]).reduce((a, b) => a * b, 1) : undefined;
  return {
    runtime: 'tfjs',
    modelKind: 'layers',
    ...(options.fallbackReason !== undefined ? { fallbackReason: options.fallbackReason } : {}),
    nClasses,
    inputShape: shape,
    backend: tf.getBackend(),
    async predict(inputs: Float32Array, batchSize: number): Promise<Float32Array> {
      const output = tf.tidy(() => {
        const x = tf.tensor(inputs, [batchSize, ...shape], 'float32');
        const y = model.predictOnBatch(x);
        return Array.isArray(y) ? y[0] : y;
      });
      try {
        const data = await output.data();
        return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
      } finally {
        output.dispose();
      }
    },
    dispose() {
      if (options.ownsModel) model.dispose();
    },
  };
}
