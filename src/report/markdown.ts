import type { AuditReport } from '../schema/index.js';
import { intervalsView } from './view/flips.js';
import { boundMarkdown } from './bound-markdown.js';
import { formatCount, formatValue } from './format.js';
import { correctionText } from './labels.js';
import { TRADEOFF_CHART_FILE, tradeoffChart } from './tradeoff-chart.js';
import {
  attributesView,
  intersectionsView,
  costView,
  classesView,
  environmentView,
  exemplarLevels,
  findingsView,
  gatesView,
  levelsView,
  sanityView,
  pieKind,
  quotedClass,
  subgroupsView,
  verdictView,
  type ViewCell,
  type ViewSection,
  type ViewTable,
} from './view/index.js';

/**
 * Escapes text for a GitHub-flavoured Markdown table cell: HTML-significant characters, pipes,
 * emphasis/code markers and line breaks, so user-supplied class or attribute names cannot break
 * the table or inject HTML.
 *
 * @example
 * markdownCell('a|b <c>'); // 'a\\|b &lt;c&gt;'
 */
export function markdownCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\|*_`[\]#~])/g, '\\$1')
    .replace(/\r?\n|\r/g, ' ');
}

/** Exemplars listed per level; the rest are in report.html and pies.csv. */
const MAX_EXEMPLARS = 10;
const VERDICT_ICON: Record<AuditReport['verdict'], string> = { pass: '✅', fail: '❌', inconclusive: '⚠️', ungated: 'ℹ️' };
const KIND_ICON: Partial<Record<ViewCell['kind'], string>> = {
  pass: '✅ ',
  fail: '❌ ',
  inconclusive: '⚠️ ',
  hurt: '🔻 ',
  spared: '🔹 ',
  skip: '⚠️ ',
};

function collapsible(summary: string, body: string): string {
  // A blank line after <summary> lets GitHub render the Markdown table inside <details>.
  return `<details><summary>${markdownCell(summary)}</summary>\n\n${body}\n\n</details>`;
}

function mdCell(c: ViewCell): string {
  const text = markdownCell(c.text);
  // Only identifier-like text goes in a code span (gate names); anything else from a crafted report is escaped text.
  if (c.kind === 'code') return /^[\w.@-]+$/.test(c.text) ? `\`${c.text}\`` : text;
  if (c.kind === 'hurt' || c.kind === 'spared' || c.kind === 'pass' || c.kind === 'fail' || c.kind === 'inconclusive')
    return `${KIND_ICON[c.kind]}${text}`;
  if (c.kind === 'skip') return `_${text}_`;
  return text;
}

function mdTable(t: ViewTable): string {
  const rows = t.shortLimit !== undefined ? t.rows.slice(0, t.shortLimit) : t.rows;
  const lines = [
    `| ${t.columns.map((c) => markdownCell(c.label)).join(' | ')} |`,
    `| ${t.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`,
  ];
  for (const r of rows) lines.push(`| ${r.map(mdCell).join(' | ')} |`);
  const rest = t.rows.length - rows.length;
  const body = lines.join('\n') + (rest > 0 ? `\n\n${formatCount(rest)} more rows in ${t.moreIn ?? 'report.html'}.` : '');
  return t.fold ? collapsible(t.fold.summary, body) : body;
}

function mdSection(s: ViewSection | null): string | null {
  if (!s) return null;
  const parts = [`## ${markdownCell(s.title)}`, ...s.paragraphs.map(markdownCell), ...s.tables.map(mdTable)];
  if (s.notes.length) parts.push(s.notes.map((n) => `- ${markdownCell(n)}`).join('\n'));
  return parts.join('\n\n');
}

function findingsSection(report: AuditReport): string | null {
  const { levels: findings, notes } = findingsView(report);
  if (!findings.length) return null;
  const icon = (k: ViewCell['kind']): string => (k === 'hurt' ? '🔻' : k === 'skip' ? '⚠️' : '⚪');
  const lines = findings.map(
    (f) => `- ${icon(f.kind)} **Level ${markdownCell(f.level)}**: ${f.sentences.map((s) => markdownCell(s.text)).join(' ')}`,
  );
  return ['## What compression cost', lines.join('\n'), ...notes.map(markdownCell)].join('\n\n');
}

