import { PieAuditError } from '../errors.js';
import type { AttributeOverIndexRow, PValueCorrection } from '../schema/index.js';
import { P_VALUE_CORRECTIONS } from '../schema/vocabulary.js';

export type { AttributeOverIndexRow } from '../schema/index.js';
import { adjustPValues, fisherExactTest } from './stats/index.js';
import { groupIndex, type GroupValue } from './subgroup-error-rates.js';
import { assertArrayLike, assertLength } from './validate-length.js';

/** Options of {@link attributeOverIndex}. */
export interface AttributeOverIndexOptions {
  /** Significance level for `significant` (default 0.05), applied to the adjusted p-value. */
  alpha?: number;
  /** Correction across every testable value of every attribute (default `'bh'`, Benjamini-Hochberg). */
  correction?: PValueCorrection;
}

/** Result of {@link attributeOverIndex}. */
export interface AttributeOverIndexResult {
  rows: AttributeOverIndexRow[];
  /** Total number of PIEs (all examples, regardless of missing attributes). */
  nPIEs: number;
  nExamples: number;
  alpha: number;
  correction: PValueCorrection;
}

/**
 * Which attribute values are over-represented among PIEs, as Hooker et al. (2019, 2020) examine for CelebA
 * attributes such as Blond_Hair, Male and Young. For each attribute value v: its share among PIEs, its share overall,
 * their ratio (1 = represented as in the data), and Fisher's exact two-sided test on the 2×2 table
 * `[[PIE & v, PIE & not v], [non-PIE & v, non-PIE & not v]]`, with adjusted p-values across every value of
 * every attribute (Benjamini-Hochberg unless `options.correction` says otherwise).
 *
 * Missing values (`null`/`undefined`) are excluded attribute by attribute: an example with no recorded `Age`
 * still counts for `Male`. With no PIEs among the recorded examples, or nothing but PIEs, a row is
 * `'inconclusive'` and carries no ratio or p-value it cannot support.
 *
 * @param isPIE - per example, PIE (1/true) or not (0/false), e.g. `findPIEs(...).isPIE`
 * @param attributes - per attribute name, one value per example (same order as `isPIE`)
 * @throws PieAuditError `LENGTH_MISMATCH`, `INVALID_ARGUMENT` (flags other than 0/1/true/false, bad values), `NON_FINITE`
 * @example
 * const { rows } = attributeOverIndex(pies.isPIE, { Blond_Hair: blond, sex: sexLabels });
 * rows.filter((r) => r.significant && r.overIndexRatio! > 1); // over-indexed values
 */
export function attributeOverIndex(
  isPIE: ArrayLike<number | boolean>,
  attributes: Record<string, ArrayLike<GroupValue | null | undefined>>,
  options: AttributeOverIndexOptions = {},
): AttributeOverIndexResult {
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.alpha must be a number strictly between 0 and 1; got ${String(alpha)}.`, {
      name: 'options.alpha',
    });
  }
  const correction = options.correction ?? 'bh';
  if (!P_VALUE_CORRECTIONS.includes(correction)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `options.correction must be one of ${P_VALUE_CORRECTIONS.join(', ')}; got ${String(correction)}.`,
      { name: 'options.correction' },
    );
  }
  assertArrayLike(isPIE, 'isPIE');
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      'attributes must be an object mapping each attribute name to one value per example, e.g. { Blond_Hair: [...] }.',
      { name: 'attributes' },
    );
  }
  const n = isPIE.length;
  const { flags, nPIEsAll } = pieFlags(isPIE);
  const rows: AttributeOverIndexRow[] = [];
  for (const attribute of Object.keys(attributes)) rows.push(...attributeRows(attribute, attributes[attribute], flags));

  const ok = rows.filter((r) => r.status === 'ok');
  const adjusted = adjustPValues(
    ok.map((r) => r.p as number),
    correction,
  );
  ok.forEach((r, i) => {
    const q = adjusted[i];
    r.pAdjusted = q === null || q === undefined ? null : q;
    r.significant = r.pAdjusted !== null && r.pAdjusted < alpha;
  });
  return { rows, nPIEs: nPIEsAll, nExamples: n, alpha, correction };
}

/** The PIE flags as 0/1 bytes, and how many are set. */
function pieFlags(isPIE: ArrayLike<number | boolean>): { flags: Uint8Array; nPIEsAll: number } {
  const n = isPIE.length;
  const flags = new Uint8Array(n);
  let nPIEsAll = 0;
  for (let i = 0; i < n; i++) {
    const f = isPIE[i];
    if (f === 1 || f === true) {
      flags[i] = 1;
      nPIEsAll++;
    } else if (f !== 0 && f !== false) {
      throw new PieAuditError('INVALID_ARGUMENT', `isPIE[${i}] is ${String(f)}; PIE flags must be 0/1 or false/true.`, {
        name: 'isPIE',
        index: i,
      });
    }
  }

  return { flags, nPIEsAll };
}

/** One row per value of one attribute: its shares among PIEs and overall, and Fisher's exact test. */
function attributeRows(attribute: string, values: ArrayLike<GroupValue | null | undefined>, flags: Uint8Array): AttributeOverIndexRow[] {
  const n = flags.length;
  const rows: AttributeOverIndexRow[] = [];
  assertLength(values, n, `attributes.${attribute}`, 'isPIE');
  const index = groupIndex(values, `attributes.${attribute}`);
  const k = index.values.length;
  const overall = new Float64Array(k);
  const amongPIEs = new Float64Array(k);
  let nOverall = 0;
  let nPIEs = 0;
  for (let i = 0; i < n; i++) {
    const g = index.codes[i];
    if (g < 0) continue;
    nOverall++;
    overall[g]++;
    if (flags[i]) {
      nPIEs++;
      amongPIEs[g]++;
    }
  }
  for (let g = 0; g < k; g++) {
    const a = amongPIEs[g];
    const shareOverall = overall[g] / nOverall;
    const row: AttributeOverIndexRow = {
      attribute,
      value: String(index.values[g]),
      countAmongPIEs: a,
      nPIEs,
      countOverall: overall[g],
      nOverall,
      nMissing: index.nMissing,
      shareAmongPIEs: null,
      shareOverall,
      overIndexRatio: null,
      shareDifference: null,
      oddsRatio: null,
      p: null,
      pAdjusted: null,
      significant: false,
      status: 'inconclusive',
      reason: null,
    };
    if (nPIEs === 0) {
      row.reason = 'no PIEs among the examples where this attribute is recorded';
    } else {
      row.shareAmongPIEs = a / nPIEs;
      // One division of integer products: equal shares give exactly 1.
      row.overIndexRatio = (a * nOverall) / (nPIEs * overall[g]);
      row.shareDifference = row.shareAmongPIEs - shareOverall;
      if (nPIEs === nOverall) {
        // Every recorded example is a PIE: the shares coincide by construction and there is nothing to test.
        row.reason = 'every example where this attribute is recorded is a PIE: no non-PIEs to compare with';
      } else {
        const table: [[number, number], [number, number]] = [
          [a, nPIEs - a],
          [overall[g] - a, nOverall - nPIEs - (overall[g] - a)],
        ];
        const test = fisherExactTest(table, { alternative: 'two-sided' });
        row.p = test.p;
        // Infinity is a legitimate estimate (a zero off-diagonal cell); NaN never leaves this function.
        row.oddsRatio = Number.isNaN(test.conditionalMleOddsRatio) ? null : test.conditionalMleOddsRatio;
        row.status = 'ok';
      }
    }
    rows.push(row);
  }
  return rows;
}
