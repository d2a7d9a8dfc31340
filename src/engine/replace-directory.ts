import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from './process-alive.js';

/** Escapes a name for use inside a regular expression. */
const escapeName = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Cleans what a killed replacement of `target` left beside it (`<target>.tmp-<pid>-<hex>`,
 * `<target>.old-<pid>-<hex>`, from processes no longer running). When `target` itself is gone but a
 * moved-aside old copy remains (killed between the two renames), that copy is put back: it was complete.
 * Returns whether `target` exists afterwards. Readers call it too, so a folder killed mid-swap loads.
 *
 * @example
 * await recoverLeftovers('populations/mnist'); // true when the population is there (again)
 */
export async function recoverLeftovers(target: string): Promise<boolean> {
  const parent = dirname(target);
  const pattern = new RegExp(`^${escapeName(basename(target))}\\.(tmp|old)-(\\d+)-[0-9a-f]+$`);
  const names = await readdir(parent).catch(() => [] as string[]);
  let exists = (await stat(target).catch(() => undefined)) !== undefined;
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || isProcessAlive(Number(m[2]))) continue;
    const path = join(parent, name);
    if (m[1] === 'old' && !exists) {
      await rename(path, target);
      exists = true;
    } else await rm(path, { recursive: true, force: true });
  }
  return exists;
}

/**
 * Writes a directory so that no reader sees it half-written: `fill` writes into a fresh temporary
 * directory beside `target`, which is then renamed into place. An existing `target` is moved aside
 * first and put back if the final rename fails, so it is replaced only by a complete directory. On any
 * error the temporary directory is removed and the error rethrown; callers add their own message.
 * Leftovers of an earlier, killed replacement of `target` are cleaned first (see `recoverLeftovers`).
 *
 * @throws PieAuditError naming the argument and the fix
 * @example
 * await replaceDirectory('models/seed-1', false, async (tmp) => { await writeFile(join(tmp, 'model.json'), json); });
 */
export async function replaceDirectory(target: string, exists: boolean, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = `${target}.tmp-${tag}`;
  await mkdir(dirname(target), { recursive: true });
  // The folder's state after recovery decides; `exists` is what the caller saw before (kept for callers).
  const present = (await recoverLeftovers(target)) || (exists && (await stat(target).catch(() => undefined)) !== undefined);
  await mkdir(tmp);
  try {
    await fill(tmp);
    if (present) {
      const old = `${target}.old-${tag}`;
      await rename(target, old);
      try {
        await rename(tmp, target);
      } catch (e) {
        await rename(old, target);
        throw e;
      }
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, target);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
