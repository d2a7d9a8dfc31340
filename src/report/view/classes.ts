import type { AuditReport, ClassImpactReportRow, ClassImpactSummary, LevelReport } from '../../schema/index.js';
import { formatNumber, formatPercent, formatPp, formatPValue, formatValue } from '../format.js';
import { compressedLevels, correctionText, okSection } from '../labels.js';
import { intervalText, levelSkipNotes, quotedClass } from './text.js';
import { cell, columns, type ViewCell, type ViewSection, type ViewTable } from './types.js';

/** Most inconclusive classes named per level in a note. */
const MAX_NAMED = 12;
/** Most significant classes a short format lists (all are in report.html and classes.csv). */
export const MAX_CLASS_ROWS = 25;

/** What the direction words mean, shown as the cell's explanation. */
export const DIRECTION_TEXT = {
  hurt: 'lost more recall than the model as a whole',
  spared: 'lost less recall than the model as a whole (its recall may still have fallen)',
} as const;

/**
 * Rows in order of effect: the largest normalised loss first, gains last, untested rows at the end.
 *
 * @example
 * byEffect(rows)[0]; // the most hurt class
 */
export function byEffect(rows: readonly ClassImpactReportRow[]): ClassImpactReportRow[] {
  const key = (r: ClassImpactReportRow): number =>
    r.status === 'ok' && r.normalizedRecallChange !== null ? r.normalizedRecallChange : Infinity;
  return [...rows].sort((a, b) => key(a) - key(b) || a.classIndex - b.classIndex);
}

/**
 * `-4.10 pp [-5.02, -3.18]`: a normalised change with its bootstrap interval when the report has one.
 *
 * @example
 * changeText(row); // '-4.10 pp'
 */
export function changeText(row: ClassImpactReportRow): string {
  if (row.normalizedRecallChange === null) return formatPp(null);
  return `${formatPp(row.normalizedRecallChange)}${intervalText(row.normalizedRecallChangeCi, (v) => formatNumber(v * 100, 2))}`;
}

function directionCell(r: ClassImpactReportRow): ViewCell {
  if (r.status === 'inconclusive') return cell('inconclusive', 'skip', r.reason ?? undefined);
  if (r.direction === 'hurt' || r.direction === 'spared') return cell(r.direction, r.direction, DIRECTION_TEXT[r.direction]);
  return cell('no change', 'muted', 'not significantly different from the change of the model as a whole');
}

function rowCells(report: AuditReport, r: ClassImpactReportRow, corrected: boolean): ViewCell[] {
  return [
    cell(quotedClass(report, r.classIndex)),
    directionCell(r),
    cell(changeText(r)),
    cell(`${formatPercent(r.baselineMeanRecall, 1)} → ${formatPercent(r.compressedMeanRecall, 1)}`),
    cell(formatNumber(r.t, 2)),
    cell(formatNumber(r.df, 1)),
    cell(formatPValue(r.p)),
    ...(corrected ? [cell(formatPValue(r.pAdjusted))] : []),
  ];
}

function headers(withLevel: boolean, corrected: boolean, withNote: boolean): ReturnType<typeof columns> {
  return columns(
    ...(withLevel ? ['<Level'] : []),
    '<Class',
    '<Direction',
    'Δ normalised recall [95% CI]',
    'Recall (baseline → compressed)',
    't',
    'df',
    'p',
    ...(corrected ? ['adjusted p'] : []),
    ...(withNote ? ['<Note'] : []),
  );
}

function levelDetail(report: AuditReport, l: LevelReport, ci: ClassImpactSummary): ViewTable {
  const corrected = ci.correction !== 'none';
  return {
    columns: headers(false, corrected, true),
    rows: byEffect(ci.rows).map((r) => [...rowCells(report, r, corrected), cell(r.reason ?? '', 'muted')]),
    fold: {
      summary: `All classes at level ${l.key} (α = ${formatValue(ci.alpha)}, ${correctionText(ci.correction)}${familyText(ci)})`,
      open: false,
    },
  };
}

/** With no correction: the family size and the false positives expected at alpha when nothing changed. */
function familyText(ci: ClassImpactSummary): string {
  if (ci.expectedFalsePositives == null || ci.familySize === undefined) return '';
  return `; ${ci.familySize} tests, ${formatValue(ci.expectedFalsePositives)} false positives expected at α`;
}

function inconclusiveNote(report: AuditReport, l: LevelReport, ci: ClassImpactSummary): string | null {
  const rows = ci.rows.filter((r) => r.status === 'inconclusive');
  if (!rows.length) return null;
  const named = rows.slice(0, MAX_NAMED).map((r) => `class ${quotedClass(report, r.classIndex)} (${r.reason ?? 'no reason given'})`);
  const more = rows.length > MAX_NAMED ? `; and ${rows.length - MAX_NAMED} more (see classes.csv)` : '';
  return `Level ${l.key}, inconclusive: ${named.join('; ')}${more}`;
}

/**
 * The "classes hurt or spared" section: the significant classes of every compressed level in order of
 * effect (largest loss first), notes on levels without results and on untested classes, and one folded
 * table per level with every class. The adjusted-p column appears only when a correction ran.
 *
 * @example
 * const section = classesView(report); // section.tables[0].rows[0]: the most hurt class
 */
export function classesView(report: AuditReport): ViewSection | null {
  const levels = compressedLevels(report);
  if (!levels.length) return null;
  const tested = levels
    .map((l) => ({ l, ci: okSection(l.classImpact) }))
    .filter((x): x is { l: LevelReport; ci: ClassImpactSummary & { status: 'ok' } } => x.ci !== null);
  const corrected = tested.some((x) => x.ci.correction !== 'none');
  // One table for all levels, the largest normalised loss first whatever its level.
  const change = (r: ClassImpactReportRow): number => r.normalizedRecallChange ?? 0;
  const significant = tested
    .flatMap(({ l, ci }) => byEffect(ci.rows.filter((r) => r.significant && r.status === 'ok')).map((r) => ({ l, r })))
    .sort((a, b) => change(a.r) - change(b.r));
  const notes = [...levelSkipNotes(levels, (l) => l.classImpact)];
  for (const { l, ci } of tested) {
    if (!ci.rows.some((r) => r.significant && r.status === 'ok')) notes.push(`Level ${l.key}: no class significantly hurt or spared.`);
    const note = inconclusiveNote(report, l, ci);
    if (note) notes.push(note);
  }
  const tables: ViewTable[] = [];
  if (significant.length) {
    tables.push({
      columns: headers(true, corrected, false),
      rows: significant.map(({ l, r }) => [cell(l.key), ...rowCells(report, r, corrected)]),
      shortLimit: MAX_CLASS_ROWS,
      moreIn: 'report.html and classes.csv',
    });
  }
  tables.push(...tested.map(({ l, ci }) => levelDetail(report, l, ci)));
  const paragraphs = [
    "Welch t-test per class of normalised recall (class recall minus the population's mean top-1 accuracy, per model), compressed vs " +
      'baseline. Δ is in percentage points: hurt means the class lost more recall than the model as a whole; spared means it lost less ' +
      '(its raw recall may still have fallen).',
  ];
  if (!significant.length) paragraphs.push('No class was significantly hurt or spared at any level.');
  return { id: 'classes', title: 'Classes hurt or spared', paragraphs, tables, notes };
}
