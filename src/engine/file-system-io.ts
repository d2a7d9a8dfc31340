import { replaceDirectory } from './replace-directory.js';
import { mkdir, readFile, stat, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { resolveWeightShard } from './weight-shard-path.js';

type ModelArtifacts = tf.io.ModelArtifacts;
type WeightsManifestEntry = tf.io.WeightsManifestEntry;
type WeightsManifestGroupConfig = tf.io.WeightsManifestConfig[number];

/** Largest model.json read: topologies are kilobytes to a few megabytes; weights live in the shards. */
export const MAX_MODEL_JSON_BYTES = 256 * 1024 * 1024;

/** Largest shard written, the `tensorflowjs_converter` default (`--weight_shard_size_bytes 4194304`). */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

/** Options for {@link fileSystemIO}. */
export interface FileSystemIOOptions {
  /** Largest weight shard in bytes when saving (default 4 MiB, as `tensorflowjs_converter`). */
  readonly shardBytes?: number;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

function corrupt(file: string, why: string, fix = 're-export the model (e.g. with tensorflowjs_converter or model.save)'): PieAuditError {
  return new PieAuditError('CORRUPT_MODEL', `model file ${file} ${why}; ${fix}`, { file });
}

/** Expected byte length of one weight in a manifest, or undefined for string tensors (variable length). */
function weightBytes(spec: WeightsManifestEntry): number | undefined {
  const elements = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = BYTES_PER_ELEMENT[dtype];
  return per === undefined ? undefined : elements * per;
}

function toBuffers(data: tf.io.WeightData | undefined): ArrayBuffer[] {
  if (data === undefined) return [];
  return Array.isArray(data) ? data : [data];
}

/** Resolves a user path to the model.json it denotes (the directory form appends `model.json`). */
async function modelJsonPath(path: string, forSave: boolean): Promise<string> {
  const abs = resolve(path);
  if (abs.toLowerCase().endsWith('.json')) return abs;
  if (!forSave) {
    const s = await stat(abs).catch(() => undefined);
    if (s?.isFile()) return abs;
  }
  return join(abs, 'model.json');
}

/** Writes `model.json` and the shard files of `artifacts` into an empty directory `dir`. */
async function writeArtifacts(artifacts: ModelArtifacts, dir: string, shardBytes: number, jsonName: string): Promise<void> {
  const buffers = toBuffers(artifacts.weightData);
  const total = buffers.reduce((a, b) => a + b.byteLength, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    all.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  const shardCount = Math.max(1, Math.ceil(total / shardBytes));
  const paths: string[] = [];
  for (let i = 0; i < shardCount; i++) {
    const name = `group1-shard${i + 1}of${shardCount}.bin`;
    paths.push(name);
    await writeFile(join(dir, name), all.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)));
  }
  const modelJson: Record<string, unknown> = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
  };
  for (const key of ['trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const) {
    if (artifacts[key] !== undefined) modelJson[key] = artifacts[key];
  }
  await writeFile(join(dir, jsonName), JSON.stringify(modelJson));
}

/**
 * Saves artifacts so that a reader never sees a half-written model: into a fresh temporary directory
 * next to the target, renamed into place (an existing model directory is replaced only once the new
 * one is complete).
 */
async function saveAtomically(artifacts: ModelArtifacts, jsonPath: string, shardBytes: number): Promise<void> {
  const dir = dirname(jsonPath);
  const jsonName = basename(jsonPath);
  await mkdir(dirname(dir), { recursive: true });
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new PieAuditError('IO_ERROR', `cannot save a model to ${dir}: it exists and is not a directory; choose another path`, {
      path: dir,
    });
  }
  if (existing) {
    const entries = await readdir(dir);
    const foreign = entries.filter((e) => e !== jsonName && !/^group\d+-shard\d+of\d+(\.bin)?$/.test(e) && e !== 'model.json');
    if (foreign.length > 0) {
      throw new PieAuditError(
        'IO_ERROR',
        `refusing to replace ${dir}: it holds files that are not part of a saved model (${foreign.slice(0, 3).join(', ')}); save into an empty or new directory`,
        { path: dir, foreign },
      );
    }
  }
  try {
    await replaceDirectory(dir, existing !== undefined, (tmp) => writeArtifacts(artifacts, tmp, shardBytes, jsonName));
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw new PieAuditError('IO_ERROR', `could not save the model to ${dir}: ${(e as Error).message}`, { path: dir }, { cause: e });
  }
}

/** Stats a weight shard: it must be a regular file (a link to a device or a FIFO would never end). */
async function shardStat(file: string, jsonPath: string): Promise<{ size: number }> {
  const s = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw corrupt(file, e.code === 'ENOENT' ? `is missing (listed in ${jsonPath})` : `could not be read (${e.code ?? e.message})`);
  });
  if (!s.isFile()) throw corrupt(file, `is not a regular file (listed in ${jsonPath})`);
  return s;
}

