import { PieAuditError } from '../errors.js';
import { throwBadLabel } from './validate-labels.js';
import { assertLength, assertArrayLike } from './validate-length.js';

/** A subgroup key: one attribute value (e.g. `'Female'`, `true`, `3`) or a combined key such as `'Male|Young'`. */
export type GroupValue = string | number | boolean;

/** Confusion counts and error rates of one subgroup for a binary task. */
export interface SubgroupRates {
  /** The subgroup's value in `groups` (`'all'` rows use `null`). */
  group: GroupValue | null;
  /** Number of examples in the subgroup. */
  n: number;
  /** True positives: label positive, predicted positive. */
  tp: number;
  /** False positives: label negative, predicted positive. */
  fp: number;
  /** True negatives: label negative, predicted negative. */
  tn: number;
  /** False negatives: label positive, predicted negative. */
  fn: number;
  /** Examples whose true label is the positive class (`tp + fn`). */
  positives: number;
  /** Examples whose true label is another class (`fp + tn`). */
  negatives: number;
  /** False positive rate `fp / (fp + tn)`; `null` when the subgroup has no negatives. */
  fpr: number | null;
  /** False negative rate `fn / (fn + tp)`; `null` when the subgroup has no positives. */
  fnr: number | null;
  /** Error rate `(fp + fn) / n`; `null` when the subgroup is empty. */
  errorRate: number | null;
}

/** Result of {@link subgroupErrorRates}. */
export interface SubgroupErrorRates {
  /** One row per distinct non-null value of `groups`, sorted (booleans, then numbers, then strings). */
  subgroups: SubgroupRates[];
  /** The same counts over every example, including those whose group is null. */
  overall: SubgroupRates;
  /** Number of examples whose group was null or undefined (left out of `subgroups`, kept in `overall`). */
  nMissingGroup: number;
}

/** Options of {@link subgroupErrorRates}. */
export interface SubgroupErrorRatesOptions {
  /** The class index that counts as "positive" (e.g. 1 for Blond_Hair = true); every other class is negative. */
  positiveClass: number;
}

/**
 * Per-subgroup false positive rate, false negative rate and error rate of a binary decision
 * (Hooker et al. 2020: FPR and FNR per CelebA subgroup such as Male/Female, Young/Old).
 *
 * `labels` and `predicted` are class indices; `positiveClass` marks the positive one and every other class
 * is negative, so multi-class predictions reduce to "positive vs not". `groups` gives each example's
 * subgroup; `null`/`undefined` leaves the example out of every subgroup (it still counts in `overall`).
 * For intersections, pass a combined key per example such as `'Female|Old'`.
 *
 * @throws PieAuditError `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INVALID_ARGUMENT`
 * @example
 * const r = subgroupErrorRates([1, 0, 1, 0], [1, 1, 0, 0], ['F', 'F', 'M', 'M'], { positiveClass: 1 });
 * // r.subgroups[0] = { group: 'F', n: 2, tp: 1, fp: 1, tn: 0, fn: 0, fpr: 1, fnr: 0, errorRate: 0.5, … }
 * // r.subgroups[1] = { group: 'M', n: 2, tp: 0, fp: 0, tn: 1, fn: 1, fpr: 0, fnr: 1, errorRate: 0.5, … }
 */
export function subgroupErrorRates(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  groups: ArrayLike<GroupValue | null | undefined>,
  options: SubgroupErrorRatesOptions,
): SubgroupErrorRates {
  assertArrayLike(labels, 'labels');
  const positiveClass = checkPositiveClass(options);
  assertLength(predicted, labels.length, 'predicted', 'labels');
  assertLength(groups, labels.length, 'groups', 'labels');
  const index = groupIndex(groups, 'groups');
  return countRates(labels, predicted, index, positiveClass, 'predicted');
}

/**
 * @internal Validates `options.positiveClass`.
 * @throws PieAuditError `INVALID_ARGUMENT`
 */
export function checkPositiveClass(options: { positiveClass: number } | undefined): number {
  const p = options?.positiveClass;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `options.positiveClass must be a non-negative integer class index (the "positive" class, e.g. 1); got ${String(p)}.`,
      { name: 'options.positiveClass' },
    );
  }
  return p;
}

