import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { resolveInputShape } from './input-shape.js';
import type { SourcePredictor } from './source-predictor.js';

/**
 * Runs a tfjs GraphModel batch by batch on tensors built from the caller's `Float32Array` views.
 * Uses `execute` inside `tf.tidy`; graphs with control flow (which `execute` refuses) switch to
 * `executeAsync`, disposing every intermediate output by hand. Only the first output is read.
 *
 * @throws PieAuditError `UNSUPPORTED_LAYER`
 * @example
 * const p = createTfjsGraphPredictor(graph, { inputShape: [28, 28, 1] });
 * const scores = await p.predict(batch, 128);
 */
export function createTfjsGraphPredictor(
  model: tf.GraphModel,
  options: { inputShape?: readonly number[]; name?: string; ownsModel?: boolean } = {},
): SourcePredictor {
  const name = options.name ?? 'GraphModel';
  if (model.inputs.length !== 1) {
    throw new PieAuditError('UNSUPPORTED_LAYER', `${name} has ${model.inputs.length} inputs; evaluation feeds a single input tensor.`, {
      model: name,
    });
  }
  const declared = model.inputs[0].shape?.slice(1).map((d) => (d < 0 ? null : d));
  const shape = resolveInputShape(declared, options.inputShape, name);
  const outputName = model.outputs[0]?.name;
  const outShape = model.outputs[0]?.shape?.slice(1);
  const nClasses = outShape?.every((d) => d > 0) ? outShape.reduce((a, b) => a * b, 1) : undefined;
  let useAsync = false;

  const read = async (output: tf.Tensor): Promise<Float32Array> => {
    const data = await output.data();
    return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
  };

  return {
    runtime: 'tfjs',
    modelKind: 'graph',
    nClasses,
    inputShape: shape,
    backend: tf.getBackend(),
    async predict(inputs: Float32Array, batchSize: number): Promise<Float32Array> {
      if (!useAsync) {
        let output: tf.Tensor | undefined;
        try {
          output = tf.tidy(() => {
            const x = tf.tensor(inputs, [batchSize, ...shape], 'float32');
            const y = model.execute(x, outputName);
            return Array.isArray(y) ? y[0] : y;
          });
        } catch (e) {
          // Graphs with dynamic control flow must run through executeAsync.
          if (!/executeAsync/.test((e as Error).message)) throw e;
          useAsync = true;
        }
        if (output) {
          try {
            return await read(output);
          } finally {
            output.dispose();
          }
        }
      }
      const x = tf.tensor(inputs, [batchSize, ...shape], 'float32');
      let outputs: tf.Tensor[] = [];
      try {
        const y = await model.executeAsync(x, outputName);
        outputs = Array.isArray(y) ? y : [y];
        return await read(outputs[0]);
      } finally {
        x.dispose();
        for (const t of outputs) t.dispose();
      }
    },
    dispose() {
      if (options.ownsModel) model.dispose();
    },
  };
}
