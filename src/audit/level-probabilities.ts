import { meanProbabilities } from '../analysis/mean-probabilities.js';
import { taxicabDistances } from '../analysis/taxicab-distances.js';
import { topExemplarsByDistance } from '../analysis/top-exemplars.js';
import { topKAccuracy } from '../analysis/top-k-accuracy.js';
import type { Section, TaxicabSummary, TopKAccuracySummary } from '../schema/index.js';

/** Every model's probability rows of one level, and the class count. @internal */
export interface LevelProbabilities {
  rows: readonly Float32Array[];
  nClasses: number;
}

const off = { status: 'unavailable' as const, reason: 'class probabilities were not kept (set probabilities: true)' };

/**
 * Top-5 accuracy of every model of a level (k capped at the class count).
 * @internal
 * @example
 * topKSection(labels, probabilities).status; // 'ok'
 */
export function topKSection(labels: ArrayLike<number> | null, probabilities: LevelProbabilities | null): Section<TopKAccuracySummary> {
  if (!probabilities) return off;
  if (!labels) return { status: 'unavailable', reason: 'no labels were given, so top-5 accuracy cannot be measured' };
  const k = Math.min(5, probabilities.nClasses);
  const perModel = probabilities.rows.map((p) => topKAccuracy(labels, p, probabilities.nClasses, k));
  return { status: 'ok', k, perModel, mean: perModel.reduce((a, b) => a + b, 0) / perModel.length };
}

/**
 * The taxicab (L1) distance between the baseline's and the level's mean probability vectors per example, the share
 * of PIEs among the top-N examples by it (N = the PIE count) and the first `maxExemplars` of them.
 * @internal
 * @example
 * taxicabSection(baselineProbabilities, levelProbabilities, isPIE, 12).status; // 'ok'
 */
export function taxicabSection(
  baseline: LevelProbabilities | null,
  compressed: LevelProbabilities | null,
  isPIE: Uint8Array,
  maxExemplars: number,
): Section<TaxicabSummary> {
  if (!baseline || !compressed) return off;
  const nClasses = baseline.nClasses;
  const distances = taxicabDistances(meanProbabilities(baseline.rows, nClasses), meanProbabilities(compressed.rows, nClasses), nClasses);
  let nPies = 0;
  let total = 0;
  for (let i = 0; i < distances.length; i++) {
    nPies += isPIE[i];
    total += distances[i];
  }
  const top = topExemplarsByDistance(distances, isPIE, Math.max(1, nPies));
  return {
    status: 'ok',
    meanDistance: total / distances.length,
    topN: top.indices.length,
    nPIEsInTopN: top.nPIEs,
    pieShareInTopN: top.pieShare,
    top: Array.from(top.indices.subarray(0, maxExemplars), (index, j) => ({
      index,
      distance: top.distances[j],
      isPIE: isPIE[index] === 1,
    })),
  };
}
