import type * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';

/**
 * Throws `NON_FINITE` naming the layer and weight when any weight of `model` is NaN or infinite
 * (a diverged training run), so no NaN leaks into pruning, quantization or statistics.
 *
 * @throws PieAuditError `NON_FINITE`
 * @example
 * assertFiniteWeights(model); // throws PieAuditError('NON_FINITE', 'layer "dense_Dense1" weight ...')
 */
export function assertFiniteWeights(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const values = w.read().dataSync();
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i])) {
          throw new PieAuditError(
            'NON_FINITE',
            `layer "${layer.name}" weight "${w.originalName}" holds ${values[i]} at flat index ${i}; ` +
              'the model diverged or was saved corrupt: retrain with a lower learning rate or re-export it',
            { layer: layer.name, weight: w.originalName, index: i },
          );
        }
      }
    }
  }
}
