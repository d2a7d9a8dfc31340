import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../../engine/process-alive.js';
import { PieAuditError } from '../../errors.js';
import { PIE_AUDIT_VERSION } from '../../version.js';
import { decodeCacheEntry, encodeCacheEntry, type CacheEntry } from './cache-entry.js';

/** The package version as a folder name: entries made by another version are never read. */
const VERSION_FOLDER = PIE_AUDIT_VERSION.replace(/[^A-Za-z0-9._-]/g, '_');
/** `<entry>.pred.<pid>-<hex>.tmp`, the temporary name {@link writeCacheEntry} renames from. */
const TMP_NAME = /\.pred\.(\d+)-[0-9a-f]+\.tmp$/;
const swept = new Set<string>();

/**
 * Path of the entry for one model on one test set:
 * `<dir>/v1/<pie-audit version>/<first 16 hex of the test-set key>/<model key>.pred`.
 *
 * @example
 * cacheEntryPath('.pie-cache', modelKey, testSetKey);
 */
export function cacheEntryPath(dir: string, modelKey: string, testSetKey: string): string {
  return join(dir, 'v1', VERSION_FOLDER, testSetKey.slice(0, 16), `${modelKey}.pred`);
}

/**
 * Reads a cache entry; `undefined` when absent, not a regular file (a link, FIFO or device), corrupt or
 * truncated (checksum), made for other keys, or made by another pie-audit version.
 *
 * @example
 * const hit = await readCacheEntry('.pie-cache', modelKey, testSetKey);
 */
export async function readCacheEntry(dir: string, modelKey: string, testSetKey: string): Promise<CacheEntry | undefined> {
  let bytes: Buffer;
  const path = cacheEntryPath(dir, modelKey, testSetKey);
  try {
    // Only a regular file the cache wrote: a link (to /dev/zero, or out of the folder), FIFO or device is a miss,
    // and the next write renames a real entry over it.
    if (!(await lstat(path)).isFile()) return undefined;
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  const entry = decodeCacheEntry(bytes);
  if (!entry || entry.header.modelKey !== modelKey || entry.header.testSetKey !== testSetKey) return undefined;
  if (entry.header.packageVersion !== PIE_AUDIT_VERSION) return undefined;
  return entry;
}

/** Removes `*.tmp` files left in `folder` by writers that were killed (their process is gone); once per folder per process. */
async function sweepOrphans(folder: string): Promise<void> {
  if (swept.has(folder)) return;
  swept.add(folder);
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const pid = TMP_NAME.exec(name)?.[1];
    if (pid !== undefined && !isProcessAlive(Number(pid))) await rm(join(folder, name), { force: true }).catch(() => undefined);
  }
}

/**
 * Writes a cache entry atomically: to a uniquely named temporary file in the same folder, then renamed
 * over the final name, so readers (and a run killed mid-write) never see a partial entry. Temporary
 * files of killed writers in that folder are removed. The entry records the package version.
 *
 * @throws {PieAuditError} `IO_ERROR` when the cache folder is not writable.
 * @example
 * await writeCacheEntry('.pie-cache', { header, predictions });
 */
export async function writeCacheEntry(dir: string, entry: CacheEntry): Promise<string> {
  const path = cacheEntryPath(dir, entry.header.modelKey, entry.header.testSetKey);
  const tmp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(join(path, '..'), { recursive: true });
    await sweepOrphans(join(path, '..'));
    await writeFile(tmp, encodeCacheEntry({ ...entry, header: { ...entry.header, packageVersion: PIE_AUDIT_VERSION } }));
    await rename(tmp, path);
    return path;
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new PieAuditError(
      'IO_ERROR',
      `could not write prediction cache entry ${path}: ${(e as Error).message}; check that cache.dir (${dir}) is writable, or pass cache: false.`,
      { path },
      { cause: e },
    );
  }
}
