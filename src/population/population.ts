import type * as tf from '@tensorflow/tfjs';

/**
 * Populations of models keyed by sparsity level: `levels['0.9'][i]` is the i-th model pruned to 90%.
 * Models at the same index across levels derive from the same baseline (same seed) when built by
 * `buildPopulation`.
 */
export interface Population {
  /** Models per level; keys are `String(level)` ('0', '0.3', '0.99'). */
  readonly levels: Record<string, tf.LayersModel[]>;
  /** The sparsity levels, ascending, matching the keys of `levels`. */
  readonly sparsityLevels: number[];
  /** Baseline seeds, one per model index (empty when unknown, e.g. loaded without a manifest). */
  readonly seeds: number[];
  /** Model names per level (directory names when saved/loaded), parallel to `levels`. */
  readonly modelNames: Record<string, string[]>;
  /** Achieved sparsity of the prunable weights of each model, parallel to `levels`. */
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
