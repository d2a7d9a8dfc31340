import { PieAuditError } from '../errors.js';
import { bootstrapResample, type BootstrapInterval, type BootstrapOptions } from './bootstrap-resample.js';
import { groupIndex, type GroupIndex, type GroupValue } from './subgroup-error-rates.js';
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
  const indices: GroupIndex[] = names.map((name) => {
    assertLength(attributes[name], n, `attributes.${name}`, 'isPIE');
    return groupIndex(attributes[name], `attributes.${name}`);
  });
  const offsets: number[] = [];
  let nStats = 0;
  for (const index of indices) {
    offsets.push(nStats);
    nStats += index.values.length;
  }
  const overall = new Float64Array(nStats);
  const among = new Float64Array(nStats);
  const intervals = bootstrapResample(n, nStats, options, (w, out) => {
    overall.fill(0);
    among.fill(0);
    indices.forEach((index, a) => {
      const codes = index.codes;
      const o = offsets[a];
      let recorded = 0;
      let pies = 0;
      for (let i = 0; i < n; i++) {
        const g = codes[i];
        if (g < 0) continue;
        const wi = w[i];
        recorded += wi;
        overall[o + g] += wi;
        if (flags[i]) {
          pies += wi;
          among[o + g] += wi;
        }
      }
      // No PIE drawn (0 / 0) leaves the ratio undefined (NaN) in this resample.
      for (let g = 0; g < index.values.length; g++) out[o + g] = pies === 0 ? NaN : (among[o + g] * recorded) / (pies * overall[o + g]);
    });
  });
  const rows: OverIndexInterval[] = [];
  indices.forEach((index, a) => {
    index.values.forEach((value, g) => rows.push({ attribute: names[a], value, overIndexRatio: intervals[offsets[a] + g] }));
  });
  return rows;
}
