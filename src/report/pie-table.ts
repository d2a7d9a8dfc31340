import { listPies, type PieRecord } from '../analysis/list-pies.js';
import type { AuditReport } from '../schema/index.js';
import type { ModalTieBreak } from '../schema/vocabulary.js';

/** One PIE of one level, with the example's attribute values (in {@link PieTable.attributeNames} order). */
export interface PieTableRow extends PieRecord {
  level: string;
  attributes: Array<string | null>;
}

/** Every PIE of every compressed level: what `pies.csv` and the report page's PIE browser list. */
export interface PieTable {
  attributeNames: string[];
  /** Level by level in report order, each in test-set order. */
  rows: PieTableRow[];
}

/** Inputs of {@link buildPieTable}: the predictions the audit already holds. */
export interface PieTableInput {
  /** Baseline population: one label array per model. */
  baseline: readonly ArrayLike<number>[];
  /** Compressed levels in report order. */
  levels: ReadonlyArray<{ key: string; predictions: readonly ArrayLike<number>[] }>;
  labels?: ArrayLike<number> | null;
  attributes?: ReadonlyArray<{ name: string; values: ArrayLike<string | number | boolean | null | undefined> }>;
  tieBreak?: ModalTieBreak;
  nClasses?: number;
}

/**
 * Lists every PIE of every compressed level (see `listPies`) with the example's attribute values as strings,
 * for `pies.csv` and the HTML PIE browser. The report keeps its compact exemplars; this table travels beside it.
 *
 * @throws PieAuditError whatever `listPies` throws for malformed predictions or labels.
 * @example
 * const table = buildPieTable({ baseline, levels: [{ key: '0.9', predictions: pruned }], labels, tieBreak: 'max' });
 * table.rows.length; // number of PIEs at level 0.9
 */
export function buildPieTable(input: PieTableInput): PieTable {
  const attributes = input.attributes ?? [];
  const rows: PieTableRow[] = [];
  for (const level of input.levels) {
    for (const pie of listPies(input.baseline, level.predictions, {
      labels: input.labels,
      tieBreak: input.tieBreak,
      nClasses: input.nClasses,
    })) {
      const values = attributes.map((a) => {
        const v = a.values[pie.index];
        return v === null || v === undefined ? null : String(v);
      });
      rows.push({ ...pie, level: level.key, attributes: values });
    }
  }
  return { attributeNames: attributes.map((a) => a.name), rows };
}

// A symbol key is skipped by JSON.stringify and by spreading into report.json, so the full list travels with
// the report object to the writers without entering report.json.
const PIE_TABLE = Symbol.for('pie-audit.pieTable');

/**
 * Attaches the full PIE table to a report object (non-enumerable, not serialised), so `writeReports` and
 * `renderHtml` find it without a second argument.
 *
 * @example
 * attachPieTable(report, buildPieTable(input)); // JSON.stringify(report) is unchanged
 */
export function attachPieTable(report: AuditReport, table: PieTable): void {
  Object.defineProperty(report, PIE_TABLE, { value: table, enumerable: false, configurable: true, writable: true });
}

/**
 * The full PIE table attached to `report`, or null (e.g. a report read back from report.json).
 *
 * @example
 * pieTableOf(report)?.rows.length;
 */
export function pieTableOf(report: AuditReport): PieTable | null {
  const table = (report as unknown as Record<symbol, unknown>)[PIE_TABLE];
  return table && typeof table === 'object' ? (table as PieTable) : null;
}
