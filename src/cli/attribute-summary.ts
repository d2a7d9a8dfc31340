import type { AuditReport } from '../schema/index.js';
import { formatPercent, formatPValue } from '../report/format.js';
import { terminalLine, terminalName } from './terminal-text.js';

/**
 * One line per compressed level about the group attributes: the values significantly over-indexed
 * among its PIEs (share among PIEs vs share in the test set, BH-adjusted Fisher p), else the most
 * over-indexed value with its p, or why the section was not computed.
 *
 * @example
 * process.stdout.write(formatAttributeSummary(report));
 * // attributes at 0.9: stroke=thin 2.10x (21.0% of PIEs vs 10.0%, adj. p 1.2e-5)
 */
export function formatAttributeSummary(report: AuditReport): string {
  const lines: string[] = [];
  for (const level of report.levels) {
    if (level.isBaseline) continue;
    const section = level.attributes;
    if (section.status !== 'ok') {
      lines.push(`attributes at ${terminalName(level.key)}: ${section.status} (${section.reason})`);
      continue;
    }
    const ranked = section.rows.filter((r) => r.overIndexRatio !== null).sort((a, b) => (b.overIndexRatio ?? 0) - (a.overIndexRatio ?? 0));
    const significant = ranked.filter((r) => r.significant && (r.overIndexRatio ?? 0) > 1);
    const shown = significant.length > 0 ? significant : ranked.slice(0, 1);
    const text = shown.map((r) => {
      const p = r.pAdjusted === null ? 'p n/a' : `adj. p ${formatPValue(r.pAdjusted)}`;
      const shares = `${formatPercent(r.shareAmongPIEs)} of PIEs vs ${formatPercent(r.shareOverall)}`;
      return `${terminalName(r.attribute)}=${terminalName(String(r.value))} ${(r.overIndexRatio ?? 0).toFixed(2)}x (${shares}, ${p})`;
    });
    const head = significant.length > 0 ? 'over-indexed among PIEs' : 'none significantly over-indexed; highest';
    lines.push(`attributes at ${terminalName(level.key)}: ${shown.length === 0 ? 'no PIEs' : `${head}: ${text.join('; ')}`}`);
  }
  return lines.length > 0 ? `${lines.map(terminalLine).join('\n')}\n` : '';
}
