import { join } from 'node:path';
import { finiteOrNull } from '../schema/finite.js';
import { from } from 'arquero';
import type {
  AttributeOverIndexReportRow,
  AuditReport,
  ClassImpactReportRow,
  GateResult,
  LevelReport,
  PieNoiseFloorSummary,
  SubgroupErrorRow,
} from '../schema/index.js';
import { classLabel, okSection } from './labels.js';
import { PIE_COLUMNS, pieAttributeColumn, pieRows } from './csv-pie-rows.js';
import { pieTableOf, type PieTable } from './pie-table.js';
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

const ci = (name: string) => [`${name}_ci_low`, `${name}_ci_high`];
const NOISE_FLOOR_COLUMNS = [
  'noise_floor_status',
  'noise_floor_design',
  'noise_floor_method',
  'noise_floor_splits',
  'noise_floor_null_median',
  'noise_floor_null_p95',
  'excess_pies',
  'excess_pie_rate',
  'noise_floor_p',
  'noise_floor_min_achievable_p',
  'noise_floor_reason',
];

// Column order per table; also gives an empty table its header row. Interval columns follow their estimate.
const COLUMNS: Record<CsvTableName, string[]> = {
  'levels.csv': [
    'level',
    'is_baseline',
    'numeric_level',
    'population_size',
    'top1_mean',
    ...ci('top1_mean'),
    'top1_drop',
    ...ci('top1_drop'),
    'top1_sd',
    'top1_min',
    'top1_max',
    'top1_status',
    'mean_sparsity',
    'mean_gzipped_bytes',
    'pie_count',
    'pie_rate',
    ...ci('pie_rate'),
    'pie_status',
    ...NOISE_FLOOR_COLUMNS,
    'modal_ties',
    'modal_tie_rate',
    'baseline_acc_on_pies',
    'baseline_acc_on_non_pies',
    'baseline_modal_acc_on_pies',
    'baseline_modal_acc_on_non_pies',
    'compressed_acc_on_pies',
    'compressed_acc_on_non_pies',
    'compressed_modal_correct_on_pies',
    'control_size',
    'control_baseline_acc',
    'control_compressed_acc',
    'top5_mean',
    'taxicab_mean_distance',
    'taxicab_top_n',
    'taxicab_pies_in_top_n',
    'taxicab_pie_share',
    'hurt_classes',
    'spared_classes',
    'class_impact_status',
    'reason',
  ],
  'classes.csv': [
    'level',
    'class_index',
    'class_name',
    'support',
    'pies_by_true_class',
    'baseline_recall',
    'compressed_recall',
    'raw_recall_change',
    ...ci('raw_recall_change'),
    'baseline_normalized_recall',
    'compressed_normalized_recall',
    'normalized_recall_change',
    ...ci('normalized_recall_change'),
    't',
    'df',
    'p_value',
    'adjusted_p_value',
    'significant',
    'direction',
    'status',
    'reason',
  ],
  'attributes.csv': [
    'level',
    'attribute',
    'value',
    'count_in_test_set',
    'share_in_test_set',
    'count_in_pies',
    'share_in_pies',
    'over_index',
    ...ci('over_index'),
    'p_value',
    'adjusted_p_value',
    'significant',
  ],
  'subgroups.csv': [
    'level',
    'positive_class',
    'attribute',
    'value',
    'n',
    'positives',
    'negatives',
    'baseline_fpr',
    ...ci('baseline_fpr'),
    'compressed_fpr',
    ...ci('compressed_fpr'),
    'fpr_change',
    ...ci('fpr_change'),
    'fpr_p_value',
    'rest_fpr_change',
    'fpr_gap',
    ...ci('fpr_gap'),
    'baseline_fnr',
    ...ci('baseline_fnr'),
    'compressed_fnr',
    ...ci('compressed_fnr'),
    'fnr_change',
    ...ci('fnr_change'),
    'fnr_p_value',
    'rest_fnr_change',
    'fnr_gap',
    ...ci('fnr_gap'),
  ],
  // One more column per attribute when the full PIE table is given (see csv-pie-rows.ts).
  'pies.csv': PIE_COLUMNS,
  'gates.csv': [
    'gate',
    'level',
    'attribute',
    'value',
    'threshold',
    'observed',
    'interval_low',
    'interval_high',
    'status',
    'waived',
    'reason',
  ],
};

// JSON reports hold only finite numbers or null; this guards hand-edited input so no 'NaN' cell appears.
const num = finiteOrNull;

/** The two cells of an interval column pair (empty when there is no interval). */
function ciCells(name: string, interval: readonly number[] | null | undefined): Row {
  return { [`${name}_ci_low`]: num(interval?.[0]), [`${name}_ci_high`]: num(interval?.[1]) };
}