/** Reads and validates model.json plus every shard it names. */
async function loadArtifacts(jsonPath: string): Promise<ModelArtifacts> {
  let text: string;
  try {
    const s = await stat(jsonPath);
    if (!s.isFile()) throw corrupt(jsonPath, 'is not a regular file', 'pass the path of a model directory or its model.json');
    if (s.size > MAX_MODEL_JSON_BYTES)
      throw corrupt(jsonPath, `is ${s.size} bytes, more than a model.json holds (${MAX_MODEL_JSON_BYTES})`);
    text = await readFile(jsonPath, 'utf8');
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    const code = (e as { code?: string }).code;
    throw corrupt(
      jsonPath,
      code === 'ENOENT' ? 'does not exist' : `could not be read (${code ?? (e as Error).message})`,
      'pass the path of a model directory or its model.json',
    );
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (e) {
    throw corrupt(jsonPath, `is not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw corrupt(jsonPath, 'has no "modelTopology" object');
  }
  const manifest: WeightsManifestGroupConfig[] = json.weightsManifest ?? [];
  if (!Array.isArray(manifest) || manifest.some((g) => !g || !Array.isArray(g.paths) || !Array.isArray(g.weights))) {
    throw corrupt(jsonPath, 'has a malformed "weightsManifest" (expected [{ paths: string[], weights: [...] }])');
  }
  const specs: WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of manifest) {
    let expected: number | undefined = 0;
    for (const w of group.weights) {
      if (!w || typeof w.name !== 'string' || !Array.isArray(w.shape))
        throw corrupt(jsonPath, 'has a malformed weight entry in "weightsManifest"');
      const b = weightBytes(w);
      expected = expected === undefined || b === undefined ? undefined : expected + b;
      specs.push(w);
    }
    // Sizes are checked before any byte is read, so a shard that is a device or a huge file is never loaded.
    const files = group.paths.map((p: unknown) => resolveWeightShard(jsonPath, p));
    let groupBytes = 0;
    for (const file of files) groupBytes += (await shardStat(file, jsonPath)).size;
    if (expected !== undefined && expected !== groupBytes) {
      throw corrupt(
        files.join(', '),
        `has the wrong size: ${groupBytes} bytes, but the manifest in ${jsonPath} describes ${expected} bytes`,
      );
    }
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        const code = (e as { code?: string }).code;
        throw corrupt(
          file,
          code === 'ENOENT' ? `is missing (listed in ${jsonPath})` : `could not be read (${code ?? (e as Error).message})`,
        );
      }
      parts.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
  }
  const total = parts.reduce((a, b) => a + b.byteLength, 0);
  const weightData = new ArrayBuffer(total);
  const view = new Uint8Array(weightData);
  let offset = 0;
  for (const part of parts) {
    view.set(part, offset);
    offset += part.byteLength;
  }
  const artifacts: ModelArtifacts = { modelTopology: json.modelTopology, weightSpecs: specs, weightData, format: json.format };
  if (json.generatedBy !== undefined) artifacts.generatedBy = json.generatedBy;
  if (json.convertedBy !== undefined) artifacts.convertedBy = json.convertedBy;
  if (json.trainingConfig !== undefined) artifacts.trainingConfig = json.trainingConfig;
  if (json.signature !== undefined) artifacts.signature = json.signature;
  if (json.userDefinedMetadata !== undefined) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  if (json.modelInitializer !== undefined) artifacts.modelInitializer = json.modelInitializer;
  if (json.initializerSignature !== undefined) artifacts.initializerSignature = json.initializerSignature;
  return artifacts;
}

/**
 * A TensorFlow.js IOHandler that reads and writes the on-disk layout `tensorflowjs_converter` produces
 * (`model.json` plus weight shards `group1-shard1of1.bin`, ...), for Node without `@tensorflow/tfjs-node`.
 *
 * `path` is a model directory or the path of its `model.json`. Saving is atomic (temporary directory,
 * then rename); loading checks every shard exists and has the size the manifest describes, and throws
 * `CORRUPT_MODEL` naming the bad file otherwise. Multi-group, multi-shard manifests load too.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `CORRUPT_MODEL`
 * @example
 * await model.save(fileSystemIO('models/baseline-0'));
 * const again = await tf.loadLayersModel(fileSystemIO('models/baseline-0/model.json'));
 */
export function fileSystemIO(path: string, options: FileSystemIOOptions = {}): tf.io.IOHandler {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!Number.isInteger(shardBytes) || shardBytes <= 0 || shardBytes % 4 !== 0) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.shardBytes must be a positive multiple of 4 (got ${shardBytes})`);
  }
  return {
    async save(artifacts: ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new PieAuditError('INVALID_ARGUMENT', 'fileSystemIO saves JSON model topologies only (got a binary topology)');
      }
      const jsonPath = await modelJsonPath(path, true);
      await saveAtomically(artifacts, jsonPath, shardBytes);
      const weightDataBytes = toBuffers(artifacts.weightData).reduce((a, b) => a + b.byteLength, 0);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes,
        },
      };
    },
    async load(): Promise<ModelArtifacts> {
      return loadArtifacts(await modelJsonPath(path, false));
    },
  };
}
