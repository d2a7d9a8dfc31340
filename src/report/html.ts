import type { AuditReport, PieExemplar } from '../schema/index.js';
import { reportCharts } from './charts.js';
import { formatBytes, formatCount, formatMeanSd, formatNumber, formatPercent, formatPp, formatPValue, formatValue, MISSING } from './format.js';
import { piesByClass } from './pies-by-class.js';
import { classLabel, compressedLevels, correctionText, levelLabel, okSection, skipNote, VERDICT_TEXT } from './labels.js';
import { escapeXml as esc } from './svg/escape.js';

// Only well-formed base64 PNG data URIs are embedded, so a hand-edited report cannot make the
// page fetch anything.
const PNG_DATA_URI = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

const CSS = `
:root { color-scheme: light; --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#fff; --soft:#f6f8fa;
  --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --info:#0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1360px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.verdict { border-radius: 8px; padding: 14px 18px; margin: 12px 0 8px; border: 2px solid; }
.verdict h2 { border: 0; margin: 0 0 6px; padding: 0; font-size: 22px; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; }
.verdict-pass { border-color: var(--pass); background: #dafbe1; }
.verdict-fail { border-color: var(--fail); background: #ffebe9; }
.verdict-inconclusive { border-color: var(--warn); background: #fff8c5; }
.verdict-ungated { border-color: var(--info); background: #ddf4ff; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.card b { display: block; font-size: 18px; }
.card span { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: right; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.t, th.t { text-align: left; }
.scroll { overflow-x: auto; }
.status-pass { color: var(--pass); font-weight: 600; }
.status-fail { color: var(--fail); font-weight: 600; }
.status-inconclusive { color: var(--warn); font-weight: 600; }
.hurt { color: var(--fail); } .helped { color: var(--pass); }
.note { color: var(--muted); }
.skip { color: var(--warn); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; align-items: start; }
figure.chart-box { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
svg.chart { max-width: 100%; height: auto; display: block; }
.gallery { display: flex; flex-wrap: wrap; gap: 10px; }
figure.pie { margin: 0; width: 148px; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: var(--soft); text-align: center; font-size: 12px; }
figure.pie img, figure.pie .noimg { width: 84px; height: 84px; image-rendering: pixelated; background: #000; display: block; margin: 0 auto 4px; }
figure.pie .noimg { background: #e6e6e6; color: var(--muted); line-height: 84px; }
figure.pie figcaption { line-height: 1.35; }
.labels b { font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: var(--info); margin: 4px 0; }
pre { background: var(--soft); padding: 8px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
`;

function td(text: string, cls = ''): string {
  return `<td${cls ? ` class="${cls}"` : ''}>${text}</td>`;
}

function htmlTable(header: Array<string | [string, string]>, rows: string[][]): string {
  const head = header.map((h) => (Array.isArray(h) ? `<th class="${h[1]}">${esc(h[0])}</th>` : `<th>${esc(h)}</th>`)).join('');
  const hasHead = header.some((h) => (Array.isArray(h) ? h[0] : h) !== '');
  return `<div class="scroll"><table>${hasHead ? `<thead><tr>${head}</tr></thead>` : ''}<tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table></div>`;
}

function verdictBlock(report: AuditReport): string {
  const verdict = report.verdict in VERDICT_TEXT ? report.verdict : 'inconclusive';
  const results = report.gates?.results ?? [];
  const failing = results.filter((g) => g.status !== 'pass');
  let body: string;
  if (!report.gates) body = '<p>No release gates were configured, so nothing was checked.</p>';
  else if (results.length === 0) body = '<p>Gates were configured but no threshold applied to the audited levels.</p>';
  else if (failing.length === 0) body = `<p>All ${results.length} gate checks passed.</p>`;
  else body = `<ul>${failing.map((g) => `<li class="status-${esc(g.status)}">${esc(g.status)}: ${esc(g.reason)}</li>`).join('')}</ul>`;
  return `<section class="verdict verdict-${esc(verdict)}" aria-label="verdict"><h2>Verdict: ${esc(VERDICT_TEXT[verdict as AuditReport['verdict']])}</h2>${body}<div class="note">exit code ${esc(String(report.exitCode))}</div></section>`;
}

