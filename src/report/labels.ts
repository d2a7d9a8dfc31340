import type { AuditReport, LevelReport, Section, Verdict } from '../schema/index.js';

/**
 * Display name of a class index: its entry in `classNames`, else `#<index>`, else '—' for null.
 *
 * @example
 * classLabel(report, 3); // '3' for MNIST
 */
export function classLabel(report: Pick<AuditReport, 'classNames'>, index: number | null | undefined): string {
  if (typeof index !== 'number' || !Number.isFinite(index)) return '—';
  return report.classNames[index] ?? `#${index}`;
}

/**
 * The payload of a section when it was computed, else null.
 *
 * @example
 * const pies = okSection(level.pies); // PieSummary & { status: 'ok' } | null
 */
export function okSection<T>(section: Section<T> | null | undefined): ({ status: 'ok' } & T) | null {
  return section && section.status === 'ok' ? (section as { status: 'ok' } & T) : null;
}

/**
 * "status: reason" for a skipped section, or null when it was computed.
 *
 * @example
 * skipNote({ status: 'inconclusive', reason: 'fewer than 2 models' }); // 'inconclusive: fewer than 2 models'
 */
export function skipNote(section: Section<unknown> | null | undefined): string | null {
  if (!section) return 'unavailable: missing from the report';
  if (section.status === 'ok') return null;
  const s = section as { status: string; reason?: unknown };
  return `${s.status}: ${typeof s.reason === 'string' && s.reason ? s.reason : 'no reason given'}`;
}

/**
 * Levels other than the baseline, in report order.
 *
 * @example
 * compressedLevels(report).map((l) => l.key); // ['0.3', '0.5', '0.9']
 */
export function compressedLevels(report: AuditReport): LevelReport[] {
  return report.levels.filter((l) => !l.isBaseline);
}

/**
 * The multiple-comparison correction in words.
 *
 * @example
 * correctionText('bh'); // 'Benjamini-Hochberg correction'
 */
export function correctionText(correction: string): string {
  return correction === 'none'
    ? 'no multiple-comparison correction'
    : correction === 'holm'
      ? 'Holm correction'
      : correction === 'bh'
        ? 'Benjamini-Hochberg correction'
        : `${correction} correction`;
}

/**
 * Short words for each verdict, used as headings.
 *
 * @example
 * VERDICT_TEXT.fail; // 'FAIL'
 */
export const VERDICT_TEXT: Record<Verdict, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  inconclusive: 'INCONCLUSIVE',
  ungated: 'UNGATED (no gates configured)',
};

/**
 * Level key as shown in tables, the baseline marked.
 *
 * @example
 * levelLabel({ key: '0', isBaseline: true }); // '0 (baseline)'
 */
export function levelLabel(level: Pick<LevelReport, 'key' | 'isBaseline'>): string {
  return level.isBaseline ? `${level.key} (baseline)` : level.key;
}
