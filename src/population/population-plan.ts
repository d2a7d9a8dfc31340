import { validateSparsity } from '../compress/pruning-schedule.js';
import { PieAuditError } from '../errors.js';
import { levelKey } from '../schema/level-key.js';
import { checkQuantizedModes } from './add-quantized-levels.js';
import { independentSeed, levelPlans, type LevelPlan } from './level-plans.js';
import { memberId, memberName, type PopulationRegime } from './member-id.js';
import type { QuantizedLevelName } from './population-design.js';

/** The seeds and levels of a population to build, checked and in build order (levels ascending). */
export interface SeedsAndLevels {
  readonly seeds: readonly number[];
  readonly levels: readonly number[];
}

export type { PopulationRegime };

/**
 * What makes one member: prune its seed's trained baseline to a level and fine-tune it (`fineTune`; random masks,
 * for a random control, drawn from `maskSeed`), train it from `initSeed` while pruning it gradually (`scratch`), or
 * quantize the level-0 member of the same index (`quantize`).
 */
export type MemberJob =
  | { readonly kind: 'fineTune'; readonly level: LevelPlan; readonly maskSeed: number }
  | { readonly kind: 'scratch'; readonly level: LevelPlan; readonly initSeed: number }
  | { readonly kind: 'quantize'; readonly mode: QuantizedLevelName };

/** One model of a planned population: where it sits, what it is called, the id the audit pairs it by, and its job. */
export interface PlannedMember {
  readonly levelKey: string;
  /** Its position in its level: the index of its seed. */
  readonly index: number;
  readonly seed: number;
  /** The model's name (`seed-3`), the same at every level. */
  readonly name: string;
  /** The member id in the report: the name when paired (`seed-3`), qualified by level when independent (`seed-3@0.9`). */
  readonly id: string;
  readonly job: MemberJob;
}

/**
 * A population to build, checked once and independent of how it is run: `buildPopulation` runs it in process,
 * `planFromRecipe` turns it into jobs for shards, local workers and the queue.
 */
export interface PopulationPlan extends SeedsAndLevels {
  readonly regime: PopulationRegime;
  readonly randomControl: boolean;
  readonly quantizedLevels: readonly QuantizedLevelName[];
  /** The pruned levels in build order: magnitude levels ascending, then the random controls. */
  readonly levelPlans: readonly LevelPlan[];
  /** Every level key: the pruned levels, then the quantized ones. */
  readonly levelKeys: readonly string[];
  /** Every member, level by level (in `levelKeys` order), seeds in order within a level. */
  readonly members: readonly PlannedMember[];
}

/** What a population plan is made from: the options `buildPopulation` takes, or a recipe's. */
export interface PopulationSpec {
  readonly seeds?: readonly number[];
  readonly levels?: readonly number[];
  readonly regime?: unknown;
  readonly randomControl?: boolean;
  readonly quantizedLevels?: readonly QuantizedLevelName[];
}

/** The name a message gives `key` of the values at `where` (`options.seeds`, `recipe 'x.mjs': seeds`). */
const named = (where: string, key: string) => (where.endsWith(':') ? `${where} ${key}` : `${where}.${key}`);

/**
 * Checks the seeds and sparsity levels of a population once, for every builder: `buildPopulation` in process and
 * `planFromRecipe` for shards, local workers and the queue refuse the same inputs with the same messages. Seeds
 * must be distinct safe integers (each baseline its own seed), levels distinct sparsities in [0, 1) (two levels
 * with one key would be one level built twice). Returns copies, levels sorted.
 *
 * @param where what the values are named in messages: `options` (`options.seeds`) or `recipe 'x.mjs':`.
 * @throws PieAuditError `EMPTY_POPULATION` for no seeds or no levels, `INVALID_SPARSITY` for a level outside [0, 1),
 *   `INVALID_ARGUMENT` for duplicates or non-integer seeds.
 * @example
 * validatePopulationPlan({ seeds: [1, 2], levels: [0.9, 0] }, 'options').levels; // [0, 0.9]
 * validatePopulationPlan({ seeds: [1, 1], levels: [0] }, 'options'); // throws INVALID_ARGUMENT (duplicate seeds)
 */
