import { readFile } from 'node:fs/promises';
import { PieAuditError } from '../../errors.js';
import { hashBytes, hashGraphModel, hashLayersModel } from '../cache/hash-model.js';
import { hashTfjsModelFile } from '../model-file.js';
import type { ResolvedSource } from '../resolve-source.js';

/**
 * The prediction cache's key for a model source (its content hash), and the ONNX bytes when reading
 * them was needed to hash the file (so they are not read twice); no key for sources the cache skips.
 *
 * @throws PieAuditError `CORRUPT_MODEL` when an ONNX file cannot be read
 * @example
 * const { modelKey } = await modelCacheKey(resolveSource(model, 'models[0]'));
 */
export async function modelCacheKey(source: ResolvedSource): Promise<{ modelKey?: string; onnxBytes?: Uint8Array }> {
  switch (source.kind) {
    case 'layers':
      return { modelKey: hashLayersModel(source.model) };
    case 'graph':
      return { modelKey: hashGraphModel(source.model) };
    case 'tfjs-file':
      return { modelKey: await hashTfjsModelFile(source.path) };
    case 'onnx-file': {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(source.path);
      } catch (e) {
        throw new PieAuditError('CORRUPT_MODEL', `ONNX model ${source.path} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, { file: source.path }, { cause: e });
      }
      return { modelKey: hashBytes('onnx', bytes), onnxBytes: bytes };
    }
    case 'function':
      return source.fn.cacheKey !== undefined ? { modelKey: hashBytes('function', source.fn.cacheKey) } : {};
    default:
      return {};
  }
}
