import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { PieAuditError } from '../errors.js';

/**
 * Resolves a weight shard named in a model.json's `weightsManifest[].paths`, refusing anything outside
 * the model's folder (absolute paths, `..`, symbolic links leading out of it): the loader and the cache's content hash apply this same
 * rule before touching the file, so a crafted manifest cannot make either read `/dev/zero` or `~/.ssh`.
 *
 * @throws {PieAuditError} `CORRUPT_MODEL` naming model.json and the bad entry.
 * @example
 * resolveWeightShard('/m/model.json', 'group1-shard1of1.bin'); // '/m/group1-shard1of1.bin'
 */
export function resolveWeightShard(modelJsonPath: string, shard: unknown): string {
  const dir = dirname(modelJsonPath);
  if (typeof shard !== 'string' || shard === '' || isAbsolute(shard)) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model file ${modelJsonPath} names a weight shard outside its directory (${JSON.stringify(shard)}); re-export the model.`,
      { file: modelJsonPath },
    );
  }
  const file = resolve(dir, shard);
  const rel = relative(dir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model file ${modelJsonPath} names a weight shard outside its directory (${JSON.stringify(shard)}); re-export the model.`,
      { file: modelJsonPath },
    );
  }
  // A link inside the folder may still point outside it (to /dev/zero, or another model's file).
  const real = realpathOrNull(file);
  const realDir = realpathOrNull(dir);
  if (real !== null && realDir !== null && !within(realDir, real)) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `model file ${modelJsonPath} names weight shard ${JSON.stringify(shard)}, a link to '${real}' outside the model's directory; copy the file there instead.`,
      { file: modelJsonPath, target: real },
    );
  }
  return file;
}

function realpathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null; // missing: the loader reports it with the manifest that names it
  }
}

function within(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
