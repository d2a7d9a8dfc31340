import { PieAuditError } from '../errors.js';
import type { IntersectionOverIndexRow, PValueCorrection } from '../schema/index.js';
import { P_VALUE_CORRECTIONS } from '../schema/vocabulary.js';
import { adjustPValues, fisherExactTest } from './stats/index.js';
import { groupIndex, type GroupIndex, type GroupValue } from './subgroup-error-rates.js';
import { assertArrayLike, assertLength } from './validate-length.js';

/** Options of {@link intersectionOverIndex}. */
export interface IntersectionOverIndexOptions {
  /** Largest number of attributes in an intersection: 2 (pairs, the default) or 3. */
  maxOrder?: number;
  /** Fewest examples an intersection needs to be tested (default 30). */
  minSupport?: number;
  /** Significance level for `significant` (default 0.05), applied to the adjusted p-value. */
  alpha?: number;
  /** Correction over the whole family of tested intersections (default `'bh'`, Benjamini-Hochberg). */
  correction?: PValueCorrection;
}

export type { IntersectionOverIndexRow } from '../schema/index.js';

/** Result of {@link intersectionOverIndex}. */
export interface IntersectionOverIndexResult {
  rows: IntersectionOverIndexRow[];
  maxOrder: number;
  minSupport: number;
  /** Intersections seen in the data with fewer than `minSupport` examples: not tested, not in the family. */
  belowSupport: number;
  alpha: number;
  correction: PValueCorrection;
}

const invalid = (name: string, message: string) => new PieAuditError('INVALID_ARGUMENT', `${name} ${message}`, { name });

function checkOptions(options: IntersectionOverIndexOptions): Required<IntersectionOverIndexOptions> {
  const { maxOrder = 2, minSupport = 30, alpha = 0.05, correction = 'bh' } = options;
  if (maxOrder !== 2 && maxOrder !== 3) throw invalid('options.maxOrder', `must be 2 (pairs) or 3 (triples); got ${String(maxOrder)}.`);
  if (!Number.isInteger(minSupport) || minSupport < 1)
    throw invalid('options.minSupport', `must be a positive integer (examples per intersection); got ${String(minSupport)}.`);
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1))
    throw invalid('options.alpha', `must be a number strictly between 0 and 1; got ${String(alpha)}.`);
  if (!P_VALUE_CORRECTIONS.includes(correction))
    throw invalid('options.correction', `must be one of ${P_VALUE_CORRECTIONS.join(', ')}; got ${String(correction)}.`);
  return { maxOrder, minSupport, alpha, correction };
}

/** Every combination of `k` of `0..n-1`, in lexicographic order. */
function combinations(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first <= n - k; first++)
    for (const rest of combinations(n - first - 1, k - 1)) out.push([first, ...rest.map((r) => r + first + 1)]);
  return out;
}

/** Counts of one combination's cells: examples and PIEs per joint value code, over examples with every attribute recorded. */
function cellCounts(indices: readonly GroupIndex[], flags: Uint8Array) {
  const cells = new Map<number, { overall: number; pies: number }>();
  let nOverall = 0;
  let nPIEs = 0;
  for (let i = 0; i < flags.length; i++) {
    let code = 0;
    let missing = false;
    for (const index of indices) {
      const c = index.codes[i]!;
      if (c < 0) {
        missing = true;
        break;
      }
      code = code * index.values.length + c;
    }
    if (missing) continue;
    nOverall++;
    nPIEs += flags[i]!;
    const cell = cells.get(code) ?? { overall: 0, pies: 0 };
    cell.overall++;
    cell.pies += flags[i]!;
    cells.set(code, cell);
  }
  return { cells, nOverall, nPIEs };
}

/** The over-indexing row of one cell: shares, ratio and Fisher's exact test of `[[a, nPIEs-a], [c-a, rest]]`. */
function cellRow(names: string[], values: string[], a: number, count: number, nPIEs: number, nOverall: number, n: number) {
  const row: IntersectionOverIndexRow = {
    attribute: names.join(' & '),
    value: names.map((name, j) => `${name}=${values[j]}`).join(' & '),
    attributes: names,
    values,
    countAmongPIEs: a,
    nPIEs,
    countOverall: count,
    nOverall,
    nMissing: n - nOverall,
    shareAmongPIEs: null,
    shareOverall: count / nOverall,
    overIndexRatio: null,
    shareDifference: null,
    oddsRatio: null,
    p: null,
    pAdjusted: null,
    significant: false,
    status: 'inconclusive',
    reason: null,
  };
  if (nPIEs === 0) row.reason = 'no PIEs among the examples where these attributes are recorded';
  else {
    row.shareAmongPIEs = a / nPIEs;
    row.overIndexRatio = (a * nOverall) / (nPIEs * count);
    row.shareDifference = row.shareAmongPIEs - row.shareOverall;
    if (nPIEs === nOverall) row.reason = 'every example where these attributes are recorded is a PIE: no non-PIEs to compare with';
    else {
      const test = fisherExactTest(
        [
          [a, nPIEs - a],
          [count - a, nOverall - nPIEs - (count - a)],
        ],
        { alternative: 'two-sided' },
      );
      row.p = test.p;
      row.oddsRatio = Number.isNaN(test.conditionalMleOddsRatio) ? null : test.conditionalMleOddsRatio;
      row.status = 'ok';
    }
  }
  return row;
}

