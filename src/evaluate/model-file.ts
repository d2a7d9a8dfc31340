import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MAX_MODEL_JSON_BYTES } from '../engine/file-system-io.js';
import { resolveWeightShard } from '../engine/weight-shard-path.js';
import { PieAuditError } from '../errors.js';

/** A tfjs model.json located and read, with a content hash of its topology and weights. */
export interface TfjsModelFile {
  /** Absolute path of model.json. */
  modelJsonPath: string;
  /** `layers-model` or `graph-model`, from the `format` field (or the topology's look when absent). */
  format: 'layers-model' | 'graph-model';
}

/**
 * Resolves a path (model.json or its folder) and tells whether it holds a tfjs layers or graph model.
 * Unreadable or malformed JSON throws `CORRUPT_MODEL` naming the file.
 *
 * @throws PieAuditError `CORRUPT_MODEL`
 * @example
 * const { format } = await inspectTfjsModelFile('models/baseline'); // 'layers-model'
 */
export async function inspectTfjsModelFile(path: string): Promise<TfjsModelFile & { json: Record<string, unknown>; jsonBytes: Buffer }> {
  let modelJsonPath = resolve(path);
  try {
    if ((await stat(modelJsonPath)).isDirectory()) modelJsonPath = join(modelJsonPath, 'model.json');
  } catch (e) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model file ${path} does not exist; pass the path of a tfjs model.json, its folder, or an .onnx file.`,
      { file: path },
      { cause: e },
    );
  }
  let jsonBytes: Buffer;
  try {
    const s = await stat(modelJsonPath);
    if (!s.isFile() || s.size > MAX_MODEL_JSON_BYTES) {
      throw new PieAuditError(
        'CORRUPT_MODEL',
        `model file ${modelJsonPath} is ${s.isFile() ? `${s.size} bytes, more than a model.json holds` : 'not a regular file'}.`,
        { file: modelJsonPath },
      );
    }
    jsonBytes = await readFile(modelJsonPath);
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model file ${modelJsonPath} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
      { file: modelJsonPath },
      { cause: e },
    );
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(jsonBytes.toString('utf8')) as Record<string, unknown>;
    if (json === null || typeof json !== 'object') throw new Error('not a JSON object');
  } catch (e) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model file ${modelJsonPath} is not valid tfjs model.json (${(e as Error).message}); re-save or re-convert the model.`,
      { file: modelJsonPath },
      { cause: e },
    );
  }
  const topology = json.modelTopology as Record<string, unknown> | undefined;
  if (!topology || typeof topology !== 'object') {
    const looksLikePredictions = Array.isArray(json) || 'predictions' in json || 'probabilities' in json;
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model file ${modelJsonPath} has no "modelTopology" object, so it is not a tfjs model.json` +
        (looksLikePredictions
          ? `; it looks like predictions: pass { predictionsFile: ${JSON.stringify(path)} }.`
          : '; re-save or re-convert the model.'),
      { file: modelJsonPath },
    );
  }
  let format: TfjsModelFile['format'];
  if (json.format === 'graph-model' || json.format === 'layers-model') format = json.format;
  else if (topology && typeof topology === 'object' && 'node' in topology) format = 'graph-model';
  else format = 'layers-model';
  return { modelJsonPath, format, json, jsonBytes };
}

/**
 * sha256 of a tfjs model on disk: model.json bytes, then every weight shard in manifest order.
 * The path itself is not hashed, so a copied model shares cache entries with its original.
 * Shard paths are validated as the loader does before anything is read; a missing, escaping or
 * non-regular shard throws `CORRUPT_MODEL` naming it.
 *
 * @throws {PieAuditError} `CORRUPT_MODEL`.
 *
 * @example
 * const key = await hashTfjsModelFile('models/baseline/model.json');
 */
export async function hashTfjsModelFile(path: string): Promise<string> {
  const { modelJsonPath, json, jsonBytes } = await inspectTfjsModelFile(path);
  const hash = createHash('sha256').update('tfjs-model-file\0').update(jsonBytes);
  // Shards are hashed as streams of regular files: memory stays constant.
  for (const file of weightShardFiles(modelJsonPath, json)) {
    try {
      const s = await stat(file);
      if (!s.isFile())
        throw new PieAuditError('CORRUPT_MODEL', `weight shard ${file} listed in ${modelJsonPath} is not a regular file.`, { file });
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    } catch (e) {
      if (e instanceof PieAuditError) throw e;
      throw new PieAuditError(
        'CORRUPT_MODEL',
        `weight shard ${file} listed in ${modelJsonPath} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
        { file },
        { cause: e },
      );
    }
  }
  return hash.digest('hex');
}

/** The weight shards a model.json lists, each checked by the loader's rule (nothing outside the model folder). */
function weightShardFiles(modelJsonPath: string, json: Record<string, unknown>): string[] {
  const manifest = Array.isArray(json.weightsManifest) ? (json.weightsManifest as Array<{ paths?: unknown } | null>) : [];
  return manifest
    .flatMap((group) => (Array.isArray(group?.paths) ? group.paths : [group?.paths]))
    .map((p) => resolveWeightShard(modelJsonPath, p));
}

/**
 * Bytes a tfjs model takes on disk: its model.json and every weight shard it lists.
 * @throws PieAuditError `CORRUPT_MODEL` when model.json cannot be read or a shard is missing
 * @example
 * await tfjsModelFileBytes('models/0.9/model.json'); // 410236
 */
export async function tfjsModelFileBytes(path: string): Promise<number> {
  const { modelJsonPath, json, jsonBytes } = await inspectTfjsModelFile(path);
  let bytes = jsonBytes.length;
  for (const file of weightShardFiles(modelJsonPath, json)) {
    const s = await stat(file).catch(() => null);
    if (!s?.isFile())
      throw new PieAuditError('CORRUPT_MODEL', `weight shard ${file} listed in ${modelJsonPath} is not a regular file.`, { file });
    bytes += s.size;
  }
  return bytes;
}