export function validatePopulationPlan(
  plan: { readonly seeds?: readonly number[]; readonly levels?: readonly number[] },
  where: string,
): SeedsAndLevels {
  const name = (key: string) => named(where, key);
  if (!Array.isArray(plan.levels) || plan.levels.length === 0)
    throw new PieAuditError('EMPTY_POPULATION', `${name('levels')} is empty; pass at least one sparsity level, e.g. [0, 0.9]`);
  const levels = [...plan.levels];
  levels.forEach((l, i) => validateSparsity(l, `${name('levels')}[${i}]`));
  if (new Set(levels.map(levelKey)).size !== levels.length)
    throw new PieAuditError('INVALID_ARGUMENT', `${name('levels')} has duplicates: ${levels.join(', ')}`);
  levels.sort((a, b) => a - b);
  if (!Array.isArray(plan.seeds) || plan.seeds.length === 0)
    throw new PieAuditError('EMPTY_POPULATION', `${name('seeds')} is empty; pass one seed per baseline model, e.g. [1, 2, 3, 4, 5]`);
  const seeds = [...plan.seeds];
  if (seeds.some((s) => !Number.isSafeInteger(s)))
    throw new PieAuditError('INVALID_ARGUMENT', `${name('seeds')} must be integers (got ${seeds.join(', ')})`);
  if (new Set(seeds).size !== seeds.length)
    throw new PieAuditError('INVALID_ARGUMENT', `${name('seeds')} has duplicates (${seeds.join(', ')}): each baseline needs its own seed`);
  return { seeds, levels };
}

/**
 * The plan of a population: seeds, levels, regime, random controls and quantized levels checked once (the checks
 * of {@link validatePopulationPlan}, then the regime and the quantized levels), and every member with its name, id
 * and job. `buildPopulation` executes it in process; `planFromRecipe` writes it as jobs.
 *
 * @param where what the values are named in messages: `options` or `recipe 'x.mjs':`.
 * @throws PieAuditError as {@link validatePopulationPlan}; `INVALID_ARGUMENT` for an unknown regime or quantized
 *   level, duplicate quantized levels, or quantized levels without level 0.
 * @example
 * planPopulation({ seeds: [1], levels: [0, 0.9], regime: 'fromScratch', randomControl: true }, 'options')
 *   .members.map((m) => m.id); // ['seed-1@0', 'seed-1@0.9', 'seed-1@random@0.9']
 */
export function planPopulation(spec: PopulationSpec, where: string): PopulationPlan {
  const { seeds, levels } = validatePopulationPlan(spec, where);
  const regime = spec.regime ?? 'fineTune';
  if (regime !== 'fineTune' && regime !== 'fromScratch')
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${named(where, 'regime')} must be 'fineTune' or 'fromScratch' (got ${JSON.stringify(regime)})`,
    );
  const quantized: unknown = spec.quantizedLevels ?? [];
  if (!Array.isArray(quantized))
    throw new PieAuditError('INVALID_ARGUMENT', `${named(where, 'quantizedLevels')} must be a list, e.g. ['int8-full']`);
  const quantizedLevels = [...quantized] as QuantizedLevelName[];
  checkQuantizedModes(quantizedLevels);
  if (quantizedLevels.length > 0 && !levels.includes(0))
    throw new PieAuditError('INVALID_ARGUMENT', 'quantized levels are copies of level 0: add 0 to the levels');
  const randomControl = spec.randomControl === true;
  const plans = levelPlans(levels, randomControl);
  const member = (levelKey: string, index: number, job: MemberJob): PlannedMember => {
    const name = memberName(seeds[index]);
    return { levelKey, index, seed: seeds[index], name, id: memberId(regime, name, levelKey), job };
  };
  const members: PlannedMember[] = plans.flatMap((level, p) =>
    seeds.map((seed, i) =>
      member(
        level.key,
        i,
        regime === 'fineTune'
          ? { kind: 'fineTune', level, maskSeed: independentSeed(seed, p) }
          : { kind: 'scratch', level, initSeed: independentSeed(seed, p) },
      ),
    ),
  );
  for (const mode of quantizedLevels) members.push(...seeds.map((_, i) => member(mode, i, { kind: 'quantize', mode })));
  const levelKeys = [...plans.map((p) => p.key), ...quantizedLevels];
  return { seeds, levels, regime, randomControl, quantizedLevels, levelPlans: plans, levelKeys, members };
}

/**
 * The pruned members of one seed, in build order (its levels in `levelPlans` order): what one baseline is pruned to
 * (`fineTune`), or one seed's models (`fromScratch`).
 *
 * @example
 * seedMembers(plan, 0).map((m) => m.levelKey); // ['0', '0.9', 'random@0.9']
 */
export function seedMembers(plan: PopulationPlan, index: number): PlannedMember[] {
  return plan.members.filter((m) => m.index === index && m.job.kind !== 'quantize');
}
