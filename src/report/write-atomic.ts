import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PieAuditError } from '../errors.js';

/**
 * Writes several files into `dir` so that no file is ever seen half-written: every file is first
 * written in full to a hidden temp file in the same folder (same filesystem, so rename is atomic),
 * and only when all of them were written are they renamed into place, in the given order. Any
 * failure removes the temp files that were not renamed yet and throws `IO_ERROR` naming the file.
 *
 * Put the file that marks a complete set (e.g. `report.json`) last: it appears only after the
 * others are in place.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `IO_ERROR`
 * @example
 * await writeFilesAtomic('out', { 'a.csv': 'x\n1\n', 'report.json': '{}' });
 */
export async function writeFilesAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const names = Object.keys(files);
  for (const name of names) {
    if (name !== basename(name) || name === '' || name === '.' || name === '..') {
      throw new PieAuditError('INVALID_ARGUMENT', `writeFilesAtomic: file name "${name}" must be a plain file name without folders.`, {
        name,
      });
    }
  }
  await ensureOutputFolder(dir);
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const pending = new Map<string, string>(); // final name -> temp path not yet renamed
  let current = '';
  try {
    for (const name of names) {
      current = name;
      const tmp = join(dir, `.${name}.${token}.tmp`);
      pending.set(name, tmp);
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(files[name]!);
        // Flush to disk before the rename so a crash cannot leave a renamed but empty file.
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const name of names) {
      current = name;
      await rename(pending.get(name)!, join(dir, name));
      pending.delete(name);
    }
  } catch (cause) {
    await Promise.all([...pending.values()].map((tmp) => rm(tmp, { force: true }).catch(() => undefined)));
    if (cause instanceof PieAuditError) throw cause;
    throw new PieAuditError(
      'IO_ERROR',
      `Cannot write "${join(dir, current)}": ${(cause as Error).message}. Nothing partial was left under that name; check free space, permissions and that no folder has that name.`,
      { dir, file: current },
      { cause },
    );
  }
}

/**
 * Creates an output folder (and its parents) when missing.
 *
 * @throws PieAuditError `IO_ERROR` naming the folder when it cannot be created
 * @example
 * await ensureOutputFolder('audit-out');
 */
export async function ensureOutputFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new PieAuditError(
      'IO_ERROR',
      `Cannot create output folder "${dir}": ${(cause as Error).message}. Check the path and permissions.`,
      { dir },
      { cause },
    );
  }
}
