import type * as tf from '@tensorflow/tfjs';
import type { PopulationVariant } from './population-design.js';
import type { PlannedMember, PopulationPlan } from './population-plan.js';
import type { Population } from './population.js';

/**
 * The population a plan's pruned levels make, from the models built for them (wherever they were built): the levels,
 * names, variants and design come from the plan's members, so an in-process and a distributed build of one plan
 * name and pair their models alike. Quantized levels are added afterwards (`addQuantizedLevels`).
 *
 * @param levels the built models per level key, in the plan's seed order
 * @param measuredSparsity achieved sparsity per model, keyed and ordered as `levels`
 * @example
 * const population = populationFromPlan(plan, { '0': [m0], '0.9': [m1] }, { '0': [0], '0.9': [0.9] });
 */
export function populationFromPlan(
  plan: PopulationPlan,
  levels: Readonly<Record<string, tf.LayersModel[]>>,
  measuredSparsity: Readonly<Record<string, number[]>>,
): Population {
  const keys = plan.levelPlans.map((p) => p.key);
  const byKey = <T>(f: (members: PlannedMember[], key: string) => T): Record<string, T> =>
    Object.fromEntries(
      keys.map((key) => [
        key,
        f(
          plan.members.filter((m) => m.levelKey === key),
          key,
        ),
      ]),
    );
  const variants: Record<string, PopulationVariant> = Object.create(null);
  for (const p of plan.levelPlans) variants[p.key] = { kind: p.maskSelection, sparsity: p.sparsity };
  return {
    levels: byKey((_, key) => levels[key]),
    sparsityLevels: [...plan.levels],
    levelKeys: keys,
    variants,
    design:
      plan.regime === 'fineTune'
        ? { kind: 'paired', regime: plan.regime, pairIds: byKey((members) => members.map((m) => m.name)) }
        : {
            kind: 'independent',
            regime: plan.regime,
            initSeeds: byKey((members) => members.flatMap((m) => (m.job.kind === 'scratch' ? [m.job.initSeed] : []))),
          },
    seeds: [...plan.seeds],
    modelNames: byKey((members) => members.map((m) => m.name)),
    measuredSparsity: byKey((_, key) => measuredSparsity[key]),
  };
}
