import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { quantizeModel } from './src/compress/quantize-model.js';
import { exportLayersModelToOnnx } from './src/onnx/export-layers-model.js';
import { syntheticData } from './test/compress/helpers.js';
const act = process.env.ACT ?? 'linear';
const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [12], units: 16, activation: (process.env.ACT1 ?? 'relu') as 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }), tf.layers.dense({ units: 3, activation: act as 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] });
const d = syntheticData(100, 12, 3, 2);
const r = await quantizeModel(m, { mode: 'int8-full', representativeData: { x: d.x, shape: [100, 12] }, weightBits: Number(process.env.BITS ?? 8) as 8 });
const bytes = exportLayersModelToOnnx(r.model);
for (const lvl of ['disabled', 'basic', 'extended', 'all'] as const) {
  const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: lvl });
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', d.x, [100, 12]) });
  const o = out[s.outputNames[0]].data as Float32Array;
  const b = (r.model.predict(tf.tensor2d(d.x, [100, 12])) as tf.Tensor).dataSync();
  let mx = 0; for (let i = 0; i < o.length; i++) mx = Math.max(mx, Math.abs(o[i] - b[i]));
  console.log(lvl, 'maxdiff', mx, 'quanta', mx / r.activations.at(-1)!.scale);
}
