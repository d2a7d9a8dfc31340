import type * as tf from '@tensorflow/tfjs';
import type { PopulationDesign, PopulationVariant } from './population-design.js';

/**
 * Populations of models keyed by level: `levels['0.9'][i]` is the i-th model pruned to 90%,
 * `levels['random@0.9']` the random-pruning control, `levels['int8-full']` a quantized level.
 * `design` says whether models at the same index across levels are paired (pruned from one baseline)
 * or independent (each trained from its own initialisation).
 */
export interface Population {
  /** Models per level; keys are `String(level)` ('0', '0.3', '0.99') and the named variants. */
  readonly levels: Record<string, tf.LayersModel[]>;
  /** The magnitude-pruning sparsity levels, ascending (their keys are `levelKey(level)`). */
  readonly sparsityLevels: number[];
  /** Every level key in order: the magnitude levels, then random controls, then quantized levels. */
  readonly levelKeys: string[];
  /** What each level is, keyed as `levels`. */
  readonly variants: Record<string, PopulationVariant>;
  /** Paired or independent levels (and the pairing ids), for the audit's statistics. */
  readonly design: PopulationDesign;
  /** Baseline seeds, one per model index (empty when unknown, e.g. loaded without a manifest). */
  readonly seeds: number[];
  /** Model names per level (directory names when saved/loaded), parallel to `levels`. */
  readonly modelNames: Record<string, string[]>;
  /** Achieved sparsity of the prunable weights of each model, parallel to `levels` (every level). */
  readonly measuredSparsity: Record<string, number[]>;
  /** The trained, not pruned or fine-tuned, baselines (only with `keepBaselines`). */
  readonly baselines?: tf.LayersModel[];
}

/**
 * Releases every model of a population (and its baselines).
 *
 * @example
 * const pop = await buildPopulation({ ... });
 * // ... evaluate ...
 * disposePopulation(pop);
 */
export function disposePopulation(population: Population): void {
  for (const models of Object.values(population.levels)) for (const m of models) m.dispose();
  for (const m of population.baselines ?? []) m.dispose();
}
