import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PieAuditError } from '../errors.js';

function describeKind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function statError(path: string, what: string, e: unknown): PieAuditError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'it does not exist (or is a link to nothing)'
      : code === 'ELOOP'
        ? 'it is a symbolic link loop'
        : `${code ?? (e as Error).message}`;
  return new PieAuditError('IO_ERROR', `Cannot read ${what} '${path}': ${why}. Check the path.`, { path, errno: code }, { cause: e });
}

function checked(s: Stats, path: string, what: string): Stats {
  // Pipes, devices and sockets never end or never hold a file's bytes (a FIFO blocks, /dev/zero never ends).
  if (!s.isFile())
    throw new PieAuditError('IO_ERROR', `Cannot read ${what} '${path}': it is ${describeKind(s)}; pass a regular file.`, { path });
  return s;
}

/**
 * Stats `path` (following links) and requires a regular file, so no reader blocks on a FIFO or reads
 * a device forever. Dangling links, link loops and directories are `IO_ERROR`s naming the path.
 *
 * @throws {PieAuditError} `IO_ERROR` naming `path`.
 * @example
 * const { size } = regularFileSync('preds.npy', 'predictions file');
 */
export function regularFileSync(path: string, what: string): Stats {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    throw statError(path, what, e);
  }
  return checked(s, path, what);
}

/**
 * Async form of {@link regularFileSync}.
 *
 * @throws {PieAuditError} `IO_ERROR` naming `path`.
 * @example
 * const { size } = await regularFile('model.json', 'model file');
 */
export async function regularFile(path: string, what: string): Promise<Stats> {
  let s: Stats;
  try {
    s = await stat(path);
  } catch (e) {
    throw statError(path, what, e);
  }
  return checked(s, path, what);
}
