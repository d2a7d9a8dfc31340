import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { ensureBackend } from './ensure-backend.js';
import { fileSystemIO } from './file-system-io.js';

/**
 * Loads a GraphModel (a SavedModel or frozen graph converted with `tensorflowjs_converter`,
 * `format: "graph-model"`) from its directory or `model.json`. Missing or corrupt files throw
 * `CORRUPT_MODEL` naming the file.
 *
 * @throws PieAuditError `CORRUPT_MODEL`
 * @example
 * const graph = await loadGraphModelFromFile('models/saved_model_web');
 * const scores = graph.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor;
 */
export async function loadGraphModelFromFile(path: string): Promise<tf.GraphModel> {
  await ensureBackend();
  try {
    return await tf.loadGraphModel(fileSystemIO(path));
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model at ${path} could not be built as a GraphModel: ${(e as Error).message}. ` +
        'If it is a Keras/layers model (format "layers-model"), load it with loadLayersModelFromFile',
      { file: path },
      { cause: e },
    );
  }
}
