import { readModelBytes } from '../read-model-bytes.js';
import { hashBytes, hashGraphModel, hashLayersModel } from '../cache/hash-model.js';
import { hashTfjsModelFile } from '../model-file.js';
import type { ResolvedSource } from '../resolve-source.js';

/**
 * The prediction cache's key for a model source (its content hash), and the .onnx or .tflite bytes when reading
 * them was needed to hash the file (so they are not read twice); no key for sources the cache skips.
 *
 * @throws PieAuditError `CORRUPT_MODEL` when an .onnx or .tflite file cannot be read
 * @example
 * const { modelKey } = await modelCacheKey(resolveSource(model, 'models[0]'));
 */
export async function modelCacheKey(source: ResolvedSource): Promise<{ modelKey?: string; fileBytes?: Uint8Array }> {
  switch (source.kind) {
    case 'layers':
      return { modelKey: hashLayersModel(source.model) };
    case 'graph':
      return { modelKey: hashGraphModel(source.model) };
    case 'tfjs-file':
      return { modelKey: await hashTfjsModelFile(source.path) };
    case 'keras-file':
      // One file holds config and weights: its bytes are the model.
      return { modelKey: hashBytes('keras', await readModelBytes(source.path)) };
    case 'onnx-file':
    case 'tflite-file': {
      const bytes = await readModelBytes(source.path);
      return { modelKey: hashBytes(source.kind === 'onnx-file' ? 'onnx' : 'tflite', bytes), fileBytes: bytes };
    }
    case 'function':
      return source.fn.cacheKey !== undefined ? { modelKey: hashBytes('function', source.fn.cacheKey) } : {};
    default:
      return {};
  }
}
