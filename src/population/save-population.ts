import { replaceDirectory } from '../engine/replace-directory.js';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileSystemIO } from '../engine/file-system-io.js';
import { PieAuditError } from '../errors.js';
import { PIE_AUDIT_VERSION } from '../version.js';
import { levelKey } from '../schema/level-key.js';
import type { Population } from './population.js';

/** Name of the manifest written at the root of a saved population. */
export const POPULATION_MANIFEST = 'population.json';

/** Contents of `population.json`. */
export interface PopulationManifest {
  readonly format: 'pie-audit-population';
  readonly formatVersion: 1;
  readonly generatedBy: string;
  readonly seeds: number[];
  readonly levels: { readonly key: string; readonly sparsity: number; readonly models: string[]; readonly measuredSparsity?: number[] }[];
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Saves a population as `<dir>/<level>/<model>/model.json` (+ weight shards), with a
 * `population.json` manifest listing levels, model names and seeds. Written into a temporary sibling
 * directory and renamed into place, so `dir` is never a half-written population; an existing saved
 * population at `dir` is replaced, any other non-empty directory is refused.
 *
 * @example
 * await savePopulation(pop, 'populations/mnist-mlp');
 * // populations/mnist-mlp/0.9/seed-3/model.json
 */
export async function savePopulation(population: Population, dir: string): Promise<void> {
  const target = resolve(dir);
  const existing = await stat(target).catch(() => undefined);
  if (existing) {
    const entries = existing.isDirectory() ? await readdir(target) : ['(a file)'];
    if (entries.length > 0 && !entries.includes(POPULATION_MANIFEST)) {
      throw new PieAuditError('IO_ERROR', `refusing to replace ${target}: it is not a saved population (no ${POPULATION_MANIFEST}); choose an empty or new directory`, { path: target });
    }
  }
  const levels = population.sparsityLevels.map((sparsity) => {
    const key = levelKey(sparsity);
    const models = population.levels[key];
    if (!models || models.length === 0) throw new PieAuditError('EMPTY_POPULATION', `population level ${key} has no models`);
    const names = population.modelNames[key] ?? models.map((_, i) => `model-${i}`);
    if (names.length !== models.length || new Set(names).size !== names.length || !names.every((n) => SAFE_NAME.test(n))) {
      throw new PieAuditError('INVALID_ARGUMENT', `modelNames['${key}'] must be ${models.length} distinct names of letters, digits, '.', '_' or '-'`);
    }
    return { key, sparsity, models, names };
  });
  try {
    await replaceDirectory(target, existing !== undefined, async (tmp) => {
      for (const level of levels) {
        await mkdir(join(tmp, level.key));
        for (let i = 0; i < level.models.length; i++) await level.models[i].save(fileSystemIO(join(tmp, level.key, level.names[i])));
      }
      const manifest: PopulationManifest = {
        format: 'pie-audit-population',
        formatVersion: 1,
        generatedBy: `pie-audit ${PIE_AUDIT_VERSION}`,
        seeds: [...population.seeds],
        levels: levels.map((l) => ({ key: l.key, sparsity: l.sparsity, models: l.names, ...(population.measuredSparsity[l.key] ? { measuredSparsity: population.measuredSparsity[l.key] } : {}) })),
      };
      await writeFile(join(tmp, POPULATION_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    });
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw new PieAuditError('IO_ERROR', `could not save the population to ${target}: ${(e as Error).message}`, { path: target }, { cause: e });
  }
}
