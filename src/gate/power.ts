import type { LevelReport } from '../schema/index.js';

/** Fewer models than this in a population leaves the class tests and the noise floor with little power. */
export const MIN_POWERED_MODELS = 5;
/**
 * Why a compressed level's significance-based verdicts lack power, or `null` when they do not: fewer than
 * {@link MIN_POWERED_MODELS} models in either population.
 * @internal
 * @example
 * underpoweredReason(baselineLevel, level); // "level '0.9' has 4 models and the baseline 4: fewer than 5 ..."
 */
export function underpoweredReason(baseline: LevelReport, level: LevelReport): string | null {
  if (baseline.populationSize >= MIN_POWERED_MODELS && level.populationSize >= MIN_POWERED_MODELS) return null;
  return (
    `level '${level.key}' has ${level.populationSize} models and the baseline ${baseline.populationSize}: fewer than ` +
    `${MIN_POWERED_MODELS} per population leave the class tests and the noise floor little power, so "not significant" is weak ` +
    `evidence of no harm`
  );
}
