import { join } from 'node:path';
import { from } from 'arquero';
import type { AuditReport } from '../schema/index.js';
import { attributeRows, classRows, gateRows, levelRow, pieAttributeColumn, pieRows, subgroupRows, type Row } from './csv-rows.js';
import { pieTableOf, type PieTable } from './pie-table.js';
import { writeFilesAtomic } from './write-atomic.js';

/**
 * Names of the CSV files {@link renderCsvTables} produces.
 *
 * @example
 * for (const name of CSV_TABLE_NAMES) console.log(tables[name]);
 */
export const CSV_TABLE_NAMES = ['levels.csv', 'classes.csv', 'attributes.csv', 'subgroups.csv', 'pies.csv', 'gates.csv'] as const;
export type CsvTableName = (typeof CSV_TABLE_NAMES)[number];

// Column order per table; also gives an empty table its header row. pies.csv adds one column per attribute.
const COLUMNS: Record<CsvTableName, string[]> = {
  'levels.csv': ['level', 'is_baseline', 'numeric_level', 'population_size', 'top1_mean', 'top1_sd', 'top1_min', 'top1_max', 'top1_status',
    'mean_sparsity', 'mean_gzipped_bytes', 'pie_count', 'pie_rate', 'pie_status', 'modal_ties', 'modal_tie_rate', 'baseline_acc_on_pies',
    'baseline_acc_on_non_pies', 'baseline_modal_acc_on_pies', 'baseline_modal_acc_on_non_pies', 'hurt_classes', 'spared_classes',
    'class_impact_status', 'reason'],
  'classes.csv': ['level', 'class_index', 'class_name', 'support', 'pies_by_true_class', 'baseline_recall', 'compressed_recall',
    'baseline_normalized_recall', 'compressed_normalized_recall', 'normalized_recall_change', 't', 'df', 'p_value', 'adjusted_p_value',
    'significant', 'direction', 'status', 'reason'],
  'attributes.csv': ['level', 'attribute', 'value', 'count_in_test_set', 'share_in_test_set', 'count_in_pies', 'share_in_pies', 'over_index',
    'p_value', 'adjusted_p_value', 'significant'],
  'subgroups.csv': ['level', 'positive_class', 'attribute', 'value', 'n', 'positives', 'negatives', 'baseline_fpr', 'compressed_fpr', 'fpr_change',
    'fpr_p_value', 'baseline_fnr', 'compressed_fnr', 'fnr_change', 'fnr_p_value'],
  'pies.csv': ['level', 'index', 'baseline_modal', 'baseline_modal_name', 'compressed_modal', 'compressed_modal_name', 'true_label',
    'true_label_name', 'baseline_agreement', 'compressed_agreement', 'baseline_correct', 'compressed_correct', 'kind'],
  'gates.csv': ['gate', 'level', 'attribute', 'value', 'threshold', 'observed', 'status', 'reason'],
};

// The one formatter every CSV cell goes through (arquero's toCSV quoting).
function toCsv(names: string[], rows: Row[]): string {
  // arquero's from() needs the names list so a table without rows still gets its header.
  return from(rows.map((r) => Object.fromEntries(names.map((c) => [c, r[c] ?? null]))), names).toCSV();
}

/**
 * Flattens an {@link AuditReport} into tidy CSV tables (one row per level, class, attribute value,
 * subgroup, PIE and gate check), built with arquero. Missing values are empty cells; rates are fractions
 * in 0..1; class columns carry both index and name. `pies.csv` lists every PIE of every level when the
 * full PIE table is given or attached to the report by the audit (see `attachPieTable`), with one
 * `attribute:<name>` column per attribute; a report read back from report.json has only its exemplars.
 *
 * @returns file name -> CSV text, for `levels.csv`, `classes.csv`, `attributes.csv`,
 *   `subgroups.csv`, `pies.csv`, `gates.csv` (each with a header row even when empty).
 * @example
 * const tables = renderCsvTables(report);
 * console.log(tables['classes.csv']);
 */
export function renderCsvTables(report: AuditReport, pies: PieTable | null = pieTableOf(report)): Record<CsvTableName, string> {
  const levels = report.levels;
  const pieColumns = [...COLUMNS['pies.csv'], ...(pies?.attributeNames ?? []).map(pieAttributeColumn)];
  return {
    'levels.csv': toCsv(COLUMNS['levels.csv'], levels.map((l) => levelRow(report, l))),
    'classes.csv': toCsv(COLUMNS['classes.csv'], levels.flatMap((l) => classRows(report, l))),
    'attributes.csv': toCsv(COLUMNS['attributes.csv'], levels.flatMap((l) => attributeRows(l))),
    'subgroups.csv': toCsv(COLUMNS['subgroups.csv'], levels.flatMap((l) => subgroupRows(report, l))),
    'pies.csv': toCsv(pieColumns, pieRows(report, pies)),
    'gates.csv': toCsv(COLUMNS['gates.csv'], gateRows(report)),
  };
}

/**
 * Writes the tables of {@link renderCsvTables} into `dir` (created if needed), each file
 * atomically (temp file in the same folder, then rename).
 *
 * @returns the paths written.
 * @example
 * await writeCsvTables(report, 'audit-out'); // audit-out/levels.csv, audit-out/classes.csv, ...
 */
export async function writeCsvTables(report: AuditReport, dir: string): Promise<string[]> {
  const tables = renderCsvTables(report);
  await writeFilesAtomic(dir, tables);
  return Object.keys(tables).map((name) => join(dir, name));
}