function verdictSection(report: AuditReport): string {
  const v = verdictView(report);
  const out = [`## ${VERDICT_ICON[v.verdict] ?? ''} ${markdownCell(v.heading)}`];
  if (v.summary) out.push(markdownCell(v.summary).replace(/\\`/g, '`'));
  if (v.problems.length) out.push(v.problems.map((p) => `- ${p.kind === 'fail' ? '❌' : '⚠️'} ${markdownCell(p.text)}`).join('\n'));
  return out.join('\n\n');
}

function summaryLine(report: AuditReport): string {
  const env = report.environment;
  const backend = env.backend ? `${env.backend.name} backend` : 'precomputed predictions';
  return markdownCell(
    `Test set: ${formatCount(report.testSet.n)} examples, ${report.classNames.length} classes, ${report.testSet.hasLabels ? 'with' : 'without'} true labels. ` +
      `Baseline level ${report.baselineLevel}; α = ${formatValue(report.config.alpha)}, ${correctionText(report.config.correction)}. ` +
      `pie-audit ${env.pieAuditVersion}, Node ${env.nodeVersion}, ${backend}.`,
  );
}

function exemplarsSection(report: AuditReport): string | null {
  const lines = exemplarLevels(report).map(({ level, exemplars }) => {
    const shown = exemplars.slice(0, MAX_EXEMPLARS).map((e) => {
      const truth =
        e.trueLabel === null
          ? ''
          : `, true ${quotedClass(report, e.trueLabel)}, ${pieKind(e.baselineModal, e.compressedModal, e.trueLabel)}`;
      return markdownCell(
        `#${formatCount(e.index)} (${quotedClass(report, e.baselineModal)} → ${quotedClass(report, e.compressedModal)}${truth})`,
      );
    });
    const more = exemplars.length > MAX_EXEMPLARS ? `, … ${exemplars.length - MAX_EXEMPLARS} more in report.html` : '';
    return `- Level ${markdownCell(level.key)}: ${shown.join(', ')}${more}`;
  });
  if (!lines.length) return null;
  const intro =
    'Test-set index (baseline modal label → compressed modal label, true label, kind), forgotten PIEs first. ' +
    'Thumbnails are in report.html; every PIE of every level is in pies.csv.';
  return ['## PIE exemplars', intro, lines.join('\n')].join('\n\n');
}

/** The size and latency table, with the trade-off chart that `writeReports` writes beside report.md. */
function costSection(report: AuditReport, chartImage: boolean): string | null {
  const section = mdSection(costView(report));
  const chart = tradeoffChart(report);
  if (!section || !chart) return section;
  // Where the Markdown leaves the report folder (a step summary), a relative image would show broken: name the file instead.
  if (!chartImage) return `${section}\n\n${markdownCell(chart.title)}: ${TRADEOFF_CHART_FILE} in the report folder.`;
  return `${section}\n\n![${markdownCell(chart.title)}](${TRADEOFF_CHART_FILE})`;
}

/** Options of {@link renderMarkdown}. */
export interface RenderMarkdownOptions {
  /**
   * Show the trade-off chart as an image linking `tradeoff.svg` beside report.md (default true). Set false where
   * the Markdown is read away from the report folder, such as a GitHub step summary: the chart is then named, not linked.
   */
  chartImage?: boolean;
}

function environmentSection(report: AuditReport): string {
  const env = environmentView(report);
  const body = mdTable(env.tables[0]!) + (env.notes.length ? `\n\n${env.notes.map((n) => `- ${markdownCell(n)}`).join('\n')}` : '');
  return collapsible('Environment', body);
}

/**
 * The findings of a report as Markdown: sanity warnings, what compression cost at each level and the verdict
 * with its gate reasons (the head of {@link renderMarkdown}). TensorBoard's text summary shows it.
 *
 * @example
 * renderMarkdownFindings(report); // '## What compression cost\n\n- 🔻 **Level 0.9**: ...'
 */
export function renderMarkdownFindings(report: AuditReport): string {
  const sections = [mdSection(sanityView(report)), findingsSection(report), verdictSection(report)];
  return sections.filter((s): s is string => s !== null).join('\n\n');
}

/**
 * Renders an {@link AuditReport} as GitHub-flavoured Markdown sized for a GitHub Actions step
 * summary (`cat report.md >> $GITHUB_STEP_SUMMARY`): what compression cost at each level first, then
 * the verdict and gate reasons, the levels table, the classes hurt or spared (largest loss first),
 * attribute over-indexing, subgroup error-rate changes, PIE exemplars and the environment. The sections
 * are the shared report view (src/report/view) that the HTML page renders too. Skipped or inconclusive
 * results are listed with their reason; missing numbers print as '—' (never NaN or undefined).
 *
 * @example
 * const report = await auditCompression(options);
 * await writeFile('report.md', renderMarkdown(report));
 * await appendFile(process.env.GITHUB_STEP_SUMMARY!, renderMarkdown(report, { chartImage: false }));
 */
export function renderMarkdown(report: AuditReport, options: RenderMarkdownOptions = {}): string {
  const sections: Array<string | null> = [
    '# pie-audit report',
    mdSection(sanityView(report)),
    findingsSection(report),
    verdictSection(report),
    summaryLine(report),
    mdSection(gatesView(report)),
    mdSection(levelsView(report)),
    costSection(report, options.chartImage ?? true),
    mdSection(intervalsView(report)),
    mdSection(classesView(report)),
    mdSection(attributesView(report)),
    mdSection(intersectionsView(report)),
    mdSection(subgroupsView(report)),
    exemplarsSection(report),
    report.warnings?.length ? `## Warnings\n\n${report.warnings.map((w) => `- ${markdownCell(w)}`).join('\n')}` : null,
    environmentSection(report),
  ];
  return boundMarkdown(sections.filter((s): s is string => s !== null));
}
