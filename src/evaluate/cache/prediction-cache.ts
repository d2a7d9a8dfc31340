import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PieAuditError } from '../../errors.js';
import { decodeCacheEntry, encodeCacheEntry, type CacheEntry } from './cache-entry.js';

/**
 * Path of the entry for one model on one test set:
 * `<dir>/v1/<first 16 hex of the test-set key>/<model key>.pred`.
 *
 * @example
 * cacheEntryPath('.pie-cache', modelKey, testSetKey);
 */
export function cacheEntryPath(dir: string, modelKey: string, testSetKey: string): string {
  return join(dir, 'v1', testSetKey.slice(0, 16), `${modelKey}.pred`);
}

/**
 * Reads a cache entry; `undefined` when absent, corrupt or truncated (checksum), or made for other keys.
 *
 * @example
 * const hit = await readCacheEntry('.pie-cache', modelKey, testSetKey);
 */
export async function readCacheEntry(dir: string, modelKey: string, testSetKey: string): Promise<CacheEntry | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(cacheEntryPath(dir, modelKey, testSetKey));
  } catch {
    return undefined;
  }
  const entry = decodeCacheEntry(bytes);
  if (!entry || entry.header.modelKey !== modelKey || entry.header.testSetKey !== testSetKey) return undefined;
  return entry;
}

/**
 * Writes a cache entry atomically: to a uniquely named temporary file in the same folder, then renamed
 * over the final name, so readers (and a run killed mid-write) never see a partial entry.
 *
 * @example
 * await writeCacheEntry('.pie-cache', { header, predictions });
 */
export async function writeCacheEntry(dir: string, entry: CacheEntry): Promise<string> {
  const path = cacheEntryPath(dir, entry.header.modelKey, entry.header.testSetKey);
  const tmp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(tmp, encodeCacheEntry(entry));
    await rename(tmp, path);
    return path;
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new PieAuditError('IO_ERROR', `could not write prediction cache entry ${path}: ${(e as Error).message}; check that cache.dir (${dir}) is writable, or pass cache: false.`, { path }, { cause: e });
  }
}
