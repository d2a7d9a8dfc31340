import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { PieAuditError } from '../errors.js';

/**
 * Resolves a weight shard named in a model.json's `weightsManifest[].paths`, refusing anything outside
 * the model's folder (absolute paths, `..`): the loader and the cache's content hash apply this same
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
  return file;
}
