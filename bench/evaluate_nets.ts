import * as tf from '@tensorflow/tfjs';

/**
 * The networks the evaluation benchmark and the ONNX equivalence tests share. bench/evaluate_torch.py
 * builds the same architectures in PyTorch (same layer sizes, same padding arithmetic).
 */
export type NetName = 'mlp' | 'cnn' | 'mobilenet';

/** Input shape (without the batch) and class count of each benchmark net. */
export const NET_SHAPES: Record<NetName, { input: number[]; classes: number }> = {
  mlp: { input: [784], classes: 10 },
  cnn: { input: [28, 28, 1], classes: 10 },
  mobilenet: { input: [32, 32, 3], classes: 10 },
};

/** MLP 784-256-128-10 (relu, softmax). */
export function buildMlp(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** The Keras MNIST CNN: conv3x3x32 - conv3x3x64 - maxpool2 - dense128 - dense10 on 28x28x1 (valid padding). */
export function buildCnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** MobileNetV1 block filters and strides (alpha 1); the net scales filters by alpha. */
export const MOBILENET_BLOCKS: Array<[filters: number, stride: number]> = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/**
 * MobileNetV1 (alpha 0.25) for 32x32x3: conv3x3/2 - BN - relu6, 13 depthwise-separable blocks
 * (depthwise 3x3 - BN - relu6 - pointwise 1x1 - BN - relu6), global average pooling, dense softmax.
 * 'same' padding everywhere (for stride 2 on even sizes that pads one row/column at the end, as Keras'
 * ZeroPadding2D((0, 1), (0, 1)) + valid does).
 */
export function buildMobileNet(alpha = 0.25, classes = 10): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3] });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;
  let x = apply(tf.layers.conv2d({ filters: Math.round(32 * alpha), kernelSize: 3, strides: 2, padding: 'same', useBias: false }), input);
  x = apply(tf.layers.reLU({ maxValue: 6 }), apply(tf.layers.batchNormalization({}), x));
  for (const [filters, stride] of MOBILENET_BLOCKS) {
    x = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: 'same', useBias: false }), x);
    x = apply(tf.layers.activation({ activation: 'relu6' }), apply(tf.layers.batchNormalization({}), x));
    x = apply(tf.layers.conv2d({ filters: Math.round(filters * alpha), kernelSize: 1, useBias: false }), x);
    x = apply(tf.layers.activation({ activation: 'relu6' }), apply(tf.layers.batchNormalization({}), x));
  }
  x = apply(tf.layers.globalAveragePooling2d({}), x);
  x = apply(tf.layers.dropout({ rate: 0.001 }), x);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: classes, activation: 'softmax' }), x) });
}

/** The benchmark net of the given name, freshly initialized. */
export function buildNet(name: NetName): tf.LayersModel {
  return name === 'mlp' ? buildMlp() : name === 'cnn' ? buildCnn() : buildMobileNet();
}

/**
 * Seeded random weights of a realistic scale (kernels ~ U(+-sqrt(3 / fanIn)), BN statistics around
 * 0 and 1), so timings and agreement checks see non-degenerate activations.
 */
export function randomizeNetWeights(model: tf.LayersModel, seed: number): void {
  let s = seed >>> 0;
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const values = layer.weights.map((w) => {
      const shape = w.shape as number[];
      const role = w.originalName.split('/').pop()!;
      const fanIn = shape.length > 1 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
      const [lo, hi] =
        role === 'moving_variance' || role === 'gamma'
          ? [0.5, 1.5]
          : role.includes('kernel')
            ? [-Math.sqrt(3 / fanIn), Math.sqrt(3 / fanIn)]
            : [-0.3, 0.3];
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => lo + (hi - lo) * next());
      return tf.tensor(data, shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}
