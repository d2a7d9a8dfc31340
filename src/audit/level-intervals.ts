import { bootstrapClassRecallIntervals, type ClassRecallIntervals } from '../analysis/bootstrap-class-recall-intervals.js';
import { bootstrapErrorRateIntervals, type GroupErrorRateIntervals } from '../analysis/bootstrap-error-rate-intervals.js';
import { bootstrapOverIndexIntervals } from '../analysis/bootstrap-over-index-intervals.js';
import { bootstrapPieRateInterval } from '../analysis/bootstrap-pie-rate-interval.js';
import type { BootstrapInterval, BootstrapOptions } from '../analysis/bootstrap-resample.js';
import { bootstrapTop1Intervals, type Top1Intervals } from '../analysis/bootstrap-top1-intervals.js';
import { shareCorrect } from '../analysis/share-correct.js';
import { sharePredicting } from '../analysis/share-predicting.js';
import type { GroupValue } from '../analysis/subgroup-error-rates.js';
import type { ConfidenceInterval, LevelIntervalSource } from '../schema/index.js';
import { intervalSource, twoLevelLevelIntervals, type TwoLevelModels } from './two-level-level-intervals.js';

/** The per-example aggregates of the baseline population every level's intervals share. @internal */
export interface BaselineShares {
  /** Share of baseline models correct per example; `null` without labels. */
  correct: Float64Array | null;
  /** Share of baseline models predicting the positive class per example; `null` without a positive class. */
  positive: Float64Array | null;
}

/** Everything bootstrapped for one compressed level. @internal */
export interface LevelIntervals {
  /** Per example, the share of this level's models correct; `null` without labels. */
  shareCorrect: Float64Array | null;
  top1: Top1Intervals | null;
  pieRate: BootstrapInterval;
  classes: ClassRecallIntervals[] | null;
  /** Over-index ratio per `attribute\0value`. */
  overIndex: Map<string, BootstrapInterval>;
  /** FPR/FNR intervals per `attribute\0value`. */
  errorRates: Map<string, GroupErrorRateIntervals>;
  /** What the intervals cover: models and examples (two-level bootstrap) or examples only. */
  source: LevelIntervalSource;
}

/** Inputs of {@link levelIntervals}. @internal */
export interface LevelIntervalsInput {
  labels: ArrayLike<number> | null;
  nClasses: number;
  isPIE: Uint8Array;
  predictions: readonly Uint16Array[];
  baseline: BaselineShares;
  attributes: Array<{ name: string; values: ArrayLike<GroupValue | null> }>;
  /** Positive class of the subgroup rates, `null` when they are not measured. */
  positiveClass: number | null;
  /** Both populations, for the two-level bootstrap; without them (or with too few models) examples only. */
  models?: TwoLevelModels;
}

/**
 * A report interval from a bootstrap interval: `null` when off, undefined or not finite.
 * @internal
 * @example
 * toCi({ estimate: 0.5, ci: [0.4, 0.6], undefinedResamples: 0 }); // [0.4, 0.6]
 */
export function toCi(interval: BootstrapInterval | undefined): ConfidenceInterval {
  const ci = interval?.ci;
  return ci && Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? [ci[0], ci[1]] : null;
}

/** Key of one attribute value in the interval maps. @internal */
export const valueKey = (attribute: string, value: GroupValue | string): string => `${attribute}\u0000${String(value)}`;

/**
 * The baseline's per-example aggregates, computed once per audit.
 * @internal
 * @example
 * baselineShares(labels, baselinePredictions, 1).correct; // Float64Array of shares in [0, 1]
 */
export function baselineShares(
  labels: ArrayLike<number> | null,
  predictions: readonly Uint16Array[],
  positiveClass: number | null,
): BaselineShares {
  return {
    correct: labels ? shareCorrect(labels, predictions) : null,
    positive: positiveClass === null ? null : sharePredicting(predictions, positiveClass),
  };
}

/**
 * With `models` holding at least 3 models per population, every interval comes from the two-level bootstrap (models,
 * then examples; {@link twoLevelLevelIntervals}). Otherwise it bootstraps every estimate of one compressed level over the test examples (the same seed, hence the same
 * resamples, for every estimate and level): top-1 and its drop, PIE rate, class recall changes, over-index ratios,
 * and each group's FPR/FNR, change and gap. Costs resamples x examples per estimate family, whatever the model count.
 * @internal
 * @example
 * const intervals = levelIntervals(input, { resamples: 1000, confidence: 0.95, seed: 0 });
 */
export function levelIntervals(input: LevelIntervalsInput, options: BootstrapOptions): LevelIntervals {
  if (input.models) {
    const twoLevel = twoLevelLevelIntervals(input, input.models, options, valueKey);
    if (twoLevel) return twoLevel;
  }
  const { labels, baseline } = input;
  const share = labels ? shareCorrect(labels, input.predictions) : null;
  const top1 = share && baseline.correct ? bootstrapTop1Intervals(baseline.correct, share, options) : null;
  const classes =
    share && baseline.correct && labels ? bootstrapClassRecallIntervals(labels, baseline.correct, share, input.nClasses, options) : null;
  const overIndex = new Map<string, BootstrapInterval>();
  if (input.attributes.length > 0) {
    const record: Record<string, ArrayLike<GroupValue | null>> = Object.create(null);
    for (const a of input.attributes) record[a.name] = a.values;
    for (const row of bootstrapOverIndexIntervals(input.isPIE, record, options))
      overIndex.set(valueKey(row.attribute, row.value), row.overIndexRatio);
  }
  const errorRates = new Map<string, GroupErrorRateIntervals>();
  if (labels && input.positiveClass !== null && baseline.positive) {
    const compressedPositive = sharePredicting(input.predictions, input.positiveClass);
    for (const a of input.attributes) {
      const rows = bootstrapErrorRateIntervals(
        {
          labels,
          groups: a.values,
          baselineSharePositive: baseline.positive,
          compressedSharePositive: compressedPositive,
          positiveClass: input.positiveClass,
        },
        options,
      );
      for (const row of rows) errorRates.set(valueKey(a.name, row.group), row);
    }
  }
  const source = intervalSource(
    input.models?.baseline.length ?? 0,
    input.predictions.length,
    input.models?.paired ?? false,
    options.resamples ?? 1000,
  );
  return { shareCorrect: share, top1, pieRate: bootstrapPieRateInterval(input.isPIE, options), classes, overIndex, errorRates, source };
}
