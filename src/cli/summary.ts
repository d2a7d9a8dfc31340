import type { AuditReport } from '../schema/index.js';
import { formatPercent } from '../report/format.js';
import { terminalLine, terminalName } from './terminal-text.js';

// Terminal text says 'n/a' where the reports show a dash.
const pct = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : formatPercent(v));

/**
 * A short plain-text summary of a report for the terminal: one line per level, then the verdict
 * and the reason of every gate that did not pass. Names from the report are escaped (newlines, control
 * characters, `::`), so a class list cannot add lines or workflow commands.
 *
 * @example
 * process.stdout.write(formatSummary(report));
 */
export function formatSummary(report: AuditReport): string {
  const lines: string[] = [];
  lines.push(
    `pie-audit: ${report.testSet.n} examples, ${report.classNames.length} classes, baseline level ${terminalName(report.baselineLevel)}`,
  );
  // `?.`: a report from before the design was recorded has none.
  if (report.design) lines.push(terminalLine(`population design: ${report.design.design} (${report.design.reason})`));
  for (const w of report.sanityWarnings ?? []) lines.push(terminalLine(`sanity check: ${w}`));
  lines.push('level      models  top-1 (mean)  PIEs    PIE rate  hurt classes');
  for (const level of report.levels) {
    const top1 = level.accuracy.status === 'ok' ? pct(level.accuracy.mean) : 'n/a';
    const pies = level.pies.status === 'ok' ? String(level.pies.count) : '-';
    const rate = level.pies.status === 'ok' ? pct(level.pies.rate) : '-';
    const hurt =
      level.classImpact.status === 'ok'
        ? level.classImpact.hurtClasses.length === 0
          ? 'none'
          : level.classImpact.hurtClasses.map((c) => terminalName(report.classNames[c] ?? String(c))).join(', ')
        : level.isBaseline
          ? '-'
          : level.classImpact.status;
    lines.push(
      `${terminalName(level.key).padEnd(10)} ${String(level.populationSize).padStart(6)}  ${top1.padStart(12)}  ${pies.padStart(5)}  ${rate.padStart(8)}  ${hurt}`,
    );
  }
  for (const level of report.levels) {
    if (level.baselineAccuracyOnPies.status === 'ok' && level.baselineAccuracyOnPies.nPies > 0) {
      const b = level.baselineAccuracyOnPies;
      lines.push(
        `level ${terminalName(level.key)}: baseline models are ${pct(b.onPies)} accurate on its ${b.nPies === 1 ? 'PIE' : `${b.nPies} PIEs`} vs ${pct(b.onNonPies)} on the rest`,
      );
    }
  }
  if (report.gates) {
    lines.push(`verdict: ${report.verdict.toUpperCase()} (exit ${report.exitCode})`);
    for (const r of report.gates.results) lines.push(`  [${r.status}] ${r.reason}`);
  } else lines.push('verdict: no gates configured');
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  // Names are escaped where they are placed; reasons and warnings quote them too, so every line is escaped whole.
  return `${lines.map(terminalLine).join('\n')}\n`;
}
