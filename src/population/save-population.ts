import { replaceDirectory } from '../engine/replace-directory.js';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileSystemIO } from '../engine/file-system-io.js';
import { PieAuditError } from '../errors.js';
import { PIE_AUDIT_VERSION } from '../version.js';
import type { PopulationDesign, PopulationVariant } from './population-design.js';
import type { Population } from './population.js';

/** Name of the manifest written at the root of a saved population. */
export const POPULATION_MANIFEST = 'population.json';

/** Contents of `population.json`. */
export interface PopulationManifest {
  readonly format: 'pie-audit-population';
  readonly formatVersion: 1;
  readonly generatedBy: string;
  readonly seeds: number[];
  /** How the levels relate (absent in manifests written before designs were recorded). */
  readonly design?: PopulationDesign;
  readonly levels: {
    readonly key: string;
    /** Sparsity of the level's masks (for a quantized level, of the models it was quantized from). */
    readonly sparsity: number;
    readonly models: string[];
    readonly measuredSparsity?: number[];
    /** What the level is (absent: magnitude pruning at `sparsity`). */
    readonly variant?: PopulationVariant;
  }[];
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Saves a population as `<dir>/<level>/<model>/model.json` (+ weight shards), with a
 * `population.json` manifest listing levels (and what each is: magnitude, `random@` control or
 * quantized), model names, seeds and the population's design (paired with its pairing ids, or independent).
 * Written into a temporary sibling
 * directory and renamed into place, so `dir` is never a half-written population; an existing saved
 * population at `dir` is replaced, any other non-empty directory is refused.
 *
 * @throws PieAuditError `IO_ERROR`, `EMPTY_POPULATION`, `INVALID_ARGUMENT`
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
      throw new PieAuditError(
        'IO_ERROR',
        `refusing to replace ${target}: it is not a saved population (no ${POPULATION_MANIFEST}); choose an empty or new directory`,
        { path: target },
      );
    }
  }
  const levels = population.levelKeys.map((key) => {
    const models = population.levels[key];
    if (!models || models.length === 0) throw new PieAuditError('EMPTY_POPULATION', `population level ${key} has no models`);
    if (!SAFE_NAME.test(key.replace('@', '_'))) {
      throw new PieAuditError('INVALID_ARGUMENT', `level key '${key}' cannot name a directory; use letters, digits, '.', '_', '-' or '@'`);
    }
    const names = population.modelNames[key] ?? models.map((_, i) => `model-${i}`);
    if (names.length !== models.length || new Set(names).size !== names.length || !names.every((n) => SAFE_NAME.test(n))) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `modelNames['${key}'] must be ${models.length} distinct names of letters, digits, '.', '_' or '-'`,
      );
    }
    const variant = population.variants[key] ?? { kind: 'magnitude', sparsity: Number(key) };
    const sparsity = variant.kind === 'quantized' ? (population.measuredSparsity[key]?.[0] ?? 0) : variant.sparsity;
    return { key, sparsity, models, names, variant };
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
        design: population.design,
        levels: levels.map((l) => ({
          key: l.key,
          sparsity: l.sparsity,
          models: l.names,
          ...(population.measuredSparsity[l.key] ? { measuredSparsity: population.measuredSparsity[l.key] } : {}),
          variant: l.variant,
        })),
      };
      await writeFile(join(tmp, POPULATION_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    });
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw new PieAuditError(
      'IO_ERROR',
      `could not save the population to ${target}: ${(e as Error).message}`,
      { path: target },
      { cause: e },
    );
  }
}
