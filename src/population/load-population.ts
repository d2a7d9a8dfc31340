import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { compressionStats } from '../compress/compression-stats.js';
import { registerQuantizeDequantize } from '../compress/quantize-dequantize-layer.js';
import { loadLayersModelFromFile } from '../engine/load-layers-model-from-file.js';
import { recoverLeftovers } from '../engine/replace-directory.js';
import { PieAuditError } from '../errors.js';
import { levelKey } from '../schema/level-key.js';
import type { PopulationDesign, PopulationVariant } from './population-design.js';
import type { Population } from './population.js';
import { scanPopulationFolder } from './scan-population-folder.js';
import { POPULATION_MANIFEST, type PopulationManifest } from './save-population.js';

interface FoundLevel {
  key: string;
  dirName: string;
  sparsity: number;
  models: string[];
  variant: PopulationVariant;
}

/** The manifest's design, checked against its levels; `unknown` when the manifest predates designs. */
function designOf(manifest: PopulationManifest, manifestPath: string): PopulationDesign {
  const design = manifest.design;
  if (design === undefined) return { kind: 'unknown' };
  const ids = design.kind === 'paired' ? design.pairIds : design.kind === 'independent' ? design.initSeeds : undefined;
  const listed = (l: { key: string; models: string[] }): boolean => Array.isArray(ids?.[l.key]) && ids[l.key].length === l.models.length;
  const fits = design.kind === 'unknown' || (typeof ids === 'object' && ids !== null && manifest.levels.every(listed));
  if (!fits) {
    const message = `${manifestPath}: design does not list an id for every model of every level`;
    throw new PieAuditError('CORRUPT_FILE', message, { file: manifestPath });
  }
  return design;
}

/** Level directories and their model directories, from the manifest or by scanning. */
async function discover(root: string): Promise<{ seeds: number[]; design: PopulationDesign; levels: FoundLevel[] }> {
  const manifestPath = join(root, POPULATION_MANIFEST);
  const text = await readFile(manifestPath, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    let manifest: PopulationManifest;
    try {
      manifest = JSON.parse(text) as PopulationManifest;
    } catch (e) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `${manifestPath} is not valid JSON (${(e as Error).message}); delete it to load by scanning the directories`,
        { file: manifestPath },
      );
    }
    if (manifest.format !== 'pie-audit-population' || !Array.isArray(manifest.levels)) {
      throw new PieAuditError('CORRUPT_FILE', `${manifestPath} is not a pie-audit population manifest`, { file: manifestPath });
    }
    // Names from the manifest become paths: only plain names, so a crafted manifest cannot point outside `root`.
    const plain = (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(v) && !v.includes('..');
    const bad = manifest.levels.find(
      (l) => !l || !plain(l.key) || typeof l.sparsity !== 'number' || !Array.isArray(l.models) || !l.models.every(plain),
    );
    if (bad !== undefined) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `${manifestPath} has a malformed level entry (${JSON.stringify(bad)?.slice(0, 80)}); delete it to load by scanning the directories`,
        { file: manifestPath },
      );
    }
    return {
      seeds: Array.isArray(manifest.seeds) ? manifest.seeds : [],
      design: designOf(manifest, manifestPath),
      levels: manifest.levels.map((l) => {
        const variant: PopulationVariant = l.variant ?? { kind: 'magnitude', sparsity: l.sparsity };
        const key = variant.kind === 'magnitude' ? levelKey(l.sparsity) : l.key;
        return { key, dirName: l.key, sparsity: l.sparsity, models: l.models, variant };
      }),
    };
  }
  // No manifest (e.g. produced by tensorflowjs_converter): the shared folder scan, tfjs model folders only.
  const scan = scanPopulationFolder(root, { accept: 'models' });
  const levels: FoundLevel[] = scan.levels.map((l) => {
    const sparsity = l.value!;
    const variant: PopulationVariant = { kind: 'magnitude', sparsity };
    return { key: levelKey(sparsity), dirName: l.dirName, sparsity, models: l.members.map((m) => m.name), variant };
  });
  return { seeds: [], design: { kind: 'unknown' }, levels };
}

/**
 * Loads a population saved by {@link savePopulation}, or any directory laid out as
 * `<dir>/<level>/<model>/model.json` (level directories named by sparsity: `0`, `0.3`, `0.9`, ...;
 * models in natural name order), e.g. Keras models converted with `tensorflowjs_converter`.
 * Without a manifest the folder is read by {@link scanPopulationFolder} (leftovers of a killed save are skipped).
 *
 * @throws {PieAuditError} `EMPTY_POPULATION` when no level or an empty level is found, `CORRUPT_MODEL`
 * naming a bad file, `IO_ERROR` for a missing folder or a dangling link.
 *
 * @example
 * const pop = await loadPopulation('populations/mnist-mlp');
 * pop.levels['0'].length; // baseline population size
 */
export async function loadPopulation(dir: string): Promise<Population> {
  const root = resolve(dir);
  // Saved int8-full levels hold QuantizeDequantize layers: tfjs must know the class to load them.
  registerQuantizeDequantize();
  // A save killed between its two renames leaves the complete old copy beside a missing folder: put it back.
  await recoverLeftovers(root);
  const s = await stat(root).catch(() => undefined);
  if (!s?.isDirectory()) throw new PieAuditError('IO_ERROR', `population directory ${root} does not exist`, { path: root });
  const found = await discover(root);
  if (found.levels.length === 0) {
    throw new PieAuditError(
      'EMPTY_POPULATION',
      `no level directories (named 0, 0.3, 0.9, ...) with models in ${root}; expected <dir>/<level>/<model>/model.json`,
      { path: root },
    );
  }
  if (new Set(found.levels.map((l) => l.key)).size !== found.levels.length) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${root} has two directories for the same sparsity level (${found.levels.map((l) => l.dirName).join(', ')})`,
    );
  }
  // magnitude levels by sparsity, then the named variants in manifest order (a stable sort)
  const rank = (l: FoundLevel): number => (l.variant.kind === 'magnitude' ? 0 : l.variant.kind === 'random' ? 1 : 2);
  found.levels.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.sparsity - b.sparsity : 0));
  const levels: Record<string, tf.LayersModel[]> = Object.create(null);
  const modelNames: Record<string, string[]> = Object.create(null);
  try {
    for (const level of found.levels) {
      if (level.models.length === 0)
        throw new PieAuditError('EMPTY_POPULATION', `level directory ${join(root, level.dirName)} holds no <model>/model.json`, {
          path: join(root, level.dirName),
        });
      levels[level.key] = [];
      modelNames[level.key] = level.models;
      for (const name of level.models) levels[level.key].push(await loadLayersModelFromFile(join(root, level.dirName, name)));
    }
  } catch (e) {
    for (const models of Object.values(levels)) for (const m of models) m.dispose();
    throw e;
  }
  const measuredSparsity: Record<string, number[]> = Object.create(null);
  for (const [key, models] of Object.entries(levels)) measuredSparsity[key] = models.map((m) => compressionStats(m).prunableSparsity);
  const variants: Record<string, PopulationVariant> = Object.create(null);
  for (const l of found.levels) variants[l.key] = l.variant;
  return {
    levels,
    sparsityLevels: found.levels.filter((l) => l.variant.kind === 'magnitude').map((l) => l.sparsity),
    levelKeys: found.levels.map((l) => l.key),
    variants,
    design: found.design,
    seeds: found.seeds,
    modelNames,
    measuredSparsity,
  };
}
