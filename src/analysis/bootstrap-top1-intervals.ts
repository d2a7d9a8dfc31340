import {
  runBootstrapFamily,
  type BootstrapFamily,
  type BootstrapInterval,
  type BootstrapOptions,
  type WeightedStatistics,
} from './bootstrap-resample.js';
import { assertMinSamples } from './validate-population.js';
import { assertShares } from './validate-shares.js';

/** Result of {@link bootstrapTop1Intervals}. */
export interface Top1Intervals {
  /** Mean top-1 accuracy of the baseline population. */
  baseline: BootstrapInterval;
  /** Mean top-1 accuracy of the compressed population. */
  compressed: BootstrapInterval;
  /** `baseline - compressed`: the drop in mean top-1 (positive: compression lost accuracy). */
  drop: BootstrapInterval;
}

/**
 * Mean top-1 accuracy of a baseline and a compressed population and the drop between them, with percentile
 * bootstrap intervals over the test examples (both sides resampled with the same examples). Mean top-1 over models
 * is the mean over examples of the share of models correct, so each resample costs O(examples).
 *
 * @param baselineShareCorrect - per example, the share of baseline models correct ({@link shareCorrect})
 * @param compressedShareCorrect - the same for the compressed population
 * @throws PieAuditError `LENGTH_MISMATCH`, `NON_FINITE`, `INVALID_ARGUMENT`, `INSUFFICIENT_SAMPLES` (no examples)
 * @example
 * const top1 = bootstrapTop1Intervals(shareCorrect(labels, baseline), shareCorrect(labels, compressed), { seed: 1 });
 * top1.drop.ci; // e.g. [0.008, 0.021]
 */
export function bootstrapTop1Intervals(
  baselineShareCorrect: ArrayLike<number>,
  compressedShareCorrect: ArrayLike<number>,
  options: BootstrapOptions = {},
): Top1Intervals {
  const n = baselineShareCorrect.length;
  assertMinSamples(n, 1, 'baselineShareCorrect', 'examples');
  assertShares(baselineShareCorrect, n, 'baselineShareCorrect', 'baselineShareCorrect');
  assertShares(compressedShareCorrect, n, 'compressedShareCorrect', 'baselineShareCorrect');
  return runBootstrapFamily(n, options, top1Family(baselineShareCorrect, compressedShareCorrect));
}

/**
 * The top-1 intervals as one bootstrap family (inputs validated by the caller).
 * @internal
 * @example
 * bootstrapFamilies(n, options, [top1Family(b, k)]);
 */
export function top1Family(
  baselineShareCorrect: ArrayLike<number>,
  compressedShareCorrect: ArrayLike<number>,
): BootstrapFamily<Top1Intervals> {
  const n = baselineShareCorrect.length;
  const statistics: WeightedStatistics = (w, out) => {
    let total = 0;
    let b = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      total += wi;
      b += wi * baselineShareCorrect[i];
      k += wi * compressedShareCorrect[i];
    }
    out[0] = b / total;
    out[1] = k / total;
    out[2] = (b - k) / total;
  };
  return { nStatistics: 3, statistics, finish: ([baseline, compressed, drop]) => ({ baseline, compressed, drop }) };
}