/**
 * Over-indexing among PIEs of intersections of attribute values (e.g. `Male=-1 & Young=1`): every combination of
 * 2 (up to `maxOrder`) attributes, every joint value seen with at least `minSupport` examples, tested as
 * {@link attributeOverIndex} tests single values (Fisher's exact two-sided test of in-the-intersection vs not, among
 * examples where all its attributes are recorded), with adjusted p-values over the whole family of tested
 * intersections (Benjamini-Hochberg unless `options.correction` says otherwise). Rarer intersections are counted in
 * `belowSupport` and left out of the family: a handful of examples cannot show over-indexing, and testing them
 * would only dilute the correction.
 *
 * @param isPIE - per example, PIE (1/true) or not (0/false)
 * @param attributes - per attribute name, one value per example (null/undefined: not recorded)
 * @throws PieAuditError `INVALID_ARGUMENT`, `LENGTH_MISMATCH`, `NON_FINITE`
 * @example
 * const { rows } = intersectionOverIndex(pies.isPIE, { Male: male, Young: young }, { minSupport: 30 });
 * rows.filter((r) => r.significant && r.overIndexRatio! > 1).map((r) => r.value); // ['Male=-1 & Young=1']
 */
export function intersectionOverIndex(
  isPIE: ArrayLike<number | boolean>,
  attributes: Record<string, ArrayLike<GroupValue | null | undefined>>,
  options: IntersectionOverIndexOptions = {},
): IntersectionOverIndexResult {
  const { maxOrder, minSupport, alpha, correction } = checkOptions(options);
  assertArrayLike(isPIE, 'isPIE');
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))
    throw invalid('attributes', 'must be an object mapping each attribute name to one value per example.');
  const n = isPIE.length;
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = isPIE[i];
    if (f === 1 || f === true) flags[i] = 1;
    else if (f !== 0 && f !== false) throw invalid('isPIE', `[${i}] is ${String(f)}; PIE flags must be 0/1 or false/true.`);
  }
  const names = Object.keys(attributes);
  const indices = names.map((name) => {
    assertLength(attributes[name]!, n, `attributes.${name}`, 'isPIE');
    return groupIndex(attributes[name]!, `attributes.${name}`);
  });
  const rows: IntersectionOverIndexRow[] = [];
  let belowSupport = 0;
  for (let order = 2; order <= Math.min(maxOrder, names.length); order++) {
    for (const combo of combinations(names.length, order)) {
      const chosen = combo.map((j) => indices[j]!);
      if (chosen.reduce((p, index) => p * Math.max(1, index.values.length), 1) > Number.MAX_SAFE_INTEGER)
        throw invalid('attributes', `${combo.map((j) => names[j]).join(', ')} have too many distinct values to intersect.`);
      const { cells, nOverall, nPIEs } = cellCounts(chosen, flags);
      for (const code of [...cells.keys()].sort((x, y) => x - y)) {
        const cell = cells.get(code)!;
        if (cell.overall < minSupport) {
          belowSupport++;
          continue;
        }
        let rest = code;
        const values = new Array<string>(order);
        for (let j = order - 1; j >= 0; j--) {
          const k = chosen[j]!.values.length;
          values[j] = String(chosen[j]!.values[rest % k]);
          rest = Math.floor(rest / k);
        }
        rows.push(
          cellRow(
            combo.map((j) => names[j]!),
            values,
            cell.pies,
            cell.overall,
            nPIEs,
            nOverall,
            n,
          ),
        );
      }
    }
  }
  const ok = rows.filter((r) => r.status === 'ok');
  const adjusted = adjustPValues(
    ok.map((r) => r.p as number),
    correction,
  );
  ok.forEach((r, i) => {
    r.pAdjusted = adjusted[i] ?? null;
    r.significant = r.pAdjusted !== null && r.pAdjusted < alpha;
  });
  return { rows, maxOrder, minSupport, belowSupport, alpha, correction };
}
