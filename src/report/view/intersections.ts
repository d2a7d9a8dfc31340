import type { AuditReport, IntersectionOverIndexRow, LevelReport, Section, IntersectionOverIndexSummary } from '../../schema/index.js';
import { formatCount, formatNumber, formatPercent, formatPValue, MISSING } from '../format.js';
import { compressedLevels, correctionText, okSection } from '../labels.js';
import { levelSkipNotes } from './text.js';
import { cell, columns, type ViewSection } from './types.js';

/** Tables up to this many rows are shown open. */
const OPEN_ROWS = 30;

/** Significant over-representation first, then by how far the ratio is above parity. */
function effectKey(r: IntersectionOverIndexRow): number {
  const ratio = r.overIndexRatio ?? -Infinity;
  return (r.significant && ratio > 1 ? 1e9 : 0) + ratio;
}

/**
 * The intersections section: every tested intersection of attribute values of every compressed level, significant
 * over-representations first. `null` when the audit did not test intersections (the option is off).
 *
 * @example
 * intersectionsView(report)?.tables[0].rows[0]; // the most over-indexed intersection, e.g. Male=-1 & Young=1
 */
export function intersectionsView(report: AuditReport): ViewSection | null {
  const levels = compressedLevels(report).filter((l) => l.intersections !== undefined);
  if (!levels.length) return null;
  const pick = (l: LevelReport) => l.intersections as Section<IntersectionOverIndexSummary>;
  const sections = levels.map((level) => ({ level, section: okSection(pick(level)) }));
  const rows = sections
    .flatMap(({ level, section }) => (section?.rows ?? []).map((row) => ({ level, row })))
    .sort((a, b) => effectKey(b.row) - effectKey(a.row))
    .map(({ level, row: r }) => [
      cell(level.key),
      cell(r.value),
      cell(`${formatPercent(r.shareAmongPIEs, 1)} (${formatCount(r.countAmongPIEs)})`),
      cell(`${formatPercent(r.shareOverall, 1)} (${formatCount(r.countOverall)})`),
      cell(
        r.overIndexRatio === null ? MISSING : `${formatNumber(r.overIndexRatio, 2)}×`,
        r.significant && (r.overIndexRatio ?? 0) > 1 ? 'hurt' : 'plain',
      ),
      cell(formatPValue(r.p)),
      cell(formatPValue(r.pAdjusted)),
      cell(r.significant ? 'yes' : 'no', r.significant ? 'plain' : 'muted'),
    ]);
  const first = sections.find((s) => s.section)?.section;
  const paragraphs = first
    ? [
        `Intersections of ${first.maxOrder === 2 ? 'two' : 'up to three'} attribute values with at least ${formatCount(first.minSupport)} ` +
          'examples, tested like single values (two-sided Fisher exact test of the intersection vs PIE membership); adjusted p: ' +
          `${correctionText(first.correction)} over the whole family of tested intersections of the level. Significant over-representations first.`,
        ...sections
          .filter((s) => s.section)
          .map(
            ({ level, section }) =>
              `Level ${level.key}: ${formatCount(section!.familySize ?? section!.rows.length)} intersections tested, ` +
              `${formatCount(section!.belowSupport)} left out with fewer than ${formatCount(section!.minSupport)} examples.`,
          ),
      ]
    : [];
  const table = {
    columns: columns('<Level', '<Intersection', 'Share among PIEs', 'Share in test set', 'Ratio', 'Fisher p', 'adjusted p', 'Significant'),
    rows,
    fold: { summary: `All ${rows.length} rows`, open: rows.length <= OPEN_ROWS },
  };
  return {
    id: 'intersections',
    title: 'Intersections of attribute values among PIEs',
    paragraphs,
    tables: rows.length ? [table] : [],
    notes: levelSkipNotes(levels, pick),
  };
}
