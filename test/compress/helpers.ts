import * as tf from '@tensorflow/tfjs';

/** A small seeded MLP with a softmax head. */
export function tinyMlp(seed: number, inputs = 12, hidden = 16, classes = 3): tf.LayersModel {
  const m = tf.sequential();
  m.add(
    tf.layers.dense({
      inputShape: [inputs],
      units: hidden,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  m.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

/** A small seeded CNN with every prunable/non-prunable layer kind pie-audit handles. */
export function tinyCnn(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: [6, 6, 2],
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: init(0),
      biasInitializer: tf.initializers.randomNormal({ seed: seed + 10 }),
    }),
  );
  m.add(tf.layers.batchNormalization({ gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed + 11 }) }));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthwiseInitializer: init(1) }));
  m.add(tf.layers.separableConv2d({ filters: 5, kernelSize: 2, depthwiseInitializer: init(2), pointwiseInitializer: init(3) }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(4) }));
  return m;
}

/** Deterministic classification data: class = argmax of a fixed random projection. */
export function syntheticData(n: number, features: number, classes: number, seed: number): { x: Float32Array; y: Int32Array } {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const proj = Array.from({ length: features * classes }, rand);
  const x = new Float32Array(n * features).map(rand);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let score = 0;
      for (let f = 0; f < features; f++) score += x[i * features + f] * proj[f * classes + c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    y[i] = best;
  }
  return { x, y };
}

export function weightMap(model: tf.LayersModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const layer of model.layers) for (const w of layer.weights) out.set(w.originalName, Float32Array.from(w.read().dataSync()));
  return out;
}

export function zerosOf(a: Float32Array): number {
  let z = 0;
  for (const v of a) if (v === 0) z++;
  return z;
}
