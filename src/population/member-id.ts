/** How a population's levels relate: `fineTune` prunes each seed's baseline (paired), `fromScratch` trains each model alone (independent). */
export type PopulationRegime = 'fineTune' | 'fromScratch';

/**
 * The name of the model of a seed, at every level of every regime.
 *
 * @example
 * memberName(3); // 'seed-3'
 */
export function memberName(seed: number): string {
  return `seed-${seed}`;
}

/**
 * The id the audit pairs a member by: its name in the `fineTune` regime (one seed's models at every level are
 * pruned from one baseline, so equal ids pair them), its name qualified by level in the `fromScratch` regime
 * (independent models share nothing across levels). The one function every builder names members with.
 *
 * @example
 * memberId('fineTune', 'seed-3', '0.9'); // 'seed-3'
 * memberId('fromScratch', 'seed-3', 'random@0.9'); // 'seed-3@random@0.9'
 */
export function memberId(regime: PopulationRegime, name: string, key: string): string {
  return regime === 'fromScratch' ? `${name}@${key}` : name;
}
