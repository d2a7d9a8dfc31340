import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { ensureBackend } from './ensure-backend.js';
import { fileSystemIO } from './file-system-io.js';

/**
 * Loads a LayersModel from a model directory or its `model.json` (Keras models converted with
 * `tensorflowjs_converter --input_format keras`, or models saved with {@link saveLayersModel}).
 * Missing or corrupt files throw `CORRUPT_MODEL` naming the file.
 *
 * @throws PieAuditError `CORRUPT_MODEL`
 * @example
 * const model = await loadLayersModelFromFile('models/baseline/model.json');
 */
export async function loadLayersModelFromFile(pathToModelJsonOrDir: string): Promise<tf.LayersModel> {
  await ensureBackend();
  const handler = fileSystemIO(pathToModelJsonOrDir);
  try {
    return await tf.loadLayersModel(handler);
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model at ${pathToModelJsonOrDir} could not be built as a LayersModel: ${(e as Error).message}. ` +
        'If it is a graph model (format "graph-model"), load it with loadGraphModelFromFile',
      { file: pathToModelJsonOrDir },
      { cause: e },
    );
  }
}
