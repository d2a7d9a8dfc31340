import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { encodeNpy } from '../data/npy.js';
import { parseNpy } from '../data/parse-npy.js';
import { replaceDirectory } from '../engine/replace-directory.js';
import { PieAuditError } from '../errors.js';
import { writeFilesAtomic } from '../report/write-atomic.js';

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
  const modelDir = (id: string) => join(dir, id);
  const resultFile = (id: string) => join(dir, `${id}.json`);
  return {
    dir,
    modelDir,
    hasModel: (id: string) => existsSync(join(modelDir(id), 'model.json')),
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
      try {
        return JSON.parse(await readFile(resultFile(id), 'utf8')) as T;
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
      if (typeof artifact.file !== 'string' || artifact.file !== basename(artifact.file) || !artifact.file)
        throw corrupt(`its result names ${JSON.stringify(artifact.file)}, not a file of the artifact folder`);
      const expected = artifact.shape;
      if (!Array.isArray(expected) || expected[0] !== n || !Number.isInteger(expected[1]) || expected[1] < 1)
        throw corrupt(`its result records shape ${JSON.stringify(expected)}, expected (${n}, classes)`);
      const path = join(dir, artifact.file);
      let bytes: Buffer;
      try {
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

/** The store of {@link artifactStore}. */
export type ArtifactStore = ReturnType<typeof artifactStore>;
