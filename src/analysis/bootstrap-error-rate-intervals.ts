import { PieAuditError } from '../errors.js';
import type { BootstrapMemo } from './bootstrap-memo.js';
import {
  runBootstrapFamily,
  type BootstrapFamily,
  type BootstrapInterval,
  type BootstrapOptions,
  type WeightedStatistics,
} from './bootstrap-resample.js';
import { checkPositiveClass, groupIndex, type GroupIndex, type GroupValue } from './subgroup-error-rates.js';
import { groupSlotLayout } from './group-slot-layout.js';
import { assertArrayLike, assertLength } from './validate-length.js';
import { assertMinSamples } from './validate-population.js';
import { assertShares } from './validate-shares.js';
import { throwBadLabel } from './validate-labels.js';

/** One rate (FPR or FNR) of one group: both populations, the change, and the change beyond the rest of the test set's. */
export interface RateIntervals {
  /** Mean over the baseline models of the group's rate. */
  baseline: BootstrapInterval;
  /** Mean over the compressed models. */
  compressed: BootstrapInterval;
  /** `compressed - baseline`. */
  change: BootstrapInterval;
  /** The same change over every test example not in the group (missing groups included). */
  restChange: BootstrapInterval;
  /** `change - restChange`: the disparity. Degradation shared by every example leaves it near 0. */
  gap: BootstrapInterval;
}

/** FPR and FNR intervals of one group. */
export interface GroupErrorRateIntervals {
  group: GroupValue;
  /** Examples in the group. */
  n: number;
  fpr: RateIntervals;
  fnr: RateIntervals;
}

/** Inputs of {@link bootstrapErrorRateIntervals}. */
export interface ErrorRateIntervalsInput {
  /** True class of each example. */
  labels: ArrayLike<number>;
  /** Group of each example (`null`/`undefined` = missing: in no group, but in every group's rest). */
  groups: ArrayLike<GroupValue | null | undefined>;
  /** Per example, the share of baseline models predicting `positiveClass` ({@link sharePredicting}). */
  baselineSharePositive: ArrayLike<number>;
  /** The same for the compressed population. */
  compressedSharePositive: ArrayLike<number>;
  positiveClass: number;
}

/** Per group and rest: negatives, baseline FP, compressed FP, positives, baseline FN, compressed FN. */
const CELLS = 6;
/** Per group: 5 FPR statistics then 5 FNR statistics. */
const STATS = 10;

/**
 * Each group's FPR and FNR (means over each population's models, as {@link compareSubgroupErrorRates}), their
 * change under compression, and the gap between the group's change and the rest of the test set's, with
 * percentile bootstrap intervals over the test examples. Estimates come from per-example shares of models
 * predicting positive, so a resample costs O(examples).
 *
 * @throws PieAuditError `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INVALID_ARGUMENT`, `INSUFFICIENT_SAMPLES`
 * @example
 * const rows = bootstrapErrorRateIntervals({ labels, groups: sex, positiveClass: 1,
 *   baselineSharePositive: sharePredicting(b, 1), compressedSharePositive: sharePredicting(k, 1) }, { seed: 1 });
 * rows[0].fnr.gap.ci; // e.g. [-0.01, 0.03]: no disparity shown
 */
export function bootstrapErrorRateIntervals(input: ErrorRateIntervalsInput, options: BootstrapOptions = {}): GroupErrorRateIntervals[] {
  if (input === null || typeof input !== 'object') {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      'bootstrapErrorRateIntervals expects { labels, groups, baselineSharePositive, compressedSharePositive, positiveClass }.',
    );
  }
  const family = errorRateFamily({ ...input, groups: [{ name: 'groups', values: input.groups }] });
  return runBootstrapFamily(input.labels.length, options, family)[0];
}

/** Inputs of {@link errorRateFamily}: {@link ErrorRateIntervalsInput} with any number of group attributes. @internal */
export interface ErrorRateFamilyInput extends Omit<ErrorRateIntervalsInput, 'groups'> {
  groups: ReadonlyArray<{ name: string; values: ArrayLike<GroupValue | null | undefined> }>;
}

/**
 * The FPR/FNR intervals of every group of every attribute as one bootstrap family (one result per attribute, as
 * {@link bootstrapErrorRateIntervals} gives). Group sizes and the baseline's expected errors do not depend on the
 * compressed population: with a `memo` shared by every level of an audit they are summed once per resample, and a
 * level adds only its own expected errors, over the examples where some compressed model errs (the others add 0).
 * The sums are the same, in the same order, as summing every example.
 * @throws PieAuditError `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INVALID_ARGUMENT`, `INSUFFICIENT_SAMPLES`
 * @internal
 * @example
 * const family = errorRateFamily({ labels, groups: [{ name: 'sex', values: sex }], positiveClass: 1,
 *   baselineSharePositive: sb, compressedSharePositive: sk });
 */
