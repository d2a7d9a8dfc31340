import { PieAuditError } from '../errors.js';
import type { NoiseFloorDesignOption, PopulationDesignEcho } from '../schema/index.js';
import type { ResolvedMember, ResolvedPopulation } from './resolve-population.js';

/** Files whose folder names the model (`<dir>/<level>/seed-3/model.json`, `.../seed-3/model.keras`). */
const MODEL_FILES = new Set(['model.json', 'model.onnx', 'model.tflite', 'model.h5', 'model.keras']);

/**
 * The file a member is read from: its path, or the `predictionsFile` of a `{ predictionsFile }` source (how a
 * config names a `.json` predictions file); `null` for models, functions and arrays given in memory.
 * @internal
 * @example
 * memberFile({ predictionsFile: 'preds/0.9/seed-3.json', format: 'json' }); // 'preds/0.9/seed-3.json'
 */
export function memberFile(source: ResolvedMember['source']): string | null {
  if (typeof source === 'string') return source;
  if (typeof source === 'object' && source !== null && 'predictionsFile' in source && typeof source.predictionsFile === 'string')
    return source.predictionsFile;
  return null;
}

/**
 * The id a member is paired by, the same for every way of writing it: the id given with `{ model, id }` or on a
 * precomputed source (`{ predictions, id }`, `{ probabilities, nClasses, id }`, `{ predictionsFile, id }`; a
 * path-like id read as a path), else for a path string or `{ predictionsFile }` the model's folder name
 * (`models/0.9/seed-3/model.json` gives `seed-3`) or the file name without extension (`preds/0.9/seed-3.npy`
 * gives `seed-3`); `null` for a model object without an id.
 * @internal
 * @example
 * const member = { level: '0.9', index: 0, source: 'models/0.9/seed-3/model.json', id: null, sparsity: null, gzippedBytes: null, storedWeightBytes: null };
 * memberPairId(member); // 'seed-3'
 */
export function memberPairId(member: ResolvedMember): string | null {
  // An id that is itself a model path (as a merged shard run passes the file it evaluated) pairs like that path.
  if (member.id !== null && !/[\\/]/.test(member.id)) return member.id;
  const path = member.id ?? memberFile(member.source);
  if (path === null) return null;
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  const last = parts.at(-1);
  if (last === undefined) return null;
  if (MODEL_FILES.has(last)) return parts.at(-2) ?? null;
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(0, dot) : last;
}

/** Member ids per level, in population order. */
function idsByLevel(population: ResolvedPopulation): Map<string, Array<string | null>> {
  const ids = new Map<string, Array<string | null>>();
  for (const level of population.levels) {
    const range = population.ranges.get(level)!;
    ids.set(level, population.members.slice(range.start, range.end).map(memberPairId));
  }
  return ids;
}

/** Whether `ids` are exactly the baseline's (each once, any order). */
function sameIds(baseline: Array<string | null>, ids: Array<string | null>): boolean {
  if (baseline.length !== ids.length || baseline.some((id) => id === null) || ids.some((id) => id === null)) return false;
  const want = new Set(baseline);
  return want.size === baseline.length && new Set(ids).size === ids.length && ids.every((id) => want.has(id));
}

/**
 * Resolves the population design: `'auto'` is paired when every compressed level holds exactly the baseline's
 * member ids (e.g. `seed-3` from buildPopulation / loadPopulation), else independent. An explicit `'paired'` needs
 * either matching ids or, without ids, as many models per level as the baseline (paired by position).
 * @internal
 * @throws PieAuditError `CONFIG_ERROR` (`noiseFloor.design`) when `'paired'` cannot pair the models
 * @example
 * resolvePopulationDesign(population, '0', 'auto').design; // 'paired' for a buildPopulation population
 */
export function resolvePopulationDesign(
  population: ResolvedPopulation,
  baseline: string,
  choice: NoiseFloorDesignOption,
): PopulationDesignEcho {
  const ids = idsByLevel(population);
  const memberIds: Record<string, Array<string | null>> = Object.create(null);
  for (const [level, list] of ids) memberIds[level] = list;
  const base = ids.get(baseline)!;
  const compressed = population.levels.filter((l) => l !== baseline);
  const mismatch = compressed.find((l) => !sameIds(base, ids.get(l)!));
  if (choice === 'independent') return { design: 'independent', reason: 'noiseFloor.design independent was requested', memberIds };
  if (mismatch === undefined) {
    return { design: 'paired', reason: "every compressed level holds exactly the baseline's member ids", memberIds };
  }
  if (choice === 'auto') {
    return { design: 'independent', reason: `level '${mismatch}' does not hold exactly the baseline's member ids`, memberIds };
  }
  const hasIds = [...ids.values()].some((list) => list.some((id) => id !== null));
  const sizesMatch = compressed.every((l) => ids.get(l)!.length === base.length);
  if (hasIds || !sizesMatch) {
    throw new PieAuditError(
      'CONFIG_ERROR',
      `noiseFloor.design: 'paired' needs level '${mismatch}' to hold exactly the baseline's member ids (or, without ids, as many ` +
        `models as the baseline); use 'independent' or 'auto'.`,
      { key: 'noiseFloor.design' },
    );
  }
  return { design: 'paired', reason: 'noiseFloor.design paired was requested; models paired by position', memberIds };
}
