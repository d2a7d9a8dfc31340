import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a directory so that no reader sees it half-written: `fill` writes into a fresh temporary
 * directory beside `target`, which is then renamed into place. An existing `target` is moved aside
 * first and put back if the final rename fails, so it is replaced only by a complete directory. On any
 * error the temporary directory is removed and the error rethrown; callers add their own message.
 *
 * @example
 * await replaceDirectory('models/seed-1', false, async (tmp) => { await writeFile(join(tmp, 'model.json'), json); });
 */
export async function replaceDirectory(target: string, exists: boolean, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = `${target}.tmp-${tag}`;
  await mkdir(dirname(target), { recursive: true });
  await mkdir(tmp);
  try {
    await fill(tmp);
    if (exists) {
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
