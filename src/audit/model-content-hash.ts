import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashBytes } from '../evaluate/cache/hash-model.js';
import { hashTfjsModelFile } from '../evaluate/model-file.js';
import type { ModelSource } from '../evaluate/types.js';

/**
 * sha256 (hex) of a model or predictions file's content, so a report names what it audited without the path
 * that held it: a tfjs model.json with its weight shards (as the prediction cache and the distributed plan
 * key it), any other file (ONNX, Keras .h5 / .keras, predictions) by its bytes. `null` for sources that are not files (models in
 * memory, functions, arrays) or when the file cannot be read (the evaluation has reported that already).
 * @internal
 * @example
 * await modelContentHash('models/0.9/seed-3/model.json'); // '3f1a…' (64 hex characters)
 */
export async function modelContentHash(source: ModelSource): Promise<string | null> {
  const file =
    typeof source === 'string'
      ? source
      : typeof source === 'object' && source !== null && 'predictionsFile' in source && typeof source.predictionsFile === 'string'
        ? source.predictionsFile
        : null;
  if (file === null) return null;
  try {
    const isFolder = (await stat(file)).isDirectory();
    if (isFolder || /model\.json$/i.test(file)) return await hashTfjsModelFile(isFolder ? join(file, 'model.json') : file);
    return hashBytes('file', await readFile(file));
  } catch {
    return null;
  }
}
