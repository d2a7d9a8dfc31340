import { PieAuditError } from '../errors.js';
import type { BootstrapMemo } from './bootstrap-memo.js';
import {
  runBootstrapFamily,
  type BootstrapFamily,
  type BootstrapInterval,
  type BootstrapOptions,
  type WeightedStatistics,
} from './bootstrap-resample.js';
import { groupIndex, type GroupIndex, type GroupValue } from './subgroup-error-rates.js';
import { groupSlotLayout } from './group-slot-layout.js';
import { assertArrayLike, assertLength } from './validate-length.js';
import { assertMinSamples } from './validate-population.js';

/** One attribute value's over-index ratio with its interval. */
export interface OverIndexInterval {
  attribute: string;
  value: GroupValue;
  /** `shareAmongPIEs / shareOverall` as in {@link attributeOverIndex}; `estimate: null` when there are no PIEs. */
  overIndexRatio: BootstrapInterval;
}

/**
 * Each attribute value's over-index ratio among PIEs (its share among PIEs over its share among all examples whose
 * attribute is recorded, as {@link attributeOverIndex}), with percentile bootstrap intervals over the test examples.
 * PIE flags are held fixed per example. A resample with no recorded PIE leaves the ratio undefined there.
 *
 * @param isPIE - per example 1/true for a PIE
 * @param attributes - per attribute name, one value per example (`null`/`undefined` = not recorded)
 * @throws PieAuditError `LENGTH_MISMATCH`, `INVALID_ARGUMENT`, `NON_FINITE`, `INSUFFICIENT_SAMPLES`
 * @example
 * const rows = bootstrapOverIndexIntervals(pies.isPIE, { sex: sexes }, { seed: 1 });
 * rows.find((r) => r.value === 'Female')?.overIndexRatio.ci; // e.g. [1.1, 1.6]
 */
export function bootstrapOverIndexIntervals(
  isPIE: ArrayLike<number | boolean>,
  attributes: Record<string, ArrayLike<GroupValue | null | undefined>>,
  options: BootstrapOptions = {},
): OverIndexInterval[] {
  assertArrayLike(isPIE, 'isPIE');
  const n = isPIE.length;
  assertMinSamples(n, 1, 'isPIE', 'examples');
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      'attributes must be an object mapping each attribute name to one value per example, e.g. { sex: [...] }.',
      { name: 'attributes' },
    );
  }
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = isPIE[i];
    if (f === 1 || f === true) flags[i] = 1;
    else if (f !== 0 && f !== false)
      throw new PieAuditError('INVALID_ARGUMENT', `isPIE[${i}] is ${String(f)}; PIE flags must be 0/1 or false/true.`, {
        name: 'isPIE',
        index: i,
      });
  }
  const names = Object.keys(attributes);
  const family = overIndexFamily(
    flags,
    names.map((name) => ({ name, values: attributes[name] })),
  );
  return runBootstrapFamily(n, options, family);
}

/**
 * The over-index intervals of every attribute as one bootstrap family. Each value's count and the recorded count
 * do not depend on the PIEs: with a `memo` shared by every level of an audit they are summed once per resample,
 * and a level sums only over its PIEs (integer counts, so every order gives the same sums).
 * @param flags - per example 1 for a PIE, else 0
 * @throws PieAuditError `LENGTH_MISMATCH`, `INVALID_ARGUMENT`, `NON_FINITE`
 * @internal
 * @example
 * const family = overIndexFamily(isPIE, [{ name: 'sex', values: sexes }]);
 */
export function overIndexFamily(
  flags: Uint8Array,
  attributes: ReadonlyArray<{ name: string; values: ArrayLike<GroupValue | null | undefined> }>,
  memo?: BootstrapMemo,
): BootstrapFamily<OverIndexInterval[]> {
  const n = flags.length;
  const indices: GroupIndex[] = attributes.map(({ name, values }) => {
    assertLength(values, n, `attributes.${name}`, 'isPIE');
    return groupIndex(values, `attributes.${name}`);
  });
  const pieList: number[] = [];
  for (let i = 0; i < n; i++) if (flags[i]) pieList.push(i);
  const offsets: number[] = [];
  let nStats = 0;
  for (const index of indices) {
    offsets.push(nStats);
    nStats += index.values.length;
  }
  const A = indices.length;
  const { offset: countOffset, allOffset: recordedAt, size: nCounts, at } = groupSlotLayout(indices, n, 1);
  const among = new Float64Array(nCounts);
  const own = new Float64Array(nCounts);
  /** Each value's drawn count and each attribute's recorded count (integer sums: every order gives the same). */
  const fillShared = (w: Float64Array, target: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      for (let a = 0, row = i * A; a < A; a++) {
        const o = at[row + a];
        if (o < 0) continue;
        target[o] += wi;
        target[recordedAt[a]] += wi;
      }
    }
  };
  const statistics: WeightedStatistics = (w, out, r) => {
    let overall: Float64Array;
    if (memo) overall = memo.sums('overIndex', r, nCounts, (t) => fillShared(w, t));
    else {
      own.fill(0);
      fillShared(w, own);
      overall = own;
    }
    among.fill(0);
    for (let j = 0; j < pieList.length; j++) {
      const i = pieList[j];
      const wi = w[i];
      if (wi === 0) continue;
      for (let a = 0, row = i * A; a < A; a++) {
        const o = at[row + a];
        if (o < 0) continue;
        among[o] += wi;
        among[recordedAt[a]] += wi;
      }
    }
    indices.forEach((index, a) => {
      const k = index.values.length;
      const c = countOffset[a];
      const recorded = overall[c + k];
      const pies = among[c + k];
      const o = offsets[a];
      // No PIE drawn (0 / 0) leaves the ratio undefined (NaN) in this resample.
      for (let g = 0; g < k; g++) out[o + g] = pies === 0 ? NaN : (among[c + g] * recorded) / (pies * overall[c + g]);
    });
  };
  const finish = (intervals: BootstrapInterval[]): OverIndexInterval[] =>
    indices.flatMap((index, a) =>
      index.values.map((value, g) => ({ attribute: attributes[a].name, value, overIndexRatio: intervals[offsets[a] + g] })),
    );
  return { nStatistics: nStats, statistics, finish };
}
