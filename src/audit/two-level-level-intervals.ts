import type { BootstrapMemo } from '../analysis/bootstrap-memo.js';
import type { BootstrapOptions } from '../analysis/bootstrap-resample.js';
import type { GroupErrorRateIntervals } from '../analysis/bootstrap-error-rate-intervals.js';
import type { ModalTieBreak } from '../analysis/modal-labels.js';
import { MIN_TWO_LEVEL_MODELS } from '../analysis/two-level-bootstrap.js';
import { twoLevelIntervals } from '../analysis/two-level-bootstrap-intervals.js';
import { shareCorrect } from '../analysis/share-correct.js';
import type { BootstrapInterval } from '../analysis/bootstrap-resample.js';
import type { LevelIntervalSource } from '../schema/index.js';
import type { ClassRecallIntervals } from '../analysis/bootstrap-class-recall-intervals.js';
import type { Top1Intervals } from '../analysis/bootstrap-top1-intervals.js';
import type { GroupValue } from '../analysis/subgroup-error-rates.js';
import type { NormalizedAudit } from './validate-audit-options.js';

/** What {@link twoLevelLevelIntervals} reads of a level (a subset of `LevelIntervalsInput`). @internal */
export interface TwoLevelLevelInput {
  labels: ArrayLike<number> | null;
  nClasses: number;
  predictions: readonly Uint16Array[];
  attributes: Array<{ name: string; values: ArrayLike<GroupValue | null> }>;
  positiveClass: number | null;
  /** The audit's memo of per-resample sums every level shares. */
  memo?: BootstrapMemo;
}

/** The intervals of one level in the shape `levelIntervals` returns (`LevelIntervals`). @internal */
export interface TwoLevelLevelIntervals {
  shareCorrect: Float64Array | null;
  top1: Top1Intervals | null;
  pieRate: BootstrapInterval;
  classes: ClassRecallIntervals[] | null;
  overIndex: Map<string, BootstrapInterval>;
  errorRates: Map<string, GroupErrorRateIntervals>;
  source: LevelIntervalSource;
}

/** The populations a two-level bootstrap resamples, compressed models in their baseline partners' order when paired. @internal */
export interface TwoLevelModels {
  baseline: readonly Uint16Array[];
  compressed: readonly Uint16Array[];
  paired: boolean;
  tieBreak: ModalTieBreak;
}

/** Lexicographic order of two prediction arrays. */
function comparePredictionArrays(a: Uint16Array, b: Uint16Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The two populations of one level for the two-level bootstrap, in a canonical order (by their predictions), so the
 * order models were given in does not change a resample. Under the paired design the compressed models are matched to
 * their baseline partners (by member id; by position without ids) and the pairs are ordered, so a resample draws
 * whole pairs.
 * @internal
 * @example
 * twoLevelModels(config, '0.9', baselinePredictions, predictions).paired; // true for a buildPopulation population
 */
export function twoLevelModels(
  config: NormalizedAudit,
  levelKey: string,
  baseline: readonly Uint16Array[],
  compressed: readonly Uint16Array[],
): TwoLevelModels {
  const tieBreak = config.tieBreak;
  const sorted = (models: readonly Uint16Array[]) => [...models].sort(comparePredictionArrays);
  if (config.design.design !== 'paired' || baseline.length !== compressed.length) {
    return { baseline: sorted(baseline), compressed: sorted(compressed), paired: false, tieBreak };
  }
  const baselineIds = config.design.memberIds[config.baseline] ?? [];
  const compressedIds = config.design.memberIds[levelKey] ?? [];
  let partners = compressed;
  if (baselineIds.every((id) => id !== null) && compressedIds.every((id) => id !== null) && compressedIds.length === compressed.length) {
    const at = new Map(compressedIds.map((id, i) => [id, i]));
    const order = baselineIds.map((id) => at.get(id));
    if (order.every((i) => i !== undefined)) partners = order.map((i) => compressed[i!]);
  }
  const pairs = baseline
    .map((b, i) => [b, partners[i]] as const)
    .sort((x, y) => comparePredictionArrays(x[0], y[0]) || comparePredictionArrays(x[1], y[1]));
  return { baseline: pairs.map((p) => p[0]), compressed: pairs.map((p) => p[1]), paired: true, tieBreak };
}

/**
 * Where one level's intervals come from and why: models and examples when both populations have at least
 * {@link MIN_TWO_LEVEL_MODELS} models and intervals are on, else examples only.
 * @internal
 * @example
 * intervalSource(5, 5, false, 1000).source; // 'models and examples'
 */
export function intervalSource(baselineModels: number, compressedModels: number, paired: boolean, resamples: number): LevelIntervalSource {
  if (resamples === 0) return { source: 'examples only', reason: 'intervals are off (bootstrap.resamples: 0)' };
  if (baselineModels >= MIN_TWO_LEVEL_MODELS && compressedModels >= MIN_TWO_LEVEL_MODELS) {
    const how = paired ? 'model pairs resampled together (paired design)' : 'models resampled within each population';
    return {
      source: 'models and examples',
      reason: `${baselineModels} baseline and ${compressedModels} compressed models: ${how}, then test examples, so the intervals cover retraining the populations`,
    };
  }
  return {
    source: 'examples only',
    reason:
      `the baseline has ${baselineModels} and this level ${compressedModels} model(s); resampling models needs at least ` +
      `${MIN_TWO_LEVEL_MODELS} per population, so the intervals resample test examples with these models held fixed and ` +
      'do not cover retraining',
  };
}

/**
 * A level's intervals from the two-level bootstrap, in the shape {@link levelIntervals} returns; `null` when the
 * populations are too small (the caller then bootstraps examples only).
 * @internal
 * @example
 * twoLevelLevelIntervals(input, models, { resamples: 1000, seed: 0 }, valueKey)?.source.source; // 'models and examples'
 */
export function twoLevelLevelIntervals(
  input: TwoLevelLevelInput,
  models: TwoLevelModels,
  options: BootstrapOptions,
  valueKey: (attribute: string, value: string | number | boolean) => string,
): TwoLevelLevelIntervals | null {
  const source = intervalSource(models.baseline.length, models.compressed.length, models.paired, options.resamples ?? 1000);
  if (source.source !== 'models and examples') return null;
  const result = twoLevelIntervals(
    {
      labels: input.labels,
      nClasses: input.nClasses,
      baseline: models.baseline,
      compressed: models.compressed,
      paired: models.paired,
      tieBreak: models.tieBreak,
      attributes: input.attributes,
      positiveClass: input.positiveClass,
      memo: input.memo,
    },
    options,
  );
  const overIndex = new Map<string, BootstrapInterval>();
  for (const row of result.overIndex) overIndex.set(valueKey(row.attribute, row.value), row.overIndexRatio);
  const errorRates = new Map<string, GroupErrorRateIntervals>();
  for (const { attribute, rows } of result.errorRates) for (const row of rows) errorRates.set(valueKey(attribute, row.group), row);
  // The estimates' per-example share (for the PIE accuracy section) is the examples-only one: it does not depend on resampling.
  const share = input.labels ? shareCorrect(input.labels, input.predictions) : null;
  return { shareCorrect: share, top1: result.top1, pieRate: result.pieRate, classes: result.classes, overIndex, errorRates, source };
}
