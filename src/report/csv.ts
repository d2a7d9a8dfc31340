import { join } from 'node:path';
import { from } from 'arquero';
import type { AuditReport } from '../schema/index.js';
import { classLabel, okSection } from './labels.js';
import { neutraliseCsvCell } from './neutralise-csv-cell.js';
import { writeFilesAtomic } from './write-atomic.js';

type Cell = string | number | boolean | null;
type Row = Record<string, Cell>;

/**
 * Names of the CSV files {@link renderCsvTables} produces.
 *
 * @example
 * for (const name of CSV_TABLE_NAMES) console.log(tables[name]);
 */
export const CSV_TABLE_NAMES = ['levels.csv', 'classes.csv', 'attributes.csv', 'subgroups.csv', 'pies.csv', 'gates.csv'] as const;
export type CsvTableName = (typeof CSV_TABLE_NAMES)[number];

// Column order per table; also gives an empty table its header row.
const COLUMNS: Record<CsvTableName, string[]> = {
  'levels.csv': ['level', 'is_baseline', 'numeric_level', 'population_size', 'top1_mean', 'top1_sd', 'top1_min', 'top1_max', 'top1_status', 'mean_sparsity', 'mean_gzipped_bytes', 'pie_count', 'pie_rate', 'pie_status', 'modal_ties', 'modal_tie_rate', 'baseline_acc_on_pies', 'baseline_acc_on_non_pies', 'baseline_modal_acc_on_pies', 'baseline_modal_acc_on_non_pies', 'hurt_classes', 'helped_classes', 'class_impact_status', 'reason'],
  'classes.csv': ['level', 'class_index', 'class_name', 'support', 'pies_by_true_class', 'baseline_recall', 'compressed_recall', 'baseline_normalized_recall', 'compressed_normalized_recall', 'normalized_recall_change', 't', 'df', 'p_value', 'adjusted_p_value', 'significant', 'direction', 'status', 'reason'],
  'attributes.csv': ['level', 'attribute', 'value', 'count_in_test_set', 'share_in_test_set', 'count_in_pies', 'share_in_pies', 'over_index', 'p_value', 'adjusted_p_value', 'significant'],
  'subgroups.csv': ['level', 'positive_class', 'attribute', 'value', 'n', 'positives', 'negatives', 'baseline_fpr', 'compressed_fpr', 'fpr_change', 'fpr_p_value', 'baseline_fnr', 'compressed_fnr', 'fnr_change', 'fnr_p_value'],
  'pies.csv': ['level', 'index', 'baseline_modal', 'baseline_modal_name', 'compressed_modal', 'compressed_modal_name', 'true_label', 'true_label_name', 'baseline_agreement', 'compressed_agreement'],
  'gates.csv': ['gate', 'level', 'attribute', 'value', 'threshold', 'observed', 'status', 'reason'],
};

