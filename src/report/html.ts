import type { AuditReport } from '../schema/index.js';
import { intervalsView } from './view/flips.js';
import { reportCharts } from './charts.js';
import { tradeoffChart } from './tradeoff-chart.js';
import { formatCount, formatPercent, MISSING } from './format.js';
import { pieBrowserSection } from './html-pies.js';
import { REPORT_SCRIPT, reportScriptHash } from './html-script.js';
import { REPORT_CSS } from './html-style.js';
import { okSection, VERDICT_TEXT } from './labels.js';
import { pieTableOf, type PieTable } from './pie-table.js';
import { escapeXml as esc } from './svg/escape.js';
import {
  attributesView,
  intersectionsView,
  costView,
  classesView,
  environmentView,
  findingsView,
  gatesView,
  levelsView,
  sanityView,
  subgroupsView,
  verdictView,
  type ViewCell,
  type ViewSection,
  type ViewTable,
} from './view/index.js';

const KIND_CLASS: Record<ViewCell['kind'], string> = {
  plain: '',
  hurt: 'hurt',
  spared: 'spared',
  skip: 'skip',
  pass: 'status-pass',
  fail: 'status-fail',
  inconclusive: 'status-inconclusive',
  muted: 'note',
  code: '',
};

function htmlCell(c: ViewCell, align: 'left' | 'right'): string {
  const text = c.kind === 'code' ? `<code>${esc(c.text)}</code>` : esc(c.text);
  const inner = c.title !== undefined ? `<span title="${esc(c.title)}">${text}</span>` : text;
  const cls = [align === 'left' ? 't' : '', KIND_CLASS[c.kind]].filter(Boolean).join(' ');
  return `<td${cls ? ` class="${cls}"` : ''}>${inner}</td>`;
}

function htmlTable(t: ViewTable, sortable = true): string {
  const hasHead = t.columns.some((c) => c.label !== '');
  const head = t.columns.map((c) => `<th${c.align === 'left' ? ' class="t"' : ''}>${esc(c.label)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => htmlCell(c, t.columns[i]?.align ?? 'right')).join('')}</tr>`).join('');
  const cls = sortable && hasHead && t.rows.length > 1 ? ' class="sortable"' : '';
  const table = `<div class="scroll"><table${cls}>${hasHead ? `<thead><tr>${head}</tr></thead>` : ''}<tbody>${body}</tbody></table></div>`;
  return t.fold ? `<details${t.fold.open ? ' open' : ''}><summary>${esc(t.fold.summary)}</summary>${table}</details>` : table;
}

