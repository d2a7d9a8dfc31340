import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PieAuditError } from '../errors.js';
import { writeFilesAtomic } from './write-atomic.js';

/** Thrown inside {@link replaceReportFolder} when the folder holds something that cannot be carried over. */
class CannotCarry extends Error {}

/** Errors that say the folder cannot be swapped here (a mount point, a read-only or foreign parent). */
const NO_SWAP = new Set(['EACCES', 'EPERM', 'EROFS', 'EBUSY', 'EXDEV', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * Replaces the folder `dir` by a new one holding `files` plus the entries of `dir` that `carry` keeps, in one
 * rename, so a reader (or a kill -9 at any moment) sees the complete old folder or the complete new one:
 * the new folder is filled beside it (`<dir>.tmp-<pid>-<hex>`: the new files written and flushed, kept
 * entries hard-linked, or copied where links are refused), then `dir` is moved aside (`<dir>.old-<pid>-<hex>`)
 * and the new folder renamed into its place; the old one is removed last. A kill between the two renames
 * leaves `dir` absent and its complete old copy beside it, which `recoverLeftovers` (called by the next
 * writer and by `loadReport`) puts back.
 *
 * Returns false, having changed nothing, where the folder cannot be swapped (its parent is not writable, it is
 * a mount point, or it holds a FIFO, socket or device that cannot be carried over): the caller then writes in place.
 *
 * @throws PieAuditError `IO_ERROR` when writing the new files fails or a folder has a set file's name (the old folder is untouched).
 * @example
 * await replaceReportFolder('audit-out', { 'report.json': text }, (name) => name !== 'report.md');
 */
export async function replaceReportFolder(
  dir: string,
  files: Record<string, string | Uint8Array>,
  carry: (name: string) => boolean,
): Promise<boolean> {
  for (const name of await readdir(dir)) {
    // Only files are replaced: a folder under a set file's name is the user's, never removed with the old set.
    if (!(carry(name) && !(name in files)) && !(await lstat(join(dir, name))).isFile())
      throw new PieAuditError(
        'IO_ERROR',
        `Cannot write "${join(dir, name)}": it is not a file (a folder or link is in the way). Nothing was changed; move it away.`,
        { dir, file: name },
      );
  }
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = `${dir}.tmp-${tag}`;
  try {
    await mkdir(tmp);
  } catch (e) {
    if (NO_SWAP.has((e as NodeJS.ErrnoException).code ?? '')) return false;
    throw ioError(dir, e);
  }
  try {
    for (const name of await readdir(dir)) if (carry(name) && !(name in files)) await carryEntry(join(dir, name), join(tmp, name));
    await writeFilesAtomic(tmp, files);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (e instanceof CannotCarry) return false;
    if (e instanceof PieAuditError) throw e;
    throw ioError(dir, e);
  }
  const old = `${dir}.old-${tag}`;
  try {
    await rename(dir, old);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (NO_SWAP.has((e as NodeJS.ErrnoException).code ?? '')) return false;
    throw ioError(dir, e);
  }
  try {
    await rename(tmp, dir);
  } catch (e) {
    await rename(old, dir);
    await rm(tmp, { recursive: true, force: true });
    throw ioError(dir, e);
  }
  await rm(old, { recursive: true, force: true });
  return true;
}

/** Puts `from` at `to` without copying data where the filesystem allows: files hard-linked, folders rebuilt, links re-made. */
async function carryEntry(from: string, to: string): Promise<void> {
  const s = await lstat(from);
  if (s.isSymbolicLink()) await symlink(await readlink(from), to);
  else if (s.isDirectory()) {
    await mkdir(to);
    for (const name of await readdir(from)) await carryEntry(join(from, name), join(to, name));
  } else if (s.isFile()) {
    try {
      await link(from, to);
    } catch {
      await copyFile(from, to);
    }
  } else throw new CannotCarry(from);
}

function ioError(dir: string, cause: unknown): PieAuditError {
  return new PieAuditError(
    'IO_ERROR',
    `Cannot replace the report set in "${dir}": ${(cause as Error).message}. The earlier set, if any, is unchanged; check free space and permissions.`,
    { dir },
    { cause },
  );
}
