import { pieNoiseFloor } from '../analysis/pie-noise-floor.js';
import type { PieNoiseFloorSummary } from '../schema/index.js';
import type { NormalizedAudit } from './validate-audit-options.js';

/**
 * The seed-noise floor of one level's PIE count in the population's design, as the report holds it. Under the
 * paired design the models are paired by member id (by position when the population has no ids).
 * @internal
 * @example
 * levelNoiseFloor(config, '0.9', baselinePredictions, predictions, 10).excess; // PIEs beyond re-splitting
 */
export function levelNoiseFloor(
  config: NormalizedAudit,
  levelKey: string,
  baseline: readonly Uint16Array[],
  compressed: readonly Uint16Array[],
  nClasses: number,
): PieNoiseFloorSummary {
  const { design, memberIds } = config.design;
  const baselineIds = memberIds[config.baseline];
  const compressedIds = memberIds[levelKey];
  const withIds = design === 'paired' && baselineIds.every((id) => id !== null) && compressedIds.every((id) => id !== null);
  const floor = pieNoiseFloor(baseline, compressed, {
    design,
    ...(withIds ? { baselineIds: baselineIds as string[], compressedIds: compressedIds as string[] } : {}),
    maxExactSplits: config.noiseFloor.maxExactSplits,
    draws: config.noiseFloor.draws,
    seed: config.noiseFloor.seed,
    alpha: config.alpha,
    tieBreak: config.tieBreak,
    nClasses,
  });
  return {
    status: floor.status,
    design: floor.design,
    method: floor.method,
    splits: floor.splits,
    observed: floor.observed,
    nullMedian: floor.nullMedian,
    nullP95: floor.nullP95,
    excess: floor.excess,
    excessRate: floor.excessRate,
    p: floor.p,
    minAchievableP: floor.minAchievableP,
    significant: floor.significant,
    nullDistribution: floor.nullDistribution,
    reason: floor.reason,
  };
}
