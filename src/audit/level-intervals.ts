import { classRecallFamily, type ClassRecallIntervals } from '../analysis/bootstrap-class-recall-intervals.js';
import { errorRateFamily, type GroupErrorRateIntervals } from '../analysis/bootstrap-error-rate-intervals.js';
import { BootstrapMemo } from '../analysis/bootstrap-memo.js';
import { overIndexFamily } from '../analysis/bootstrap-over-index-intervals.js';
import { pieRateFamily } from '../analysis/bootstrap-pie-rate-interval.js';
import {
  bootstrapFamilies,
  bootstrapSettings,
  type BootstrapFamily,
  type BootstrapInterval,
  type BootstrapOptions,
} from '../analysis/bootstrap-resample.js';
import { top1Family, type Top1Intervals } from '../analysis/bootstrap-top1-intervals.js';
import { assertMinSamples } from '../analysis/validate-population.js';
import { assertShares } from '../analysis/validate-shares.js';
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
  /** Per-resample sums every level shares (group sizes, the baseline's expected errors), kept after the first level. */
  memo: BootstrapMemo;
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
  bootstrap: BootstrapOptions = {},
): BaselineShares {
  return {
    correct: labels ? shareCorrect(labels, predictions) : null,
    positive: positiveClass === null ? null : sharePredicting(predictions, positiveClass),
    memo: new BootstrapMemo(bootstrapSettings(bootstrap).resamples),
  };
}

/**
 * With `models` holding at least 3 models per population, every interval comes from the two-level bootstrap (models,
 * then examples; {@link twoLevelLevelIntervals}). Otherwise it bootstraps every estimate of one compressed level over
 * the test examples in one pass: each resample's weights are drawn once and shared by every estimate family (top-1
 * and its drop, PIE rate, class recall changes, over-index ratios, each group's FPR/FNR, change and gap). The same
 * seed, hence the same resamples, serve every level, and sums that do not depend on the level are kept in
 * `baseline.memo` after the first level; the intervals are exactly those of bootstrapping each family on its own.
 * @internal
 * @example
 * const intervals = levelIntervals(input, { resamples: 1000, confidence: 0.95, seed: 0 });
 */
export function levelIntervals(input: LevelIntervalsInput, options: BootstrapOptions): LevelIntervals {
  if (input.models) {
    const twoLevel = twoLevelLevelIntervals({ ...input, memo: input.baseline.memo }, input.models, options, valueKey);
    if (twoLevel) return twoLevel;
  }
  const { labels, baseline } = input;
  const n = input.isPIE.length;
  assertMinSamples(n, 1, 'isPIE', 'examples');
  const share = labels ? shareCorrect(labels, input.predictions) : null;
  const top1 = share && baseline.correct ? checkedTop1(baseline.correct, share) : null;
  const classes = share && baseline.correct && labels ? classRecallFamily(labels, baseline.correct, share, input.nClasses) : null;
  const overIndex = input.attributes.length > 0 ? overIndexFamily(input.isPIE, input.attributes, baseline.memo) : null;
  const errorRates =
    labels && input.positiveClass !== null && baseline.positive
      ? errorRateFamily(
          {
            labels,
            groups: input.attributes,
            baselineSharePositive: baseline.positive,
            compressedSharePositive: sharePredicting(input.predictions, input.positiveClass),
            positiveClass: input.positiveClass,
          },
          baseline.memo,
        )
      : null;
  const pieRate = pieRateFamily(input.isPIE);
  const families: BootstrapFamily<unknown>[] = [pieRate];
  for (const f of [top1, classes, overIndex, errorRates]) if (f) families.push(f as BootstrapFamily<unknown>);
  const slices = bootstrapFamilies(n, options, families);
  let next = 1;
  const take = <T>(f: BootstrapFamily<T> | null): T | null => (f ? f.finish(slices[next++]) : null);
  const top1Intervals = take(top1);
  const classIntervals = take(classes);
  const overIndexMap = new Map<string, BootstrapInterval>();
  for (const row of take(overIndex) ?? []) overIndexMap.set(valueKey(row.attribute, row.value), row.overIndexRatio);
  const errorRateMap = new Map<string, GroupErrorRateIntervals>();
  (take(errorRates) ?? []).forEach((rows, a) => {
    for (const row of rows) errorRateMap.set(valueKey(input.attributes[a].name, row.group), row);
  });
  return {
    shareCorrect: share,
    top1: top1Intervals,
    pieRate: pieRate.finish(slices[0]),
    classes: classIntervals,
    overIndex: overIndexMap,
    errorRates: errorRateMap,
    source: intervalSource(
      input.models?.baseline.length ?? 0,
      input.predictions.length,
      input.models?.paired ?? false,
      options.resamples ?? 1000,
    ),
  };
}

/** The top-1 family after checking both share arrays. */
function checkedTop1(baselineCorrect: Float64Array, compressedCorrect: Float64Array): BootstrapFamily<Top1Intervals> {
  assertShares(baselineCorrect, baselineCorrect.length, 'baselineShareCorrect', 'baselineShareCorrect');
  assertShares(compressedCorrect, baselineCorrect.length, 'compressedShareCorrect', 'baselineShareCorrect');
  return top1Family(baselineCorrect, compressedCorrect);
}