/** @internal Distinct group values, sorted, and each example's position among them (-1 for missing). */
export interface GroupIndex {
  values: GroupValue[];
  /** Index into `values` per example; -1 where the group is null/undefined. */
  codes: Int32Array;
  nMissing: number;
}

/**
 * @internal Encodes `groups` as integer codes over its sorted distinct values.
 * @throws PieAuditError `INVALID_ARGUMENT`, `NON_FINITE`
 */
export function groupIndex(groups: ArrayLike<GroupValue | null | undefined>, name: string): GroupIndex {
  const seen = new Map<GroupValue, number>();
  const firstCodes = new Int32Array(groups.length);
  let nMissing = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g === null || g === undefined) {
      firstCodes[i] = -1;
      nMissing++;
      continue;
    }
    const type = typeof g;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `${name}[${i}] is a ${type}; group values must be strings, numbers, booleans, or null for "missing".`,
        { name, index: i },
      );
    }
    if (type === 'number' && !Number.isFinite(g as number)) {
      throw new PieAuditError('NON_FINITE', `${name}[${i}] is ${String(g)}; use null for a missing value.`, { name, index: i });
    }
    let code = seen.get(g);
    if (code === undefined) {
      code = seen.size;
      seen.set(g, code);
    }
    firstCodes[i] = code;
  }
  const values = [...seen.keys()].sort(compareGroupValues);
  const remap = new Int32Array(values.length);
  values.forEach((v, sortedIndex) => {
    remap[seen.get(v) as number] = sortedIndex;
  });
  for (let i = 0; i < firstCodes.length; i++) if (firstCodes[i] >= 0) firstCodes[i] = remap[firstCodes[i]];
  return { values, codes: firstCodes, nMissing };
}

const TYPE_ORDER: Record<string, number> = { boolean: 0, number: 1, string: 2 };

/** @internal Total order on group values: booleans (false first), numbers ascending, strings by code unit. */
export function compareGroupValues(a: GroupValue, b: GroupValue): number {
  const ta = TYPE_ORDER[typeof a];
  const tb = TYPE_ORDER[typeof b];
  if (ta !== tb) return ta - tb;
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  return Number(a) - Number(b);
}

/** @internal Confusion counts per group code plus overall, for one model's predictions. */
export function countRates(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  index: GroupIndex,
  positiveClass: number,
  predictedName: string,
): SubgroupErrorRates {
  const k = index.values.length;
  // Per group: [tp, fp, tn, fn]; slot k holds the overall counts.
  const counts = new Float64Array((k + 1) * 4);
  const codes = index.codes;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    const p = predicted[i];
    if (y >>> 0 !== y) throwBadLabel(y, i, undefined, 'labels');
    if (p >>> 0 !== p) throwBadLabel(p, i, undefined, predictedName);
    const actualPositive = y === positiveClass;
    const predictedPositive = p === positiveClass;
    const cell = actualPositive ? (predictedPositive ? 0 : 3) : predictedPositive ? 1 : 2;
    counts[k * 4 + cell]++;
    const g = codes[i];
    if (g >= 0) counts[g * 4 + cell]++;
  }
  const row = (slot: number, group: GroupValue | null): SubgroupRates => {
    const tp = counts[slot * 4];
    const fp = counts[slot * 4 + 1];
    const tn = counts[slot * 4 + 2];
    const fn = counts[slot * 4 + 3];
    const n = tp + fp + tn + fn;
    return {
      group,
      n,
      tp,
      fp,
      tn,
      fn,
      positives: tp + fn,
      negatives: fp + tn,
      fpr: fp + tn === 0 ? null : fp / (fp + tn),
      fnr: fn + tp === 0 ? null : fn / (fn + tp),
      errorRate: n === 0 ? null : (fp + fn) / n,
    };
  };
  return {
    subgroups: index.values.map((v, g) => row(g, v)),
    overall: row(k, null),
    nMissingGroup: index.nMissing,
  };
}