export function errorRateFamily(input: ErrorRateFamilyInput, memo?: BootstrapMemo): BootstrapFamily<GroupErrorRateIntervals[][]> {
  const { n, positive, erring } = checkedInput(input);
  const { baselineSharePositive: sb, compressedSharePositive: sk } = input;
  const indices = input.groups.map((g) => groupIndex(g.values, g.name));
  const offsets: number[] = [];
  let nStatistics = 0;
  for (const index of indices) {
    offsets.push(nStatistics);
    nStatistics += index.values.length * STATS;
  }
  const A = indices.length;
  const { offset: cellOffset, allOffset, size: nCells, at } = groupSlotLayout(indices, n, CELLS);
  const cells = new Float64Array(nCells);
  const all = new Float64Array(CELLS);
  /**
   * Per group and rest: counts and the baseline's expected errors (the level-independent cells). Each cell sums
   * its examples in index order, as one attribute at a time would; the all-examples cells are the same sums for
   * every attribute, so they are summed once and copied.
   */
  const fillShared = (w: Float64Array, target: Float64Array): void => {
    all.fill(0);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const slot = positive[i] ? 3 : 0;
      const b = positive[i] ? wi * (1 - sb[i]) : wi * sb[i];
      all[slot] += wi;
      all[slot + 1] += b;
      for (let a = 0, row = i * A; a < A; a++) {
        const o = at[row + a];
        if (o < 0) continue;
        target[o + slot] += wi;
        target[o + slot + 1] += b;
      }
    }
    for (let a = 0; a < A; a++) target.set(all, allOffset[a]);
  };
  const statistics: WeightedStatistics = (w, out, r) => {
    if (memo) cells.set(memo.sums('errorRates', r, nCells, (t) => fillShared(w, t)));
    else {
      cells.fill(0);
      fillShared(w, cells);
    }
    // The level's own expected errors, over the examples where some compressed model errs (the rest add 0).
    let allNegative = 0;
    let allPositive = 0;
    for (let j = 0; j < erring.length; j++) {
      const i = erring[j];
      const wi = w[i];
      if (wi === 0) continue;
      const slot = positive[i] ? 5 : 2;
      const c = positive[i] ? wi * (1 - sk[i]) : wi * sk[i];
      if (positive[i]) allPositive += c;
      else allNegative += c;
      for (let a = 0, row = i * A; a < A; a++) {
        const o = at[row + a];
        if (o >= 0) cells[o + slot] += c;
      }
    }
    for (let a = 0; a < A; a++) {
      cells[allOffset[a] + 2] = allNegative;
      cells[allOffset[a] + 5] = allPositive;
    }
    indices.forEach((index, a) => {
      const k = index.values.length;
      const view = cells.subarray(cellOffset[a], cellOffset[a] + (k + 1) * CELLS);
      const o = offsets[a];
      for (let g = 0; g < k; g++) {
        for (let s = 0; s < 2; s++) rateStatistics(view, g, k, 3 * s, out, o + g * STATS + 5 * s);
      }
    });
  };
  const finish = (intervals: BootstrapInterval[]) => errorRateRows(indices, offsets, intervals);
  return { nStatistics, statistics, finish };
}

/** Validates the input; per example whether it is positive, and the examples where some compressed model errs. */
function checkedInput(input: ErrorRateFamilyInput): { n: number; positive: Uint8Array; erring: number[] } {
  const positiveClass = checkPositiveClass(input);
  const { labels, baselineSharePositive: sb, compressedSharePositive: sk } = input;
  assertArrayLike(labels, 'labels');
  const n = labels.length;
  assertMinSamples(n, 1, 'labels', 'examples');
  for (const g of input.groups) assertLength(g.values, n, g.name, 'labels');
  assertShares(sb, n, 'baselineSharePositive', 'labels');
  assertShares(sk, n, 'compressedSharePositive', 'labels');
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y >>> 0 !== y) throwBadLabel(y, i, undefined, 'labels');
    positive[i] = y === positiveClass ? 1 : 0;
  }
  // The examples whose compressed expected error is not 0: the only ones a level adds.
  const erring: number[] = [];
  for (let i = 0; i < n; i++) if (positive[i] ? sk[i] !== 1 : sk[i] !== 0) erring.push(i);
  return { n, positive, erring };
}

/** Each attribute's rows from its slice of the intervals. */
function errorRateRows(
  indices: readonly GroupIndex[],
  offsets: readonly number[],
  intervals: BootstrapInterval[],
): GroupErrorRateIntervals[][] {
  return indices.map((index, a) =>
    index.values.map((group, g) => {
      const at = (j: number) => intervals[offsets[a] + g * STATS + j];
      const rate = (o: number): RateIntervals => ({
        baseline: at(o),
        compressed: at(o + 1),
        change: at(o + 2),
        restChange: at(o + 3),
        gap: at(o + 4),
      });
      let size = 0;
      for (let i = 0; i < index.codes.length; i++) if (index.codes[i] === g) size++;
      return { group, n: size, fpr: rate(0), fnr: rate(5) };
    }),
  );
}

/** The five statistics of one rate of group g; the rest is the all-examples slot (k) minus the group. 0 / 0 gives NaN (undefined). */
function rateStatistics(cells: Float64Array, g: number, k: number, slot: number, out: Float64Array, at: number): void {
  const gBase = g * CELLS + slot;
  const aBase = k * CELLS + slot;
  const count = cells[gBase];
  const rb = cells[gBase + 1] / count;
  const rk = cells[gBase + 2] / count;
  const restCount = cells[aBase] - count;
  const restChange = (cells[aBase + 2] - cells[gBase + 2] - (cells[aBase + 1] - cells[gBase + 1])) / restCount;
  out[at] = rb;
  out[at + 1] = rk;
  out[at + 2] = rk - rb;
  out[at + 3] = restChange;
  out[at + 4] = rk - rb - restChange;
}
