import type { AuditReport, LevelReport, SubgroupErrorRow } from '../../schema/index.js';
import { formatCount, formatNumber, formatPercent, formatPp, formatPValue } from '../format.js';
import { classLabel, compressedLevels, okSection } from '../labels.js';
import { intervalText, levelSkipNotes } from './text.js';
import { cell, columns, type ViewCell, type ViewSection } from './types.js';

const OPEN_ROWS = 30;

/**
 * The larger of a group's FPR and FNR increases (null when neither is measured).
 *
 * @example
 * worstIncrease({ fprChange: 0.01, fnrChange: 0.05 }); // 0.05
 */
export function worstIncrease(r: Pick<SubgroupErrorRow, 'fprChange' | 'fnrChange'>): number | null {
  const v = [r.fprChange, r.fnrChange].filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? Math.max(...v) : null;
}

/**
 * Subgroup rows of every compressed level, the largest error-rate increase first.
 *
 * @example
 * subgroupRowsByEffect(report)[0]; // { level, row } with the largest FPR or FNR increase
 */
export function subgroupRowsByEffect(report: AuditReport): Array<{ level: LevelReport; row: SubgroupErrorRow }> {
  return compressedLevels(report)
    .flatMap((level) => (okSection(level.subgroups)?.rows ?? []).map((row) => ({ level, row })))
    .sort((a, b) => (worstIncrease(b.row) ?? -Infinity) - (worstIncrease(a.row) ?? -Infinity));
}

function changeCell(change: number | null, ci: readonly number[] | null): ViewCell {
  const text = change === null ? formatPp(null) : `${formatPp(change, 1)}${intervalText(ci, (v) => formatNumber(v * 100, 1))}`;
  return cell(text, change !== null && change > 0 ? 'hurt' : 'plain');
}

/**
 * The subgroup error-rate section (binary tasks): FPR and FNR of each group, baseline → compressed, the
 * largest increase first. Null when there are no compressed levels or no attributes (the attribute
 * section then says so once).
 *
 * @example
 * subgroupsView(report)?.title; // 'Subgroup error rates (positive class “1”)'
 */
export function subgroupsView(report: AuditReport): ViewSection | null {
  const levels = compressedLevels(report);
  if (!levels.length || !report.testSet.attributeNames.length) return null;
  const positive = levels.map((l) => okSection(l.subgroups)?.positiveClass).find((p) => p !== undefined);
  const rows = subgroupRowsByEffect(report).map(({ level, row: r }) => [
    cell(level.key),
    cell(r.attribute),
    cell(r.value),
    cell(formatCount(r.n)),
    cell(`${formatPercent(r.baselineFpr, 1)} → ${formatPercent(r.compressedFpr, 1)}`),
    changeCell(r.fprChange, r.fprChangeCi),
    cell(formatPValue(r.fprPValue)),
    cell(`${formatPercent(r.baselineFnr, 1)} → ${formatPercent(r.compressedFnr, 1)}`),
    changeCell(r.fnrChange, r.fnrChangeCi),
    cell(formatPValue(r.fnrPValue)),
  ]);
  const title = `Subgroup error rates${positive !== undefined ? ` (positive class “${classLabel(report, positive)}”)` : ''}`;
  const paragraphs = rows.length
    ? [
        "False positive / false negative rate, mean over each population's models: baseline → compressed, change in percentage points, " +
          'Welch p (uncorrected). Largest increase first.',
      ]
    : [];
  const table = {
    columns: columns('<Level', '<Attribute', '<Value', 'n', 'FPR', 'Δ FPR', 'p (FPR)', 'FNR', 'Δ FNR', 'p (FNR)'),
    rows,
    fold: { summary: `All ${rows.length} rows`, open: rows.length <= OPEN_ROWS },
  };
  return { id: 'subgroups', title, paragraphs, tables: rows.length ? [table] : [], notes: levelSkipNotes(levels, (l) => l.subgroups) };
}
