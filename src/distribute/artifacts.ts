import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceDirectory } from '../engine/replace-directory.js';
import { PieAuditError } from '../errors.js';
import { writeFilesAtomic } from '../report/write-atomic.js';

/**
 * A content-addressed artifact store in a folder: a model job writes `<dir>/<job id>/` (complete or
 * absent: written beside and renamed), an evaluate job writes `<dir>/<job id>.json` (atomically). A
 * job whose artifact exists is done, so running it again is harmless.
 *
 * @throws PieAuditError `IO_ERROR`
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
  };
}

/** The store of {@link artifactStore}. */
export type ArtifactStore = ReturnType<typeof artifactStore>;
