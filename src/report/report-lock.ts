import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../engine/process-alive.js';
import { PieAuditError } from '../errors.js';

/** Name of the lock file a report writer holds in its output folder. */
export const REPORT_LOCK = '.pie-audit.lock';

/**
 * Takes the output folder's lock (`<dir>/.pie-audit.lock`, created exclusively, holding the pid), so
 * two audits writing into one `--out` cannot interleave their files. A lock left by a process that no
 * longer runs (a kill -9) is taken over. Returns the release function.
 *
 * @throws {PieAuditError} `IO_ERROR` when another running process holds the lock.
 * @example
 * const release = await lockReportFolder('audit-out');
 * try { ... } finally { await release(); }
 */
export async function lockReportFolder(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, REPORT_LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (isProcessAlive(holder) && holder !== process.pid) {
        throw new PieAuditError(
          'IO_ERROR',
          `"${dir}" is being written by another pie-audit (process ${holder}); wait for it or choose another output folder.`,
          { dir, pid: holder },
        );
      }
      // The holder is gone (or is this process, interrupted earlier): a stale lock.
      await rm(path, { force: true });
    }
  }
  throw new PieAuditError('IO_ERROR', `Cannot take the lock ${path}; remove it if no pie-audit is running.`, { dir });
}