function gatesTable(report: AuditReport): string {
  const results = report.gates?.results ?? [];
  if (!results.length) return '';
  return (
    '<h2 id="gates">Gate checks</h2>' +
    htmlTable(
      [['Gate', 't'], ['Level', 't'], ['Attribute', 't'], 'Threshold', 'Observed', ['Status', 't'], ['Reason', 't']],
      results.map((g) => [
        td(`<code>${esc(g.gate)}</code>`, 't'),
        td(esc(g.level), 't'),
        td(g.attribute === null ? MISSING : esc(g.value === null ? g.attribute : `${g.attribute} = ${g.value}`), 't'),
        td(esc(formatValue(g.threshold))),
        td(esc(formatValue(g.observed))),
        td(esc(g.status), `t status-${esc(g.status)}`),
        td(esc(g.reason), 't'),
      ]),
    )
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

function skipCell(section: Parameters<typeof skipNote>[0]): string {
  const note = skipNote(section) ?? '';
  return td(`<span class="skip" title="${esc(note)}">${esc(section?.status ?? 'unavailable')}</span>`);
}

function levelsTable(report: AuditReport): string {
  const notes: string[] = [];
  const rows = report.levels.map((l) => {
    const acc = okSection(l.accuracy);
    const pies = okSection(l.pies);
    const onPies = okSection(l.baselineAccuracyOnPies);
    if (!acc) notes.push(`Level ${l.key} top-1: ${skipNote(l.accuracy)}`);
    if (!l.isBaseline && !pies) notes.push(`Level ${l.key} PIEs: ${skipNote(l.pies)}`);
    if (!l.isBaseline && !onPies) notes.push(`Level ${l.key} baseline accuracy on PIEs: ${skipNote(l.baselineAccuracyOnPies)}`);
    return [
      td(esc(levelLabel(l)), 't'),
      td(formatCount(l.populationSize)),
      acc ? td(esc(formatMeanSd(acc.mean, acc.sd))) : skipCell(l.accuracy),
      td(formatPercent(l.meanSparsity, 1)),
      td(formatBytes(l.meanGzippedBytes)),
      pies ? td(formatCount(pies.count)) : l.isBaseline ? td(MISSING) : skipCell(l.pies),
      td(pies ? formatPercent(pies.rate) : MISSING),
      td(formatCount(l.modalTies?.count)),
      td(onPies ? formatPercent(onPies.onPies, 1) : MISSING),
      td(onPies ? formatPercent(onPies.onNonPies, 1) : MISSING),
    ];
  });
  const byClass = piesByClass(report);
  const byClassTable = byClass
    ? `<details><summary>PIEs by ${esc(byClass.basis)}</summary>${htmlTable(
        [['Class', 't'], ...byClass.levels.map((k) => `Level ${k}`)],
        byClass.rows.map((r) => [td(esc(r.className), 't'), ...r.counts.map((c) => td(formatCount(c)))]),
      )}</details>`
    : '';
  return (
    '<h2 id="levels">Levels</h2>' +
    htmlTable([['Level', 't'], 'Models', 'Top-1 (mean ± sd, pp)', 'Sparsity', 'Gzipped', 'PIEs', 'PIE rate', 'Modal ties', 'Baseline acc. on PIEs', 'on other examples'], rows) +
    notesList(notes) +
    byClassTable
  );
}

function notesList(notes: string[]): string {
  return notes.length ? `<ul class="note">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
}

function classesSection(report: AuditReport): string {
  const levels = compressedLevels(report);
  if (!levels.length) return '';
  const sigRows: string[][] = [];
  const notes: string[] = [];
  const details: string[] = [];
  for (const l of levels) {
    const ci = okSection(l.classImpact);
    if (!ci) {
      notes.push(`Level ${l.key}: ${skipNote(l.classImpact)}`);
      continue;
    }
    const rowCells = (r: (typeof ci.rows)[number], withLevel: boolean): string[] => [
      ...(withLevel ? [td(esc(l.key), 't')] : []),
      td(esc(r.className || classLabel(report, r.classIndex)), 't'),
      td(r.status === 'inconclusive' ? `<span class="skip">inconclusive</span>` : r.direction === 'unchanged' ? 'none' : `<span class="${esc(String(r.direction))}">${esc(String(r.direction))}</span>`, 't'),
      td(esc(formatPp(r.normalizedRecallChange))),
      td(`${formatPercent(r.baselineMeanRecall, 1)} → ${formatPercent(r.compressedMeanRecall, 1)}`),
      td(formatNumber(r.t, 2)),
      td(formatNumber(r.df, 1)),
      td(formatPValue(r.p)),
      td(formatPValue(r.pAdjusted)),
      ...(withLevel ? [] : [td(esc(r.reason ?? ''), 't')]),
    ];
    const significant = ci.rows.filter((r) => r.significant && r.status === 'ok');
    if (!significant.length) notes.push(`Level ${l.key}: no class significantly hurt or helped.`);
    for (const r of significant) sigRows.push(rowCells(r, true));
    const inconclusive = ci.rows.filter((r) => r.status === 'inconclusive');
    if (inconclusive.length) notes.push(`Level ${l.key}, inconclusive: ${inconclusive.map((r) => `class ${r.className || classLabel(report, r.classIndex)} (${r.reason ?? 'no reason given'})`).join('; ')}`);
    details.push(
      `<details><summary>All classes at level ${esc(l.key)} (α = ${esc(formatValue(ci.alpha))}, ${esc(correctionText(ci.correction))})</summary>` +
        htmlTable([['Class', 't'], ['Result', 't'], 'Δ normalised recall', 'Recall (baseline → compressed)', 't', 'df', 'p', 'adjusted p', ['Note', 't']], ci.rows.map((r) => rowCells(r, false))) +
        '</details>',
    );
  }
  const head = [['Level', 't'], ['Class', 't'], ['Direction', 't'], 'Δ normalised recall', 'Recall (baseline → compressed)', 't', 'df', 'p', 'adjusted p'] as Array<string | [string, string]>;
  return (
    '<h2 id="classes">Classes significantly hurt or helped</h2>' +
    '<p class="note">Welch t-test per class of normalised recall (class recall minus the population\'s mean top-1 accuracy, per model), compressed vs baseline. Δ is in percentage points: negative means compression cost the class more than it cost the model overall.</p>' +
    (sigRows.length ? htmlTable(head, sigRows) : '<p>No class was significantly hurt or helped at any level.</p>') +
    notesList(notes) +
    details.join('')
  );
}

function attributesSection(report: AuditReport): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const l of compressedLevels(report)) {
    const a = okSection(l.attributes);
    if (!a) {
      notes.push(`Level ${l.key}: ${skipNote(l.attributes)}`);
      continue;
    }
    for (const r of a.rows) {
      const over = r.overIndexRatio !== null && r.overIndexRatio > 1 && r.significant;
      rows.push([
        td(esc(l.key), 't'),
        td(esc(r.attribute), 't'),
        td(esc(r.value), 't'),
        td(`${formatPercent(r.shareAmongPIEs, 1)} (${formatCount(r.countAmongPIEs)})`),
        td(`${formatPercent(r.shareOverall, 1)} (${formatCount(r.countOverall)})`),
        td(r.overIndexRatio === null ? MISSING : `${formatNumber(r.overIndexRatio, 2)}×`, over ? 'hurt' : ''),
        td(formatPValue(r.p)),
        td(formatPValue(r.pAdjusted)),
        td(r.significant ? 'yes' : 'no'),
      ]);
    }
  }
  if (!rows.length && !notes.length) return '';
  return (
    '<h2 id="attributes">Attribute over-indexing among PIEs</h2>' +
    '<p class="note">Ratio = share among PIEs / share in the test set (&gt; 1: over-represented among PIEs); p: two-sided Fisher exact test of value vs PIE membership; adjusted p: Benjamini-Hochberg over all attribute values of the level.</p>' +
    (rows.length ? `<details${rows.length <= 30 ? ' open' : ''}><summary>All ${rows.length} rows</summary>${htmlTable([['Level', 't'], ['Attribute', 't'], ['Value', 't'], 'Share among PIEs', 'Share in test set', 'Ratio', 'Fisher p', 'adjusted p', 'Significant'], rows)}</details>` : '') +
    notesList(notes)
  );
}

function subgroupsSection(report: AuditReport): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  let positive: number | null = null;
  const levels = compressedLevels(report);
  for (const l of levels) {
    const s = okSection(l.subgroups);
    if (!s) {
      notes.push(`Level ${l.key}: ${skipNote(l.subgroups)}`);
      continue;
    }
    positive = s.positiveClass;
    for (const r of s.rows) {
      rows.push([
        td(esc(l.key), 't'),
        td(esc(r.attribute), 't'),
        td(esc(r.value), 't'),
        td(formatCount(r.n)),
        td(`${formatPercent(r.baselineFpr, 1)} → ${formatPercent(r.compressedFpr, 1)}`),
        td(esc(formatPp(r.fprChange, 1)), r.fprChange !== null && r.fprChange > 0 ? 'hurt' : ''),
        td(formatPValue(r.fprPValue)),
        td(`${formatPercent(r.baselineFnr, 1)} → ${formatPercent(r.compressedFnr, 1)}`),
        td(esc(formatPp(r.fnrChange, 1)), r.fnrChange !== null && r.fnrChange > 0 ? 'hurt' : ''),
        td(formatPValue(r.fnrPValue)),
      ]);
    }
  }
  if (!levels.length) return '';
  const uniqueNotes = rows.length ? notes : [...new Set(notes.map((n) => n.replace(/^Level [^:]*: /, '')))];
  return (
    `<h2 id="subgroups">Subgroup error rates${positive !== null ? ` (positive class ${esc(classLabel(report, positive))})` : ''}</h2>` +
    (rows.length
      ? '<p class="note">False positive / false negative rate, mean over each population\'s models: baseline → compressed, change in percentage points, Welch p.</p>' +
        `<details${rows.length <= 30 ? ' open' : ''}><summary>All ${rows.length} rows</summary>${htmlTable([['Level', 't'], ['Attribute', 't'], ['Value', 't'], 'n', 'FPR', 'Δ FPR', 'p (FPR)', 'FNR', 'Δ FNR', 'p (FNR)'], rows)}</details>`
      : '') +
    notesList(rows.length ? uniqueNotes : uniqueNotes.map((n) => `Not computed: ${n}`))
  );
}

function exemplarFigure(report: AuditReport, level: string, e: PieExemplar): string {
  const base = classLabel(report, e.baselineModal);
  const comp = classLabel(report, e.compressedModal);
  const truth = e.trueLabel === null ? null : classLabel(report, e.trueLabel);
  const alt = `Test example ${e.index}: baseline models say ${base}, level ${level} models say ${comp}${truth === null ? '' : `, true label ${truth}`}`;
  const img =
    typeof e.thumbnail === 'string' && PNG_DATA_URI.test(e.thumbnail)
      ? `<img src="${esc(e.thumbnail)}" width="84" height="84" alt="${esc(alt)}">`
      : `<div class="noimg" role="img" aria-label="${esc(alt)}">no image</div>`;
  const agree = (v: number | null | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? ` <span class="note">(${formatPercent(v, 0)})</span>` : '');
  return (
    `<figure class="pie">${img}<figcaption class="labels">#${esc(formatCount(e.index))}<br>` +
    `baseline <b>${esc(base)}</b>${agree(e.baselineAgreement)}<br>` +
    `compressed <b>${esc(comp)}</b>${agree(e.compressedAgreement)}` +
    (truth === null ? '' : `<br>true <b>${esc(truth)}</b>`) +
    '</figcaption></figure>'
  );
}

function gallerySection(report: AuditReport): string {
  const parts: string[] = [];
  const withExemplars = compressedLevels(report).filter((l) => l.exemplars?.length);
  // The most compressed level is shown open; the others fold away to keep the page short.
  withExemplars.forEach((l, i) => {
    const total = okSection(l.pies)?.count;
    parts.push(
      `<details class="pies"${i === withExemplars.length - 1 ? ' open' : ''}><summary><b>Level ${esc(l.key)}</b> <span class="note">(${formatCount(l.exemplars.length)} of ${formatCount(total)} PIEs)</span></summary>` +
        `<div class="gallery">${l.exemplars.map((e) => exemplarFigure(report, l.key, e)).join('')}</div></details>`,
    );
  });
  if (!parts.length) return '';
  return (
    '<h2 id="pies">PIE exemplars</h2><p class="note">Examples whose modal label changed under compression: the baseline population\'s modal label, the compressed population\'s modal label (with the share of models voting for it) and the true label.</p>' +
    parts.join('')
  );
}

function environmentSection(report: AuditReport): string {
  const env = report.environment;
  const backend = env.backend
    ? `${env.backend.name}${Object.keys(env.backend.details ?? {}).length ? ` (${Object.entries(env.backend.details).map(([k, v]) => `${k}=${String(v)}`).join(', ')})` : ''}`
    : 'none (precomputed predictions)';
  const rows: Array<[string, string]> = [
    ['pie-audit', env.pieAuditVersion],
    ['Node', env.nodeVersion],
    ['Platform', `${env.platform} ${env.arch}`],
    ['Backend', backend],
    ['Models per runtime', Object.entries(env.runtimes ?? {}).map(([k, v]) => `${k}: ${formatCount(v)}`).join(', ') || MISSING],
    ['Test input shape', report.testSet.inputShape ? `[${report.testSet.inputShape.join(', ')}]` : MISSING],
    ['Attributes', report.testSet.attributeNames.join(', ') || MISSING],
    ['Significance', `α = ${formatValue(report.config.alpha)}, ${correctionText(report.config.correction)}`],
    ['Tie break / seed', `${report.config.tieBreak} / ${report.config.seed === null ? MISSING : String(report.config.seed)}`],
    ['Generated', report.generatedAt],
    ['Time', `${formatNumber(report.timings?.totalSeconds, 1)} s (evaluation ${formatNumber(report.timings?.evaluationSeconds, 1)} s, analysis ${formatNumber(report.timings?.analysisSeconds, 1)} s)`],
  ];
  const fallbacks = report.levels.flatMap((l) => (l.models ?? []).filter((m) => m.fallbackReason).map((m) => `${m.id}: ${m.fallbackReason}`));
  return (
    '<h2 id="environment">Environment</h2>' +
    htmlTable([['', 't'], ['', 't']], rows.map(([k, v]) => [td(esc(k), 't'), td(esc(v), 't')])) +
    (fallbacks.length ? `<h3>Runtime fallbacks</h3>${notesList(fallbacks)}` : '') +
    `<details><summary>Configuration as applied</summary><pre>${esc(JSON.stringify(report.config, null, 2))}</pre></details>`
  );
}

/**
 * Renders an {@link AuditReport} as ONE self-contained HTML page: inline CSS, inline SVG charts
 * (top-1 vs sparsity, PIE rate vs sparsity, per-class normalised recall change with significant
 * points ringed, attribute over-indexing), a gallery of PIE exemplars with embedded PNG
 * thumbnails, all tables and the environment. No scripts and no network: a Content-Security-Policy
 * forbids every request except `data:` images, so the file can be archived as a CI artifact and
 * opened anywhere.
 *
 * @example
 * await writeFile('report.html', renderHtml(report));
 */
export function renderHtml(report: AuditReport): string {
  const charts = reportCharts(report);
  const title = `pie-audit report: ${VERDICT_TEXT[report.verdict] ?? report.verdict}`;
  const body = [
    `<h1>pie-audit report</h1><p class="sub">Generated ${esc(report.generatedAt)} · baseline level <b>${esc(report.baselineLevel)}</b> · levels ${esc(report.levels.map((l) => l.key).join(', '))}</p>`,
    verdictBlock(report),
    cards(report),
    charts.length ? `<h2 id="charts">Charts</h2><div class="charts">${charts.map((c) => `<figure class="chart-box">${c.svg}</figure>`).join('')}</div>` : '',
    gatesTable(report),
    levelsTable(report),
    classesSection(report),
    attributesSection(report),
    subgroupsSection(report),
    gallerySection(report),
    report.warnings?.length ? `<h2 id="warnings">Warnings</h2>${notesList(report.warnings)}` : '',
    environmentSection(report),
    `<footer>Made by pie-audit ${esc(report.environment.pieAuditVersion)} · report schema ${esc(String(report.schemaVersion))}</footer>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}
