import type { AuditReport } from '../schema/index.js';
import { finiteOrNull } from '../schema/finite.js';
import { classLabel } from './labels.js';
import type { PieTable } from './pie-table.js';
import { pieKind } from './view/exemplars.js';

/** A CSV cell before formatting. */
type Cell = string | number | boolean | null;
/** A CSV row by column name. */
type Row = Record<string, Cell>;

const num = finiteOrNull;

/** The fixed columns of `pies.csv`, before the attribute columns. */
export const PIE_COLUMNS = [
  'level',
  'index',
  'baseline_modal',
  'baseline_modal_name',
  'compressed_modal',
  'compressed_modal_name',
  'true_label',
  'true_label_name',
  'baseline_agreement',
  'compressed_agreement',
  'baseline_correct',
  'compressed_correct',
  'kind',
];

/** Column name of an attribute in `pies.csv`; the prefix keeps data names apart from the fixed columns. */
export const pieAttributeColumn = (name: string): string => `attribute:${name}`;

/**
 * The `pies.csv` rows: every PIE of the full table when there is one, else the report's exemplars.
 *
 * @example
 * pieRows(report, pieTableOf(report)).length; // every PIE of every level
 */
export function pieRows(report: AuditReport, table: PieTable | null): Row[] {
  const records = table
    ? table.rows
    : report.levels.flatMap((l) =>
        (l.exemplars ?? []).map((e) => ({
          level: l.key,
          index: e.index,
          baselineModal: e.baselineModal,
          compressedModal: e.compressedModal,
          trueLabel: e.trueLabel,
          baselineShare: e.baselineAgreement,
          compressedShare: e.compressedAgreement,
          attributes: [] as Array<string | null>,
        })),
      );
  const names = table?.attributeNames ?? [];
  return records.map((e) => {
    const row: Row = {
      level: e.level,
      index: num(e.index),
      baseline_modal: num(e.baselineModal),
      baseline_modal_name: classLabel(report, e.baselineModal),
      compressed_modal: num(e.compressedModal),
      compressed_modal_name: classLabel(report, e.compressedModal),
      true_label: num(e.trueLabel),
      true_label_name: e.trueLabel === null ? null : classLabel(report, e.trueLabel),
      baseline_agreement: num(e.baselineShare),
      compressed_agreement: num(e.compressedShare),
      baseline_correct: e.trueLabel === null ? null : e.baselineModal === e.trueLabel,
      compressed_correct: e.trueLabel === null ? null : e.compressedModal === e.trueLabel,
      kind: pieKind(e.baselineModal, e.compressedModal, e.trueLabel),
    };
    for (const [k, name] of names.entries()) row[pieAttributeColumn(name)] = e.attributes[k] ?? null;
    return row;
  });
}
