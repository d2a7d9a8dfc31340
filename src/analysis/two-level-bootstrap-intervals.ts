import type { ClassRecallIntervals } from './bootstrap-class-recall-intervals.js';
import type { GroupErrorRateIntervals, RateIntervals } from './bootstrap-error-rate-intervals.js';
import type { OverIndexInterval } from './bootstrap-over-index-intervals.js';
import type { BootstrapMemo } from './bootstrap-memo.js';
import { bootstrapSettings, type BootstrapInterval, type BootstrapOptions } from './bootstrap-resample.js';
import type { Top1Intervals } from './bootstrap-top1-intervals.js';
import type { ModalTieBreak } from './modal-labels.js';
import type { GroupValue } from './subgroup-error-rates.js';
import { twoLevelResample } from './two-level-bootstrap.js';
import { levelStatistics, RATE_STATS, statisticsLayout, type StatisticsLayout } from './two-level-statistics.js';

/** Inputs of {@link twoLevelIntervals}: both populations' predictions and what the estimates need. */
export interface TwoLevelIntervalsInput {
  /** True class per example, `null` without labels (then only the PIE rate and over-index ratios). */
  labels: ArrayLike<number> | null;
  nClasses: number;
  /** One predicted label per example per model. */
  baseline: readonly Uint16Array[];
  compressed: readonly Uint16Array[];
  /** Compressed model i was made from baseline model i: resample pairs (see {@link TwoLevelDesign}). */
  paired: boolean;
  tieBreak: ModalTieBreak;
  /** Group attributes (`null` = not recorded) for over-index ratios and FPR/FNR. */
  attributes: Array<{ name: string; values: ArrayLike<GroupValue | null> }>;
  /** Positive class of FPR/FNR; `null` leaves them out. */
  positiveClass: number | null;
  /**
   * Where one audit keeps per-resample sums that are the same at every level (the baseline's), so the next levels
   * do not redo them; only for inputs that share labels, attributes, positive class, tie rule and baseline.
   */
  memo?: BootstrapMemo;
}

/** Every interval of one compressed level, over models and examples. */
export interface TwoLevelIntervals {
  top1: Top1Intervals | null;
  pieRate: BootstrapInterval;
  classes: ClassRecallIntervals[] | null;
  overIndex: OverIndexInterval[];
  /** FPR/FNR rows per attribute (empty without a positive class). */
  errorRates: Array<{ attribute: string; rows: GroupErrorRateIntervals[] }>;
}

/**
 * Every interval the audit reports for one compressed level (mean top-1 and its drop, each class's recall change,
 * the PIE rate, each attribute value's over-index ratio, each group's FPR/FNR change and gap), from the two-level
 * bootstrap {@link twoLevelResample}: models resampled within each population, then examples. The estimates are
 * those of the examples-only functions (e.g. {@link bootstrapTop1Intervals}); only the intervals differ: they cover
 * what retraining the populations would give, not only another draw of test examples. PIE flags are recomputed
 * from the resampled populations' modal labels.
 *
 * A resample only revisits the examples where some models disagree (elsewhere no model weighting changes a modal
 * label or share), and sums every attribute in one pass over the examples.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (fewer than 3 models per population, options)
 * @example
 * const intervals = twoLevelIntervals({ labels, nClasses: 10, baseline, compressed, paired: true, tieBreak: 'max',
 *   attributes: [], positiveClass: null }, { seed: 0 });
 * intervals.top1?.drop.ci; // e.g. [0.004, 0.031]: wider than the examples-only interval
 */
export function twoLevelIntervals(input: TwoLevelIntervalsInput, options: BootstrapOptions): TwoLevelIntervals {
  const { baseline, compressed } = input;
  const layout = statisticsLayout(input);
  const design = {
    nExamples: baseline[0].length,
    baselineModels: baseline.length,
    compressedModels: compressed.length,
    paired: input.paired,
  };
  const { seed, resamples } = bootstrapSettings(options);
  // The baseline's sums repeat at a level whose resamples draw the same stream: same seed, counts and pairing.
  const key = `two-level baseline ${seed} ${resamples} ${JSON.stringify(design)} ${layout.size}`;
  const memo = input.memo ? { memo: input.memo, key } : undefined;
  const intervals = twoLevelResample(design, layout.size, options, levelStatistics(input, layout, memo));
  return assemble(input, layout, intervals);
}

/** The intervals in the result's shape. */
function assemble(input: TwoLevelIntervalsInput, layout: StatisticsLayout, intervals: BootstrapInterval[]): TwoLevelIntervals {
  const { labels } = input;
  const n = input.baseline[0].length;
  // The stretched model part can carry an endpoint past what the statistic can take (a rate below 0): clip to its
  // range, by slot: rates and recalls [0, 1], changes and gaps [-1, 1], over-index ratios [0, inf).
  const range = (s: number): [number, number] => {
    if (s < layout.pieAt) return s === 2 || (s >= 3 && (s - 3) % 4 >= 2) ? [-1, 1] : [0, 1];
    if (s === layout.pieAt) return [0, 1];
    if (layout.rateOffset.length > 0 && s >= layout.rateOffset[0]) return (s - layout.rateOffset[0]) % 5 < 2 ? [0, 1] : [-1, 1];
    return [0, Infinity];
  };
  const at = (s: number): BootstrapInterval => {
    const ci = intervals[s].ci;
    if (!ci) return intervals[s];
    const [low, high] = range(s);
    return { ...intervals[s], ci: [Math.min(Math.max(ci[0], low), high), Math.min(Math.max(ci[1], low), high)] };
  };
  const classes: ClassRecallIntervals[] | null = labels
    ? Array.from({ length: layout.classes }, (_, c) => {
        let support = 0;
        for (let i = 0; i < n; i++) if (labels[i] === c) support++;
        return {
          classIndex: c,
          support,
          baselineRecall: at(3 + 4 * c),
          compressedRecall: at(3 + 4 * c + 1),
          rawChange: at(3 + 4 * c + 2),
          normalizedChange: at(3 + 4 * c + 3),
        };
      })
    : null;
  const overIndex: OverIndexInterval[] = [];
  const errorRates: TwoLevelIntervals['errorRates'] = [];
  layout.indices.forEach((index, a) => {
    const attribute = input.attributes[a].name;
    index.values.forEach((value, g) => overIndex.push({ attribute, value, overIndexRatio: at(layout.overOffset[a] + g) }));
    if (layout.positive === null) return;
    const rows = index.values.map((group, g): GroupErrorRateIntervals => {
      const o = layout.rateOffset[a] + g * RATE_STATS;
      const rate = (r: number): RateIntervals => ({
        baseline: at(o + r),
        compressed: at(o + r + 1),
        change: at(o + r + 2),
        restChange: at(o + r + 3),
        gap: at(o + r + 4),
      });
      let size = 0;
      for (let i = 0; i < n; i++) if (index.codes[i] === g) size++;
      return { group, n: size, fpr: rate(0), fnr: rate(5) };
    });
    errorRates.push({ attribute, rows });
  });
  return {
    top1: labels ? { baseline: at(0), compressed: at(1), drop: at(2) } : null,
    pieRate: at(layout.pieAt),
    classes,
    overIndex,
    errorRates,
  };
}