// The one formatter every CSV cell goes through (arquero's toCSV quoting).
function toCsv(name: CsvTableName, rows: Row[], extraColumns: readonly string[] = []): string {
  const names = [...COLUMNS[name], ...extraColumns];
  // arquero's from() needs the names list so a table without rows still gets its header.
  const cell = (v: Cell | undefined): Cell => (typeof v === 'string' ? neutraliseCsvCell(v) : (v ?? null));
  return from(
    rows.map((r) => Object.fromEntries(names.map((c) => [c, cell(r[c])]))),
    names,
  ).toCSV();
}

function reasonOf(section: { status: string } | null | undefined): string | null {
  if (!section || section.status === 'ok') return null;
  const reason = (section as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : null;
}

/** The noise-floor cells of a level (empty for the baseline, or a report from before the noise floor). */
function noiseFloorCells(floor: PieNoiseFloorSummary | undefined): Row {
  if (!floor) return {};
  return {
    noise_floor_status: floor.status,
    noise_floor_design: floor.design,
    noise_floor_method: floor.method,
    noise_floor_splits: num(floor.splits),
    noise_floor_null_median: num(floor.nullMedian),
    noise_floor_null_p95: num(floor.nullP95),
    excess_pies: num(floor.excess),
    excess_pie_rate: num(floor.excessRate),
    noise_floor_p: num(floor.p),
    noise_floor_min_achievable_p: num(floor.minAchievableP),
    noise_floor_reason: floor.reason,
  };
}

function levelRow(report: AuditReport, l: LevelReport): Row {
  const acc = okSection(l.accuracy);
  const p = okSection(l.pies);
  const onPies = okSection(l.baselineAccuracyOnPies);
  const impact = okSection(l.classImpact);
  return {
    level: l.key,
    is_baseline: l.isBaseline,
    numeric_level: num(l.numericLevel),
    population_size: num(l.populationSize),
    top1_mean: num(acc?.mean),
    ...ciCells('top1_mean', acc?.ci),
    top1_drop: num(acc?.top1Drop),
    ...ciCells('top1_drop', acc?.top1DropCi),
    top1_sd: num(acc?.sd),
    top1_min: num(acc?.min),
    top1_max: num(acc?.max),
    top1_status: l.accuracy?.status ?? null,
    mean_sparsity: num(l.meanSparsity),
    mean_gzipped_bytes: num(l.meanGzippedBytes),
    mean_stored_weight_bytes: num(l.meanStoredWeightBytes),
    pie_count: num(p?.count),
    pie_rate: num(p?.rate),
    ...ciCells('pie_rate', p?.rateCi),
    pie_status: l.pies?.status ?? null,
    ...noiseFloorCells(p?.permutation),
    modal_ties: num(l.modalTies?.count),
    modal_tie_rate: num(l.modalTies?.rate),
    baseline_acc_on_pies: num(onPies?.onPies),
    baseline_acc_on_non_pies: num(onPies?.onNonPies),
    baseline_modal_acc_on_pies: num(onPies?.modalOnPies),
    baseline_modal_acc_on_non_pies: num(onPies?.modalOnNonPies),
    compressed_acc_on_pies: num(onPies?.compressedOnPies),
    compressed_acc_on_non_pies: num(onPies?.compressedOnNonPies),
    compressed_modal_correct_on_pies: num(onPies?.compressedModalCorrectOnPies),
    control_size: num(onPies?.control?.size),
    control_baseline_acc: num(onPies?.control?.baselineOnSubset),
    control_compressed_acc: num(onPies?.control?.compressedOnSubset),
    top5_mean: num(okSection(l.topK)?.mean),
    taxicab_mean_distance: num(okSection(l.taxicab)?.meanDistance),
    taxicab_top_n: num(okSection(l.taxicab)?.topN),
    taxicab_pies_in_top_n: num(okSection(l.taxicab)?.nPIEsInTopN),
    taxicab_pie_share: num(okSection(l.taxicab)?.pieShareInTopN),
    hurt_classes: impact ? impact.hurtClasses.map((c) => classLabel(report, c)).join(';') : null,
    spared_classes: impact ? impact.sparedClasses.map((c) => classLabel(report, c)).join(';') : null,
    class_impact_status: l.classImpact?.status ?? null,
    reason:
      [reasonOf(l.accuracy), l.isBaseline ? null : reasonOf(l.pies), l.isBaseline ? null : reasonOf(l.classImpact)]
        .filter((x) => x !== null)
        .join('; ') || null,
  };
}

function classRow(report: AuditReport, l: LevelReport, r: ClassImpactReportRow): Row {
  return {
    level: l.key,
    class_index: r.classIndex,
    class_name: r.className || classLabel(report, r.classIndex),
    support: num(r.support),
    pies_by_true_class: num(okSection(l.pies)?.byTrueClass?.[r.classIndex]),
    baseline_recall: num(r.baselineMeanRecall),
    compressed_recall: num(r.compressedMeanRecall),
    raw_recall_change: num(r.rawRecallChange),
    ...ciCells('raw_recall_change', r.rawRecallChangeCi),
    baseline_normalized_recall: num(r.baselineNormalizedRecall),
    compressed_normalized_recall: num(r.compressedNormalizedRecall),
    normalized_recall_change: num(r.normalizedRecallChange),
    ...ciCells('normalized_recall_change', r.normalizedRecallChangeCi),
    t: num(r.t),
    df: num(r.df),
    p_value: num(r.p),
    adjusted_p_value: num(r.pAdjusted),
    significant: r.significant,
    direction: r.direction,
    status: r.status,
    reason: r.reason,
  };
}

function attributeRow(l: LevelReport, r: AttributeOverIndexReportRow): Row {
  return {
    level: l.key,
    attribute: r.attribute,
    value: r.value,
    count_in_test_set: num(r.countOverall),
    share_in_test_set: num(r.shareOverall),
    count_in_pies: num(r.countAmongPIEs),
    share_in_pies: num(r.shareAmongPIEs),
    over_index: num(r.overIndexRatio),
    ...ciCells('over_index', r.overIndexRatioCi),
    p_value: num(r.p),
    adjusted_p_value: num(r.pAdjusted),
    significant: typeof r.significant === 'boolean' ? r.significant : null,
  };
}

function subgroupRow(report: AuditReport, l: LevelReport, positiveClass: number, r: SubgroupErrorRow): Row {
  return {
    level: l.key,
    positive_class: classLabel(report, positiveClass),
    attribute: r.attribute,
    value: r.value,
    n: num(r.n),
    positives: num(r.positives),
    negatives: num(r.negatives),
    baseline_fpr: num(r.baselineFpr),
    ...ciCells('baseline_fpr', r.baselineFprCi),
    compressed_fpr: num(r.compressedFpr),
    ...ciCells('compressed_fpr', r.compressedFprCi),
    fpr_change: num(r.fprChange),
    ...ciCells('fpr_change', r.fprChangeCi),
    fpr_p_value: num(r.fprPValue),
    rest_fpr_change: num(r.restFprChange),
    fpr_gap: num(r.fprGap),
    ...ciCells('fpr_gap', r.fprGapCi),
    baseline_fnr: num(r.baselineFnr),
    ...ciCells('baseline_fnr', r.baselineFnrCi),
    compressed_fnr: num(r.compressedFnr),
    ...ciCells('compressed_fnr', r.compressedFnrCi),
    fnr_change: num(r.fnrChange),
    ...ciCells('fnr_change', r.fnrChangeCi),
    fnr_p_value: num(r.fnrPValue),
    rest_fnr_change: num(r.restFnrChange),
    fnr_gap: num(r.fnrGap),
    ...ciCells('fnr_gap', r.fnrGapCi),
  };
}

function gateRow(g: GateResult): Row {
  return {
    gate: g.gate,
    level: g.level,
    attribute: g.attribute,
    value: g.value,
    threshold: num(g.threshold),
    observed: num(g.observed),
    interval_low: num(g.interval?.[0]),
    interval_high: num(g.interval?.[1]),
    status: g.status,
    waived: g.waived ?? false,
    reason: g.reason,
  };
}

/**
 * Flattens an {@link AuditReport} into tidy CSV tables (one row per level, class, attribute value,
 * subgroup, PIE and gate check), built with arquero. `pies.csv` lists every PIE of every level when the full
 * PIE table is given or attached to the report by the audit (see `attachPieTable`), with its kind and one
 * `attribute:<name>` column per attribute; a report read back from report.json has only its exemplars. Missing values are empty cells;
 * rates are fractions in 0..1; class columns carry both index and name; each estimate with an interval is
 * followed by its `<name>_ci_low` / `<name>_ci_high` columns (empty when intervals are off).
 *
 * @returns file name -> CSV text, for `levels.csv`, `classes.csv`, `attributes.csv`,
 *   `subgroups.csv`, `pies.csv`, `gates.csv` (each with a header row even when empty).
 * @example
 * const tables = renderCsvTables(report);
 * console.log(tables['classes.csv']);
 */
export function renderCsvTables(report: AuditReport, pieTable: PieTable | null = pieTableOf(report)): Record<CsvTableName, string> {
  const levels = report.levels.map((l) => levelRow(report, l));
  const classes = report.levels.flatMap((l) => (okSection(l.classImpact)?.rows ?? []).map((r) => classRow(report, l, r)));
  const attributes = report.levels.flatMap((l) => (okSection(l.attributes)?.rows ?? []).map((r) => attributeRow(l, r)));
  const subgroups = report.levels.flatMap((l) => {
    const sg = okSection(l.subgroups);
    return sg ? sg.rows.map((r) => subgroupRow(report, l, sg.positiveClass, r)) : [];
  });
  const pies = pieRows(report, pieTable);
  return {
    'levels.csv': toCsv('levels.csv', levels),
    'classes.csv': toCsv('classes.csv', classes),
    'attributes.csv': toCsv('attributes.csv', attributes),
    'subgroups.csv': toCsv('subgroups.csv', subgroups),
    'pies.csv': toCsv('pies.csv', pies, (pieTable?.attributeNames ?? []).map(pieAttributeColumn)),
    'gates.csv': toCsv('gates.csv', (report.gates?.results ?? []).map(gateRow)),
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
