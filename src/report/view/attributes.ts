import type { AttributeOverIndexReportRow, AuditReport, LevelReport } from '../../schema/index.js';
import { formatCount, formatNumber, formatPercent, formatPValue, MISSING } from '../format.js';
import { compressedLevels, okSection } from '../labels.js';
import { intervalText, levelSkipNotes } from './text.js';
import { cell, columns, type ViewSection } from './types.js';

/** Tables up to this many rows are shown open. */
const OPEN_ROWS = 30;

/** Significant over-representation first, then by how far the ratio is above parity. */
function effectKey(r: AttributeOverIndexReportRow): number {
  const ratio = r.overIndexRatio ?? -Infinity;
  return (r.significant && ratio > 1 ? 1e9 : 0) + ratio;
}

/**
 * `2.10× [1.40, 3.05]`: an over-index ratio with its interval when the report has one.
 *
 * @example
 * ratioText(row); // '2.10×'
 */
export function ratioText(r: AttributeOverIndexReportRow): string {
  if (r.overIndexRatio === null || !Number.isFinite(r.overIndexRatio)) return MISSING;
  return `${formatNumber(r.overIndexRatio, 2)}×${intervalText(r.overIndexRatioCi, (v) => formatNumber(v, 2))}`;
}

/**
 * The attribute rows of every compressed level that has them, in order of effect.
 *
 * @example
 * attributeRowsByEffect(report)[0]; // { level, row } most over-represented among PIEs
 */
export function attributeRowsByEffect(report: AuditReport): Array<{ level: LevelReport; row: AttributeOverIndexReportRow }> {
  return compressedLevels(report)
    .flatMap((level) => (okSection(level.attributes)?.rows ?? []).map((row) => ({ level, row })))
    .sort((a, b) => effectKey(b.row) - effectKey(a.row));
}

/**
 * The attribute over-indexing section: every attribute value of every compressed level, the significant
 * over-representations first; when no attributes were given, one note saying so (not one per level).
 *
 * @example
 * attributesView(report)?.tables[0].rows[0]; // the most over-indexed value
 */
export function attributesView(report: AuditReport): ViewSection | null {
  const levels = compressedLevels(report);
  if (!levels.length) return null;
  const base = { id: 'attributes', title: 'Attribute over-indexing among PIEs', tables: [] };
  if (!report.testSet.attributeNames.length) {
    return { ...base, paragraphs: [], notes: ['Not audited: no group attributes were given (testSet.attributes).'] };
  }
  const rows = attributeRowsByEffect(report).map(({ level, row: r }) => [
    cell(level.key),
    cell(r.attribute),
    cell(r.value),
    cell(`${formatPercent(r.shareAmongPIEs, 1)} (${formatCount(r.countAmongPIEs)})`),
    cell(`${formatPercent(r.shareOverall, 1)} (${formatCount(r.countOverall)})`),
    cell(ratioText(r), r.significant && (r.overIndexRatio ?? 0) > 1 ? 'hurt' : 'plain'),
    cell(formatPValue(r.p)),
    cell(formatPValue(r.pAdjusted)),
    cell(r.significant ? 'yes' : 'no', r.significant ? 'plain' : 'muted'),
  ]);
  const paragraphs = [
    'Ratio = share among PIEs / share in the test set (> 1: over-represented among PIEs); p: two-sided Fisher exact test of value vs PIE ' +
      'membership; adjusted p: Benjamini-Hochberg over all attribute values of the level. Significant over-representations first.',
  ];
  const table = {
    columns: columns(
      '<Level',
      '<Attribute',
      '<Value',
      'Share among PIEs',
      'Share in test set',
      'Ratio [95% CI]',
      'Fisher p',
      'adjusted p',
      'Significant',
    ),
    rows,
    fold: { summary: `All ${rows.length} rows`, open: rows.length <= OPEN_ROWS },
  };
  return { ...base, paragraphs, tables: rows.length ? [table] : [], notes: levelSkipNotes(levels, (l) => l.attributes) };
}
