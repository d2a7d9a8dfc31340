import type { AuditReport, LevelReport } from '../schema/index.js';
import { classLabel, okSection } from './labels.js';
import type { PieTable } from './pie-table.js';
import { pieKind } from './view/exemplars.js';

/** A CSV cell before formatting. */
export type Cell = string | number | boolean | null;
/** A CSV row by column name. */
export type Row = Record<string, Cell>;

// JSON reports hold only finite numbers or null; this guards hand-edited input so no 'NaN' cell appears.
function num(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function reasonOf(section: { status: string } | null | undefined): string | null {
  if (!section || section.status === 'ok') return null;
  const reason = (section as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : null;
}

/**
 * The `levels.csv` row of one level.
 *
 * @example
 * levelRow(report, report.levels[1]).pie_rate; // 0.041
 */
export function levelRow(report: AuditReport, l: LevelReport): Row {
  const acc = okSection(l.accuracy);
  const p = okSection(l.pies);
  const onPies = okSection(l.baselineAccuracyOnPies);
  const ci = okSection(l.classImpact);
  const reasons = [reasonOf(l.accuracy), l.isBaseline ? null : reasonOf(l.pies), l.isBaseline ? null : reasonOf(l.classImpact)];
  return {
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
    spared_classes: ci ? ci.sparedClasses.map((c) => classLabel(report, c)).join(';') : null,
    class_impact_status: l.classImpact?.status ?? null,
    reason: reasons.filter((x) => x !== null).join('; ') || null,
  };
}

/**
 * The `classes.csv` rows of one level (none when its class tests were not run).
 *
 * @example
 * classRows(report, level).length; // number of classes
 */
export function classRows(report: AuditReport, l: LevelReport): Row[] {
  const p = okSection(l.pies);
  return (okSection(l.classImpact)?.rows ?? []).map((r) => ({
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
  }));
}

/**
 * The `attributes.csv` rows of one level.
 *
 * @example
 * attributeRows(level)[0].over_index; // 1.8
 */
export function attributeRows(l: LevelReport): Row[] {
  return (okSection(l.attributes)?.rows ?? []).map((r) => ({
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
  }));
}

/**
 * The `subgroups.csv` rows of one level.
 *
 * @example
 * subgroupRows(report, level)[0].fnr_change; // 0.02
 */
export function subgroupRows(report: AuditReport, l: LevelReport): Row[] {
  const sg = okSection(l.subgroups);
  return (sg?.rows ?? []).map((r) => ({
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
  }));
}

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
    : report.levels.flatMap((l) => (l.exemplars ?? []).map((e) => ({
        level: l.key, index: e.index, baselineModal: e.baselineModal, compressedModal: e.compressedModal, trueLabel: e.trueLabel,
        baselineShare: e.baselineAgreement, compressedShare: e.compressedAgreement, attributes: [] as Array<string | null>,
      })));
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
    names.forEach((name, k) => (row[pieAttributeColumn(name)] = e.attributes[k] ?? null));
    return row;
  });
}

/**
 * The `gates.csv` rows.
 *
 * @example
 * gateRows(report).map((g) => g.status); // ['pass', 'fail']
 */
export function gateRows(report: AuditReport): Row[] {
  return (report.gates?.results ?? []).map((g) => ({
    gate: g.gate,
    level: g.level,
    attribute: g.attribute,
    value: g.value,
    threshold: num(g.threshold),
    observed: num(g.observed),
    status: g.status,
    reason: g.reason,
  }));
}