function notesList(notes: readonly string[]): string {
  return notes.length ? `<ul class="note">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
}

function htmlSection(s: ViewSection | null): string {
  if (!s) return '';
  const paragraphs = s.paragraphs.map((p, i) => `<p${i === 0 && s.tables.length ? ' class="note"' : ''}>${esc(p)}</p>`).join('');
  return `<h2 id="${esc(s.id)}">${esc(s.title)}</h2>${paragraphs}${s.tables.map((t) => htmlTable(t)).join('')}${notesList(s.notes)}`;
}

function findingsBlock(report: AuditReport): string {
  const { levels: findings, notes } = findingsView(report);
  if (!findings.length) return '';
  const items = findings.map((f) => {
    const text = f.sentences
      .map((s) => `<span${s.kind === 'hurt' || s.kind === 'skip' ? ` class="${s.kind}"` : ''}>${esc(s.text)}</span>`)
      .join(' ');
    return `<li class="${f.kind}" data-level="${esc(f.level)}"><b>Level ${esc(f.level)}:</b> ${text}</li>`;
  });
  return `<section class="findings" id="findings" aria-label="findings"><h2>What compression cost</h2><ul>${items.join('')}</ul>${notesList(notes)}</section>`;
}

function verdictBlock(report: AuditReport): string {
  const v = verdictView(report);
  const body = v.problems.length
    ? `<ul>${v.problems.map((p) => `<li class="status-${esc(p.kind)}">${esc(p.kind)}: ${esc(p.text)}</li>`).join('')}</ul>`
    : `<p>${esc((v.summary ?? '').replace(/`/g, ''))}</p>`;
  return (
    `<section class="verdict verdict-${esc(v.verdict)}" aria-label="verdict"><h2>${esc(v.heading)}</h2>${body}` +
    `<div class="note">exit code ${esc(String(v.exitCode))}</div></section>`
  );
}

function cards(report: AuditReport): string {
  const models = report.levels.reduce((n, l) => n + (Number.isFinite(l.populationSize) ? l.populationSize : 0), 0);
  const last = report.levels.at(-1);
  const lastPies = last ? okSection(last.pies) : null;
  const items: Array<[string, string]> = [
    [formatCount(report.testSet.n), 'test examples'],
    [formatCount(report.classNames.length), 'classes'],
    [formatCount(report.levels.length), 'levels'],
    [formatCount(models), 'models audited'],
    [lastPies ? formatPercent(lastPies.rate) : MISSING, `PIE rate at level ${last?.key ?? MISSING}`],
  ];
  return `<div class="cards">${items.map(([v, l]) => `<div class="card"><b>${esc(v)}</b><span>${esc(l)}</span></div>`).join('')}</div>`;
}

function chartsBlock(report: AuditReport): string {
  const tradeoff = tradeoffChart(report);
  const charts = [...reportCharts(report), ...(tradeoff ? [tradeoff] : [])];
  if (!charts.length) return '';
  return `<h2 id="charts">Charts</h2><div class="charts">${charts.map((c) => `<figure class="chart-box">${c.svg}</figure>`).join('')}</div>`;
}

function environmentBlock(report: AuditReport): string {
  const env = environmentView(report);
  return (
    `<h2 id="environment">Environment</h2>${htmlTable(env.tables[0]!, false)}${notesList(env.notes)}` +
    `<details><summary>Configuration as applied</summary><pre>${esc(JSON.stringify(report.config, null, 2))}</pre></details>`
  );
}

/** Options of {@link renderHtml}. */
export interface RenderHtmlOptions {
  /** Every PIE of every level for the PIE browser; defaults to the table the audit attached to the report. */
  pies?: PieTable | null;
}

/**
 * Renders an {@link AuditReport} as ONE self-contained HTML page: what compression cost at each level first,
 * the verdict, inline SVG charts, the tables of the shared report view (src/report/view), a PIE browser
 * (filters by level, true class and kind, forgotten PIEs first, sortable table of every PIE, thumbnails of the
 * exemplars) and the environment. One inline script, allowed by its sha256 hash in the page's
 * Content-Security-Policy, which forbids every request except `data:` images, so the file opens from file://
 * and can be archived as a CI artifact.
 *
 * @example
 * await writeFile('report.html', renderHtml(report));
 */
export function renderHtml(report: AuditReport, options: RenderHtmlOptions = {}): string {
  const pies = options.pies === undefined ? pieTableOf(report) : options.pies;
  const title = `pie-audit report: ${VERDICT_TEXT[report.verdict] ?? report.verdict}`;
  const levels = report.levels.map((l) => l.key).join(', ');
  const body = [
    `<h1>pie-audit report</h1><p class="sub">Generated ${esc(report.generatedAt)} · baseline level <b>${esc(report.baselineLevel)}</b> · levels ${esc(levels)}</p>`,
    htmlSection(sanityView(report)),
    findingsBlock(report),
    verdictBlock(report),
    cards(report),
    chartsBlock(report),
    htmlSection(gatesView(report)),
    htmlSection(levelsView(report)),
    htmlSection(costView(report)),
    htmlSection(intervalsView(report)),
    htmlSection(classesView(report)),
    htmlSection(attributesView(report)),
    htmlSection(intersectionsView(report)),
    htmlSection(subgroupsView(report)),
    pieBrowserSection(report, pies),
    report.warnings?.length ? `<h2 id="warnings">Warnings</h2>${notesList(report.warnings)}` : '',
    environmentBlock(report),
    `<footer>Made by pie-audit ${esc(report.environment.pieAuditVersion)} · report schema ${esc(String(report.schemaVersion))}</footer>`,
  ].join('\n');
  const csp = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src ${reportScriptHash()}; form-action 'none'; base-uri 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body><main>
${body}
</main><script>${REPORT_SCRIPT}</script></body>
</html>
`;
}