// JSON reports hold only finite numbers or null; this guards hand-edited input so no 'NaN' cell appears.
function num(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function toCsv(name: CsvTableName, rows: Row[]): string {
  const names = COLUMNS[name];
  // arquero's from() needs the names list so a table without rows still gets its header.
  const cell = (v: Cell | undefined): Cell => (typeof v === 'string' ? neutraliseCsvCell(v) : (v ?? null));
  return from(rows.map((r) => Object.fromEntries(names.map((c) => [c, cell(r[c])]))), names).toCSV();
}

function reasonOf(section: { status: string } | null | undefined): string | null {
  if (!section || section.status === 'ok') return null;
  const reason = (section as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : null;
}

/**
 * Flattens an {@link AuditReport} into tidy CSV tables (one row per level, class, attribute value,
 * subgroup, PIE exemplar and gate check), built with arquero. Missing values are empty cells;
 * rates are fractions in 0..1; class columns carry both index and name.
 *
 * @returns file name -> CSV text, for `levels.csv`, `classes.csv`, `attributes.csv`,
 *   `subgroups.csv`, `pies.csv`, `gates.csv` (each with a header row even when empty).
 * @example
 * const tables = renderCsvTables(report);
 * console.log(tables['classes.csv']);
 */
export function renderCsvTables(report: AuditReport): Record<CsvTableName, string> {
  const levels: Row[] = [];
  const classes: Row[] = [];
  const attributes: Row[] = [];
  const subgroups: Row[] = [];
  const pies: Row[] = [];
  for (const l of report.levels) {
    const acc = okSection(l.accuracy);
    const p = okSection(l.pies);
    const onPies = okSection(l.baselineAccuracyOnPies);
    const ci = okSection(l.classImpact);
    levels.push({
      level: l.key,
      is_baseline: l.isBaseline,
      numeric_level: num(l.numericLevel),
      population_size: num(l.populationSize),
      top1_mean: num(acc?.mean),
      top1_sd: num(acc?.sd),
      top1_min: num(acc?.min),
      top1_max: num(acc?.max),
      top1_status: l.accuracy?.status ?? null,
      mean_sparsity: num(l.meanSparsity),
      mean_gzipped_bytes: num(l.meanGzippedBytes),
      pie_count: num(p?.count),
      pie_rate: num(p?.rate),
      pie_status: l.pies?.status ?? null,
      modal_ties: num(l.modalTies?.count),
      modal_tie_rate: num(l.modalTies?.rate),
      baseline_acc_on_pies: num(onPies?.onPies),
      baseline_acc_on_non_pies: num(onPies?.onNonPies),
      baseline_modal_acc_on_pies: num(onPies?.modalOnPies),
      baseline_modal_acc_on_non_pies: num(onPies?.modalOnNonPies),
      hurt_classes: ci ? ci.hurtClasses.map((c) => classLabel(report, c)).join(';') : null,
      helped_classes: ci ? ci.helpedClasses.map((c) => classLabel(report, c)).join(';') : null,
      class_impact_status: l.classImpact?.status ?? null,
      reason: [reasonOf(l.accuracy), l.isBaseline ? null : reasonOf(l.pies), l.isBaseline ? null : reasonOf(l.classImpact)].filter((x) => x !== null).join('; ') || null,
    });
    if (ci) {
      for (const r of ci.rows) {
        classes.push({
          level: l.key,
          class_index: r.classIndex,
          class_name: r.className || classLabel(report, r.classIndex),
          support: num(r.support),
          pies_by_true_class: num(p?.byTrueClass?.[r.classIndex]),
          baseline_recall: num(r.baselineMeanRecall),
          compressed_recall: num(r.compressedMeanRecall),
          baseline_normalized_recall: num(r.baselineNormalizedRecall),
          compressed_normalized_recall: num(r.compressedNormalizedRecall),
          normalized_recall_change: num(r.normalizedRecallChange),
          t: num(r.t),
          df: num(r.df),
          p_value: num(r.p),
          adjusted_p_value: num(r.pAdjusted),
          significant: r.significant,
          direction: r.direction,
          status: r.status,
          reason: r.reason,
        });
      }
    }
    for (const r of okSection(l.attributes)?.rows ?? []) {
      attributes.push({
        level: l.key,
        attribute: r.attribute,
        value: r.value,
        count_in_test_set: num(r.countOverall),
        share_in_test_set: num(r.shareOverall),
        count_in_pies: num(r.countAmongPIEs),
        share_in_pies: num(r.shareAmongPIEs),
        over_index: num(r.overIndexRatio),
        p_value: num(r.p),
        adjusted_p_value: num(r.pAdjusted),
        significant: typeof r.significant === 'boolean' ? r.significant : null,
      });
    }
    const sg = okSection(l.subgroups);
    for (const r of sg?.rows ?? []) {
      subgroups.push({
        level: l.key,
        positive_class: sg ? classLabel(report, sg.positiveClass) : null,
        attribute: r.attribute,
        value: r.value,
        n: num(r.n),
        positives: num(r.positives),
        negatives: num(r.negatives),
        baseline_fpr: num(r.baselineFpr),
        compressed_fpr: num(r.compressedFpr),
        fpr_change: num(r.fprChange),
        fpr_p_value: num(r.fprPValue),
        baseline_fnr: num(r.baselineFnr),
        compressed_fnr: num(r.compressedFnr),
        fnr_change: num(r.fnrChange),
        fnr_p_value: num(r.fnrPValue),
      });
    }
    for (const e of l.exemplars ?? []) {
      pies.push({
        level: l.key,
        index: num(e.index),
        baseline_modal: num(e.baselineModal),
        baseline_modal_name: classLabel(report, e.baselineModal),
        compressed_modal: num(e.compressedModal),
        compressed_modal_name: classLabel(report, e.compressedModal),
        true_label: num(e.trueLabel),
        true_label_name: e.trueLabel === null ? null : classLabel(report, e.trueLabel),
        baseline_agreement: num(e.baselineAgreement),
        compressed_agreement: num(e.compressedAgreement),
      });
    }
  }
  const gates: Row[] = (report.gates?.results ?? []).map((g) => ({
    gate: g.gate,
    level: g.level,
    attribute: g.attribute,
    value: g.value,
    threshold: num(g.threshold),
    observed: num(g.observed),
    status: g.status,
    reason: g.reason,
  }));
  return {
    'levels.csv': toCsv('levels.csv', levels),
    'classes.csv': toCsv('classes.csv', classes),
    'attributes.csv': toCsv('attributes.csv', attributes),
    'subgroups.csv': toCsv('subgroups.csv', subgroups),
    'pies.csv': toCsv('pies.csv', pies),
    'gates.csv': toCsv('gates.csv', gates),
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
