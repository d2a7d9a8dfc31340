import type * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';

/**
 * Throws `NON_FINITE` naming the weight when a GraphModel's float weights hold NaN or infinity (the
 * GraphModel counterpart of the compress module's `assertFiniteWeights`).
 *
 * @throws {PieAuditError} `NON_FINITE` naming the weight and flat index.
 * @example
 * assertFiniteGraphWeights(await tf.loadGraphModel(handler));
 */
export function assertFiniteGraphWeights(model: tf.GraphModel): void {
  for (const [name, tensors] of Object.entries(model.weights)) {
    for (const t of tensors) {
      if (t.dtype !== 'float32') continue;
      const values = t.dataSync() as Float32Array;
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i])) {
          throw new PieAuditError(
            'NON_FINITE',
            `weight "${name}" holds ${values[i]} at flat index ${i}; the model diverged or was saved corrupt: retrain or re-export it`,
            {
              weight: name,
              index: i,
            },
          );
        }
      }
    }
  }
}
