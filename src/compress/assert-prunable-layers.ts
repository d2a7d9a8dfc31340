import type * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { PRUNABLE_LAYER_CLASSES } from './prunable-weights.js';

/** Layers with weights that tfmot's registry keeps dense on purpose (normalisation statistics and scales). */
const DENSE_BY_DESIGN = new Set(['BatchNormalization', 'LayerNormalization']);

interface LayerLike {
  readonly name: string;
  getClassName(): string;
  readonly weights: unknown[];
  readonly layers?: LayerLike[];
  readonly layer?: unknown;
}

/**
 * Refuses, as tfmot's `prune_low_magnitude` does, any layer whose weights pie-audit would otherwise
 * silently leave dense: wrappers it cannot see into (Bidirectional, TimeDistributed) and layers with
 * weights of an unknown class (custom layers). Nested Sequential/functional models are searched, as
 * tfmot clones them. A layer `pruneLayer` rejects is left out on purpose and is not an error.
 *
 * @example
 * assertPrunableLayers(model, (l) => l.className !== 'Bidirectional'); // ok: the wrapper stays dense on purpose
 * @throws PieAuditError UNSUPPORTED_LAYER naming the first such layer and the fix
 */
export function assertPrunableLayers(model: tf.LayersModel, pruneLayer?: (layer: { name: string; className: string }) => boolean): void {
  const visit = (layer: LayerLike): void => {
    if (Array.isArray(layer.layers)) {
      for (const inner of layer.layers) visit(inner);
      return;
    }
    const className = layer.getClassName();
    if (pruneLayer && !pruneLayer({ name: layer.name, className })) return;
    const wrapper = layer.layer !== undefined && layer.layer !== null;
    const known = PRUNABLE_LAYER_CLASSES.has(className) || DENSE_BY_DESIGN.has(className);
    if (!wrapper && (known || layer.weights.length === 0)) return;
    const why = wrapper
      ? `wraps another layer (${className}), whose weights magnitude pruning cannot see into`
      : `is a ${className} with weights, a layer class magnitude pruning does not know`;
    throw new PieAuditError(
      'UNSUPPORTED_LAYER',
      `layer "${layer.name}" ${why}; leave it dense on purpose with options.pruneLayer (e.g. (l) => l.name !== '${layer.name}')`,
      { layer: layer.name, className },
    );
  };
  for (const layer of model.layers as unknown as LayerLike[]) visit(layer);
}
