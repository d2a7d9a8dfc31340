import type { MaskSelection } from '../compress/pruned-model.js';
import { levelKey } from '../schema/level-key.js';
import { randomControlKey } from './population-design.js';

/** One level of a population to build: its key, its sparsity and how its masks are chosen. */
export interface LevelPlan {
  readonly key: string;
  readonly sparsity: number;
  readonly maskSelection: MaskSelection;
}

/**
 * The levels a population builds, in the order every builder uses (their positions seed the
 * independent initialisations and random masks): the sorted magnitude levels, then with
 * `randomControl` one `random@<level>` twin per level above 0.
 *
 * @example
 * levelPlans([0, 0.9], true).map((p) => p.key); // ['0', '0.9', 'random@0.9']
 */
export function levelPlans(levels: readonly number[], randomControl: boolean): LevelPlan[] {
  const sorted = [...levels].sort((a, b) => a - b);
  const plans: LevelPlan[] = sorted.map((sparsity) => ({ key: levelKey(sparsity), sparsity, maskSelection: 'magnitude' as const }));
  if (randomControl)
    for (const sparsity of sorted) if (sparsity > 0) plans.push({ key: randomControlKey(sparsity), sparsity, maskSelection: 'random' });
  return plans;
}

/**
 * A seed for (replicate seed, level index), mixed so distinct levels start from distinct initialisations
 * (fromScratch) and draw distinct random masks (random controls).
 *
 * @example
 * independentSeed(1, 0) !== independentSeed(1, 1); // true
 */
export function independentSeed(seed: number, levelIndex: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(levelIndex + 1, 0x85ebca77)) >>> 1;
}
