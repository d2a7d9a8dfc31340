/**
 * How the models of a population's levels relate, which decides which tests are exact:
 *
 * - `paired` (regime `fineTune`): every level's model i was pruned from the same trained baseline and
 *   fine-tuned with the same batch order; `pairIds[level][i]` names that baseline, equal ids are one
 *   pair. Levels are correlated samples: Welch's two-sample test ignores the pairing and is conservative;
 *   a paired or seed-permutation test uses it.
 * - `independent` (regime `fromScratch`, as Hooker et al.): every (seed, level) model was trained from
 *   its own initialisation (`initSeeds[level][i]`); levels are independent samples.
 * - `unknown`: loaded from a directory without a manifest saying how it was built.
 */
export type PopulationDesign =
  | { readonly kind: 'paired'; readonly regime: 'fineTune'; readonly pairIds: Readonly<Record<string, readonly string[]>> }
  | { readonly kind: 'independent'; readonly regime: 'fromScratch'; readonly initSeeds: Readonly<Record<string, readonly number[]>> }
  | { readonly kind: 'unknown' };

/** Quantized levels, named as in reports. */
export type QuantizedLevelName = 'float16' | 'int8-dynamic' | 'int8-full';

/**
 * What one level of a population is: magnitude pruning at a sparsity (key `'0.9'`), the random-pruning
 * control at the same sparsity (key `'random@0.9'`), or a quantized copy of the baseline level (key
 * `'int8-full'`) with the bytes its weights take stored that way (int8: 1 per weight plus 4 per scale).
 */
export type PopulationVariant =
  | { readonly kind: 'magnitude'; readonly sparsity: number }
  | { readonly kind: 'random'; readonly sparsity: number }
  | { readonly kind: 'quantized'; readonly mode: QuantizedLevelName; readonly storedBytes: readonly number[] };

/**
 * Key of the random-pruning control level for a sparsity.
 *
 * @example
 * randomControlKey(0.9); // 'random@0.9'
 */
export function randomControlKey(sparsity: number): string {
  return `random@${String(sparsity)}`;
}
