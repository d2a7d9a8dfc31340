import type * as tf from '@tensorflow/tfjs';

type LayerVariable = tf.LayerVariable;

/** One weight tensor that magnitude pruning applies to. */
export interface PrunableWeight {
  /** Name of the layer that owns the weight (e.g. `dense_Dense1`). */
  readonly layerName: string;
  /** Keras/tfjs class of that layer (e.g. `Dense`, `Conv2D`). */
  readonly layerClass: string;
  /** Weight name as saved in model.json (e.g. `dense_Dense1/kernel`), the key of masks and statistics. */
  readonly name: string;
  readonly shape: readonly number[];
  /** The live variable inside the model. */
  readonly variable: LayerVariable;
}

/** Options for {@link findPrunableWeights}. */
export interface FindPrunableWeightsOptions {
  /**
   * Also prune depthwise kernels (DepthwiseConv2D, and the depthwise half of SeparableConv2D).
   * tfmot's registry leaves them dense; default true.
   */
  readonly pruneDepthwise?: boolean;
  /**
   * Which layers to prune, as tfmot's idiom of wrapping only chosen layers with `prune_low_magnitude`
   * (e.g. keep the classifier dense: `(l) => l.name !== 'logits'`). Default: every prunable layer.
   */
  readonly pruneLayer?: (layer: { name: string; className: string }) => boolean;
}

/**
 * Which weights of each layer class are pruned: tfmot's `PruneRegistry` (kernels of dense,
 * convolutional, locally connected and recurrent layers, embeddings; never biases or normalisation).
 */
const PRUNABLE_WEIGHTS: Record<string, readonly string[]> = {
  Dense: ['kernel'],
  Conv1D: ['kernel'],
  Conv2D: ['kernel'],
  Conv3D: ['kernel'],
  Conv2DTranspose: ['kernel'],
  Conv3DTranspose: ['kernel'],
  SeparableConv2D: ['pointwise_kernel'],
  SeparableConv1D: ['pointwise_kernel'],
  Embedding: ['embeddings'],
  LSTM: ['kernel', 'recurrent_kernel'],
  GRU: ['kernel', 'recurrent_kernel'],
  SimpleRNN: ['kernel', 'recurrent_kernel'],
  DepthwiseConv2D: [],
};

/** Layer classes whose kernels pie-audit knows how to prune (tfmot's `PruneRegistry` for tfjs layers). */
export const PRUNABLE_LAYER_CLASSES: ReadonlySet<string> = new Set(Object.keys(PRUNABLE_WEIGHTS));

const DEPTHWISE_WEIGHTS: Record<string, readonly string[]> = {
  DepthwiseConv2D: ['depthwise_kernel'],
  SeparableConv2D: ['depthwise_kernel'],
  SeparableConv1D: ['depthwise_kernel'],
};

interface LayerLike {
  readonly name: string;
  getClassName(): string;
  readonly weights: LayerVariable[];
  readonly layers?: LayerLike[];
}

/**
 * Lists the weights magnitude pruning applies to, in layer order, descending into nested models.
 * Biases, BatchNormalization and every other weight stay dense.
 *
 * @example
 * findPrunableWeights(model).map((w) => w.name); // ['dense_Dense1/kernel', 'dense_Dense2/kernel']
 */
export function findPrunableWeights(model: tf.LayersModel, options: FindPrunableWeightsOptions = {}): PrunableWeight[] {
  const pruneDepthwise = options.pruneDepthwise ?? true;
  const out: PrunableWeight[] = [];
  const seen = new Set<number>();
  const visit = (layer: LayerLike): void => {
    if (Array.isArray(layer.layers)) {
      for (const inner of layer.layers) visit(inner);
      return;
    }
    const cls = layer.getClassName();
    if (options.pruneLayer && !options.pruneLayer({ name: layer.name, className: cls })) return;
    const wanted = new Set([...(PRUNABLE_WEIGHTS[cls] ?? []), ...(pruneDepthwise ? (DEPTHWISE_WEIGHTS[cls] ?? []) : [])]);
    if (wanted.size === 0) return;
    for (const v of layer.weights) {
      const short = v.originalName.split('/').pop() ?? '';
      if (!wanted.has(short) || seen.has(v.id)) continue;
      seen.add(v.id);
      out.push({ layerName: layer.name, layerClass: cls, name: v.originalName, shape: [...v.shape] as number[], variable: v });
    }
  };
  for (const layer of model.layers as unknown as LayerLike[]) visit(layer);
  return out;
}
