import {
  runBootstrapFamily,
  type BootstrapFamily,
  type BootstrapInterval,
  type BootstrapOptions,
  type WeightedStatistics,
} from './bootstrap-resample.js';
import { assertClassCount, assertLabels } from './validate-labels.js';
import { assertMinSamples } from './validate-population.js';
import { assertShares } from './validate-shares.js';

/** One class's recall intervals (fractions: multiply by 100 for percentage points). */
export interface ClassRecallIntervals {
  classIndex: number;
  /** Test examples of the class. */
  support: number;
  /** Mean raw recall over the baseline models. */
  baselineRecall: BootstrapInterval;
  /** Mean raw recall over the compressed models. */
  compressedRecall: BootstrapInterval;
  /** `compressedRecall - baselineRecall`. */
  rawChange: BootstrapInterval;
  /** `rawChange - (compressed mean top-1 - baseline mean top-1)`: {@link classImpactTest}'s `normalizedRecallChange`. */
  normalizedChange: BootstrapInterval;
}

/**
 * Each class's mean raw recall per population, its raw change and its change beyond the change in mean top-1
 * (the normalized difference of {@link classImpactTest}), with percentile bootstrap intervals over the test
 * examples: one resample draws examples with replacement and every estimate (class recalls and the top-1
 * normalizers alike) is recomputed on it. A class with no examples has `estimate: null`; resamples that draw no
 * example of a class are left out of its interval and counted in `undefinedResamples`.
 *
 * @param labels - true class of each example
 * @param baselineShareCorrect - per example, the share of baseline models correct ({@link shareCorrect})
 * @param compressedShareCorrect - the same for the compressed population
 * @throws PieAuditError `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INVALID_ARGUMENT`, `INSUFFICIENT_SAMPLES`
 * @example
 * const rows = bootstrapClassRecallIntervals(labels, shareCorrect(labels, b), shareCorrect(labels, k), 10, { seed: 1 });
 * rows[8].normalizedChange.ci; // e.g. [-0.12, -0.03]: class 8 lost 3-12 pp beyond the top-1 change
 */
export function bootstrapClassRecallIntervals(
  labels: ArrayLike<number>,
  baselineShareCorrect: ArrayLike<number>,
  compressedShareCorrect: ArrayLike<number>,
  nClasses: number,
  options: BootstrapOptions = {},
): ClassRecallIntervals[] {
  assertClassCount(nClasses, 'nClasses');
  const n = labels.length;
  assertMinSamples(n, 1, 'labels', 'examples');
  assertLabels(labels, nClasses, 'labels');
  assertShares(baselineShareCorrect, n, 'baselineShareCorrect', 'labels');
  assertShares(compressedShareCorrect, n, 'compressedShareCorrect', 'labels');
  return runBootstrapFamily(n, options, classRecallFamily(labels, baselineShareCorrect, compressedShareCorrect, nClasses));
}

/**
 * The class recall intervals as one bootstrap family (inputs validated by the caller).
 * @internal
 * @example
 * bootstrapFamilies(n, options, [classRecallFamily(labels, b, k, 10)]);
 */
export function classRecallFamily(
  labels: ArrayLike<number>,
  baselineShareCorrect: ArrayLike<number>,
  compressedShareCorrect: ArrayLike<number>,
  nClasses: number,
): BootstrapFamily<ClassRecallIntervals[]> {
  const n = labels.length;
  const support = new Array<number>(nClasses).fill(0);
  for (let i = 0; i < n; i++) support[labels[i]]++;
  const sums = new Float64Array(3 * nClasses);
  const statistics: WeightedStatistics = (w, out) => {
    sums.fill(0);
    let total = 0;
    let b = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const c = 3 * labels[i];
      const wb = wi * baselineShareCorrect[i];
      const wk = wi * compressedShareCorrect[i];
      sums[c] += wi;
      sums[c + 1] += wb;
      sums[c + 2] += wk;
      total += wi;
      b += wb;
      k += wk;
    }
    const top1Change = (k - b) / total;
    for (let c = 0; c < nClasses; c++) {
      const nc = sums[3 * c];
      // 0 / 0 is NaN: the class was not drawn, so its recall is undefined in this resample.
      const recallB = sums[3 * c + 1] / nc;
      const recallK = sums[3 * c + 2] / nc;
      out[4 * c] = recallB;
      out[4 * c + 1] = recallK;
      out[4 * c + 2] = recallK - recallB;
      out[4 * c + 3] = recallK - recallB - top1Change;
    }
  };
  const finish = (intervals: BootstrapInterval[]): ClassRecallIntervals[] =>
    support.map((s, c) => ({
      classIndex: c,
      support: s,
      baselineRecall: intervals[4 * c],
      compressedRecall: intervals[4 * c + 1],
      rawChange: intervals[4 * c + 2],
      normalizedChange: intervals[4 * c + 3],
    }));
  return { nStatistics: 4 * nClasses, statistics, finish };
}
