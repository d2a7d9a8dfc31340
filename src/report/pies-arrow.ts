import { bool, dictionary, float64, int32, tableFromArrays, tableToIPC, utf8 } from '@uwdata/flechette';
import type { AuditReport } from '../schema/index.js';
import { pieAttributeColumn } from './csv-pie-rows.js';
import { classLabel } from './labels.js';
import type { PieTable } from './pie-table.js';
import { pieKind } from './view/exemplars.js';

/**
 * The full PIE table as an Arrow IPC file (`pies.arrow`): the columns of `pies.csv` with their types (int32
 * indices and labels, float64 vote shares, booleans, dictionary-encoded names and kinds, attribute values as
 * strings; null where unknown), for pandas/polars/DuckDB (`pyarrow.feather.read_table('pies.arrow')`).
 *
 * @example
 * writeFileSync('pies.arrow', renderPiesArrow(report, pieTableOf(report)!));
 */
export function renderPiesArrow(report: AuditReport, table: PieTable): Uint8Array {
  const rows = table.rows;
  const name = (c: number | null): string | null => (c === null ? null : classLabel(report, c));
  // A new dictionary type per column: one shared type object would make the columns share one dictionary id.
  const text = () => dictionary(utf8());
  const columns: Record<string, unknown[]> = {
    level: rows.map((r) => r.level),
    index: rows.map((r) => r.index),
    baseline_modal: rows.map((r) => r.baselineModal),
    baseline_modal_name: rows.map((r) => name(r.baselineModal)),
    compressed_modal: rows.map((r) => r.compressedModal),
    compressed_modal_name: rows.map((r) => name(r.compressedModal)),
    true_label: rows.map((r) => r.trueLabel),
    true_label_name: rows.map((r) => name(r.trueLabel)),
    baseline_agreement: rows.map((r) => r.baselineShare),
    compressed_agreement: rows.map((r) => r.compressedShare),
    baseline_correct: rows.map((r) => r.baselineCorrect),
    compressed_correct: rows.map((r) => r.compressedCorrect),
    kind: rows.map((r) => pieKind(r.baselineModal, r.compressedModal, r.trueLabel)),
  };
  const types: Record<string, unknown> = {
    level: text(),
    index: int32(),
    baseline_modal: int32(),
    baseline_modal_name: text(),
    compressed_modal: int32(),
    compressed_modal_name: text(),
    true_label: int32(),
    true_label_name: text(),
    baseline_agreement: float64(),
    compressed_agreement: float64(),
    baseline_correct: bool(),
    compressed_correct: bool(),
    kind: text(),
  };
  table.attributeNames.forEach((attribute, k) => {
    columns[pieAttributeColumn(attribute)] = rows.map((r) => r.attributes[k] ?? null);
    types[pieAttributeColumn(attribute)] = utf8();
  });
  // flechette's option types are loose JS; the column and type maps above are built to match them.
  const arrow = tableFromArrays(columns as Parameters<typeof tableFromArrays>[0], { types } as Parameters<typeof tableFromArrays>[1]);
  return tableToIPC(arrow, { format: 'file' }) as Uint8Array;
}
