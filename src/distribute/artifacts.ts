import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileInFolderSync } from '../data/file-in-folder.js';
import { encodeNpy } from '../data/npy.js';
import { parseNpy } from '../data/parse-npy.js';
import { replaceDirectory } from '../engine/replace-directory.js';
import { PieAuditError } from '../errors.js';
import { writeFilesAtomic } from '../report/write-atomic.js';
import { assertJobId } from './job-checks.js';

/**
 * An evaluate job's class probabilities file, as its result names it: the file travels through the shared
 * folder (n x classes float32 is too big for Redis), the result only says which file and what it must hold.
 */
export interface ProbabilitiesArtifact {
  /** File name inside the artifact folder (no folders: the folder may be mounted elsewhere on another machine). */
  readonly file: string;
  /** `[examples, classes]` of the float32 `.npy` array. */
  readonly shape: readonly [number, number];
  /** sha256 of the file's bytes (hex, as `sha256sum` prints it), so a merge detects a corrupt or mismatched file. */
  readonly sha256: string;
}

/** Largest result file read: labels of 2^26 examples as base64, and a little JSON. */
const MAX_RESULT_BYTES = 256 * 1024 * 1024;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A content-addressed artifact store in a folder: a model job writes `<dir>/<job id>/` (complete or
 * absent: written beside and renamed), an evaluate job writes `<dir>/<job id>.json` (atomically), and
 * before it, when the audit keeps class probabilities, `<dir>/<job id>.probabilities.npy`. A job whose
 * result exists is done, so running it again is harmless.
 *
 * @throws PieAuditError `IO_ERROR`, `CORRUPT_FILE` (a probabilities file that is not the one its result names)
 * @example
 * const store = artifactStore('/shared/pie-artifacts');
 * if (!store.hasModel(id)) await store.writeModel(id, async (tmp) => { await saveLayersModel(model, tmp); });
 */
export function artifactStore(dir: string) {
  // Every path is built from a checked job id: an id from a queue message or a plan file never leaves `dir`.
  const modelDir = (id: string) => join(dir, checkedId(id));
  const resultFile = (id: string) => join(dir, `${checkedId(id)}.json`);
  return {
    dir,
    modelDir,
    hasModel: (id: string) => existsSync(join(modelDir(id), 'model.json')),
    /** A model's folder to load, once its model.json is a regular file inside the store (not a link out of it). */
    modelToLoad(id: string): string {
      fileInFolderSync(dir, join(modelDir(id), 'model.json'), `model of job ${id}`);
      return modelDir(id);
    },
    /** Writes a model folder atomically; a folder already there is kept (same id, same content). */
    async writeModel(id: string, fill: (tmp: string) => Promise<void>): Promise<void> {
      if (existsSync(modelDir(id))) return;
      try {
        await replaceDirectory(modelDir(id), false, fill);
      } catch (e) {
        // Another runner finished the same job first: its folder is the same content.
        if (existsSync(join(modelDir(id), 'model.json'))) return;
        throw new PieAuditError(
          'IO_ERROR',
          `cannot write artifact '${modelDir(id)}': ${(e as Error).message}. Check that --artifacts is writable.`,
          { id },
          { cause: e },
        );
      }
    },
    hasResult: (id: string) => existsSync(resultFile(id)),
    async writeResult(id: string, value: unknown): Promise<void> {
      await writeFilesAtomic(dir, { [`${id}.json`]: JSON.stringify(value) });
    },
    async readResult<T>(id: string): Promise<T> {
      const path = resultFile(id);
      checkResultFile(dir, path, id);
      try {
        return JSON.parse(await readFile(path, 'utf8')) as T;
      } catch (cause) {
        throw new PieAuditError(
          'IO_ERROR',
          `artifact '${resultFile(id)}' is missing or unreadable (${(cause as Error).message}); run the job that writes it first.`,
          { id },
          { cause },
        );
      }
    },
    /** Writes a job's probability rows (`n x nClasses` float32) as `.npy`, atomically; returns what its result records. */
    async writeProbabilities(id: string, rows: Float32Array, nClasses: number): Promise<ProbabilitiesArtifact> {
      const file = `${id}.probabilities.npy`;
      const shape = [rows.length / nClasses, nClasses] as const;
      const bytes = encodeNpy(rows, [...shape]);
      await writeFilesAtomic(dir, { [file]: bytes });
      return { file, shape, sha256: sha256(bytes) };
    },
    /**
     * Reads the probability rows a job's result names, checking the file against the result's hash and shape
     * (`n` rows, one per test example).
     * @throws PieAuditError `IO_ERROR` when the file cannot be read, `CORRUPT_FILE` when it is not the one the result names.
     */
    async readProbabilities(id: string, artifact: ProbabilitiesArtifact, n: number): Promise<Float32Array> {
      const rerun = `remove '${resultFile(id)}' and run job ${id} again (its shard, or the same queue command)`;
      const corrupt = (why: string) =>
        new PieAuditError('CORRUPT_FILE', `class probabilities of job ${id}: ${why}; ${rerun}.`, { job: id, file: artifact.file });
      if (artifact.file !== `${id}.probabilities.npy`)
        throw corrupt(`its result names ${JSON.stringify(artifact.file)}, not '${id}.probabilities.npy'`);
      const expected = artifact.shape;
      if (!Array.isArray(expected) || expected[0] !== n || !Number.isInteger(expected[1]) || expected[1] < 1)
        throw corrupt(`its result records shape ${JSON.stringify(expected)}, expected (${n}, classes)`);
      const path = join(dir, artifact.file);
      let bytes: Buffer;
      try {
        if (existsSync(path)) fileInFolderSync(dir, path, `class probabilities of job ${id}`);
        bytes = await readFile(path);
      } catch (cause) {
        throw new PieAuditError(
          'IO_ERROR',
          `class probabilities of job ${id}: '${path}' is missing or unreadable (${(cause as Error).message}); ${rerun}.`,
          { job: id, file: artifact.file },
          { cause },
        );
      }
      if (sha256(bytes) !== artifact.sha256) throw corrupt(`'${path}' does not hold the bytes its result recorded (sha256 differs)`);
      const { data, shape, dtype } = parseNpy(bytes, path);
      if (dtype !== 'f4' || !(data instanceof Float32Array) || shape.length !== 2 || shape[0] !== expected[0] || shape[1] !== expected[1])
        throw corrupt(`'${path}' holds ${dtype} (${shape.join(', ')}), expected f4 (${expected.join(', ')})`);
      return data;
    },
  };
}

/** A job id, checked against the content-hash pattern before a path is built from it. */
function checkedId(id: string): string {
  assertJobId(id, 'artifact');
  return id;
}

/** A result file must be a regular file of the folder (no FIFO, device or link elsewhere), of a result's size. */
function checkResultFile(dir: string, path: string, id: string): void {
  if (existsSync(path) && fileInFolderSync(dir, path, `result of job ${id}`) > MAX_RESULT_BYTES)
    throw new PieAuditError(
      'CORRUPT_FILE',
      `artifact '${path}' is larger than a job result (${MAX_RESULT_BYTES} bytes); run job ${id} again.`,
      {
        id,
      },
    );
}

/** The store of {@link artifactStore}. */
export type ArtifactStore = ReturnType<typeof artifactStore>;
