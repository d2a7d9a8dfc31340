import * as tf from '@tensorflow/tfjs';

/**
 * An independent copy of a LayersModel (topology and weights, not the optimizer state), made by
 * serialising to memory and loading back, so weights match bit for bit and nothing is shared.
 *
 * @example
 * const copy = await cloneLayersModel(baseline);
 * copy.layers[0].setWeights(...); // baseline is unaffected
 */
export async function cloneLayersModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  // includeOptimizer is false by default, so the copy is a fresh, uncompiled model.
  return tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
}
