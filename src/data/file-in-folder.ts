import { realpathSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { PieAuditError } from '../errors.js';
import { regularFileSync } from './regular-file.js';

const inside = (folder: string, path: string) => {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * Requires `path` to be a regular file that stays inside `folder` once every symbolic link is followed:
 * a link from an artifact, cache entry or weight shard to `/dev/zero`, to a FIFO, or to a file of another
 * folder is refused before a byte is read. Returns the file's size.
 *
 * @throws {PieAuditError} `IO_ERROR` naming the path (missing, special, or leaving its folder).
 * @example
 * const size = fileInFolderSync('/shared/artifacts', '/shared/artifacts/evaluate-ab12.json', 'evaluate result');
 */
export function fileInFolderSync(folder: string, path: string, what: string): number {
  const size = regularFileSync(path, what).size;
  let real: string;
  let realFolder: string;
  try {
    real = realpathSync(path);
    realFolder = realpathSync(folder);
  } catch (e) {
    throw new PieAuditError('IO_ERROR', `Cannot read ${what} '${path}': ${(e as Error).message}.`, { path }, { cause: e });
  }
  if (!inside(realFolder, real))
    throw new PieAuditError(
      'IO_ERROR',
      `Cannot read ${what} '${path}': it is a link to '${real}', outside its folder '${folder}'; replace the link with the file.`,
      { path, target: real },
    );
  return size;
}
