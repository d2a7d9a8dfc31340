import type { AttributeOverIndexRow, AuditReport, SubgroupErrorRow } from '../schema/index.js';
import { formatBytes, formatCount, formatMeanSd, formatNumber, formatPercent, formatPp, formatPValue, formatValue, MISSING } from './format.js';
import { boundMarkdown } from './bound-markdown.js';
import { piesByClass } from './pies-by-class.js';
import { classLabel, compressedLevels, correctionText, levelLabel, okSection, skipNote, VERDICT_TEXT } from './labels.js';

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

/** Most significant classes listed per level, and most inconclusive classes named per level. */
const MAX_CLASS_ROWS = 25;
const MAX_NAMED = 12;

function collapsible(summary: string, body: string): string {
  // A blank line after <summary> lets GitHub render the Markdown table inside <details>.
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

const VERDICT_ICON: Record<AuditReport['verdict'], string> = { pass: '✅', fail: '❌', inconclusive: '⚠️', ungated: 'ℹ️' };
const STATUS_ICON: Record<'pass' | 'fail' | 'inconclusive', string> = { pass: '✅ pass', fail: '❌ fail', inconclusive: '⚠️ inconclusive' };

function verdictSection(report: AuditReport): string {
  const out = [`## ${VERDICT_ICON[report.verdict] ?? ''} Verdict: ${VERDICT_TEXT[report.verdict] ?? markdownCell(String(report.verdict))}`];
  const results = report.gates?.results ?? [];
  if (!report.gates) {
    out.push('No release gates were configured, so nothing was checked. Pass `gates` to fail CI on regressions.');
  } else if (results.length === 0) {
    out.push('Gates were configured but no threshold applied to the audited levels.');
  } else {
    const failing = results.filter((g) => g.status !== 'pass');
    if (failing.length > 0) {
      out.push(failing.map((g) => `- ${g.status === 'fail' ? '❌' : '⚠️'} ${markdownCell(g.reason)}`).join('\n'));
    } else {
      out.push(`All ${results.length} gate checks passed.`);
    }
    out.push(
      table(
        ['Gate', 'Level', 'Attribute', 'Threshold', 'Observed', 'Status', 'Reason'],
        results.map((g) => [
          `\`${markdownCell(g.gate)}\``,
          markdownCell(g.level),
          g.attribute === null ? MISSING : markdownCell(g.value === null ? g.attribute : `${g.attribute}=${g.value}`),
          formatValue(g.threshold),
          formatValue(g.observed),
          STATUS_ICON[g.status] ?? markdownCell(String(g.status)),
          markdownCell(g.reason),
        ]),
      ),
    );
  }
  return out.join('\n\n');
}

function summaryLine(report: AuditReport): string {
  const env = report.environment;
  const backend = env.backend ? `${env.backend.name} backend` : 'precomputed predictions';
  const k = report.classNames.length;
  return (
    `Test set: ${formatCount(report.testSet.n)} examples, ${k} classes, ${report.testSet.hasLabels ? 'with' : 'without'} true labels. ` +
    `Baseline level \`${markdownCell(report.baselineLevel)}\`; α = ${formatValue(report.config.alpha)}, ${markdownCell(correctionText(report.config.correction))}. ` +
    `pie-audit ${markdownCell(env.pieAuditVersion)}, Node ${markdownCell(env.nodeVersion)}, ${markdownCell(backend)}.`
  );
}

function levelsSection(report: AuditReport): string {
  const notes: string[] = [];
  const rows = report.levels.map((l) => {
    const acc = okSection(l.accuracy);
    const pies = okSection(l.pies);
    const onPies = okSection(l.baselineAccuracyOnPies);
    if (!acc) notes.push(`Level ${markdownCell(l.key)} top-1: ${markdownCell(skipNote(l.accuracy) ?? '')}`);
    if (!l.isBaseline && !pies) notes.push(`Level ${markdownCell(l.key)} PIEs: ${markdownCell(skipNote(l.pies) ?? '')}`);
    if (!l.isBaseline && !onPies) notes.push(`Level ${markdownCell(l.key)} baseline accuracy on PIEs: ${markdownCell(skipNote(l.baselineAccuracyOnPies) ?? '')}`);
    return [
      markdownCell(levelLabel(l)),
      formatCount(l.populationSize),
      acc ? formatMeanSd(acc.mean, acc.sd) : markdownCell(l.accuracy.status),
      formatPercent(l.meanSparsity, 1),
      formatBytes(l.meanGzippedBytes),
      pies ? formatCount(pies.count) : l.isBaseline ? MISSING : markdownCell(l.pies.status),
      pies ? formatPercent(pies.rate) : MISSING,
      formatCount(l.modalTies?.count),
      onPies ? formatPercent(onPies.onPies, 1) : MISSING,
      onPies ? formatPercent(onPies.onNonPies, 1) : MISSING,
    ];
  });
  const byClass = piesByClass(report);
  if (byClass) {
    // Classes with the most PIEs at the most compressed level first; capped for many-class tasks.
    const last = byClass.levels.length - 1;
    const sorted = [...byClass.rows].sort((a, b) => (b.counts[last] ?? -1) - (a.counts[last] ?? -1) || a.classIndex - b.classIndex);
    const shown = sorted.slice(0, MAX_CLASS_ROWS * 2);
    const extra = shown.length < sorted.length ? `\n\n${sorted.length - shown.length} more classes in report.html and classes.csv.` : '';
    notes.push(
      collapsible(
        `PIEs by ${byClass.basis}`,
        table(['Class', ...byClass.levels.map((k) => `Level ${markdownCell(k)}`)], shown.map((r) => [markdownCell(r.className), ...r.counts.map((c) => formatCount(c))])) + extra,
      ),
    );
  }
  const parts = [
    '## Levels',
    table(['Level', 'Models', 'Top-1 (mean ± sd, pp)', 'Sparsity', 'Gzipped', 'PIEs', 'PIE rate', 'Modal ties', 'Baseline acc. on PIEs', 'on other examples'], rows),
  ];
  const bullets = notes.filter((n) => !n.startsWith('<details>'));
  if (bullets.length) parts.push(bullets.map((n) => `- ${n}`).join('\n'));
  parts.push(...notes.filter((n) => n.startsWith('<details>')));
  return parts.join('\n\n');
}

function classesSection(report: AuditReport): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const l of compressedLevels(report)) {
    const ci = okSection(l.classImpact);
    if (!ci) {
      notes.push(`Level ${markdownCell(l.key)}: ${markdownCell(skipNote(l.classImpact) ?? '')}`);
      continue;
    }
    const significant = ci.rows.filter((r) => r.significant && r.status === 'ok');
    if (significant.length === 0) notes.push(`Level ${markdownCell(l.key)}: no class significantly hurt or helped.`);
    // Keep the summary small for many-class tasks: the strongest evidence first, the rest in classes.csv.
    const listed = significant.length <= MAX_CLASS_ROWS ? significant : [...significant].sort((a, b) => (a.pAdjusted ?? 1) - (b.pAdjusted ?? 1) || a.classIndex - b.classIndex).slice(0, MAX_CLASS_ROWS);
    if (listed.length < significant.length) notes.push(`Level ${markdownCell(l.key)}: ${significant.length} classes significant; the ${listed.length} with the smallest adjusted p are listed, all are in classes.csv.`);
    for (const r of listed) {
      rows.push([
        markdownCell(l.key),
        markdownCell(r.className || classLabel(report, r.classIndex)),
        r.direction === 'hurt' ? '🔻 hurt' : r.direction === 'helped' ? '🔺 helped' : MISSING,
        formatPp(r.normalizedRecallChange),
        `${formatPercent(r.baselineMeanRecall, 1)} → ${formatPercent(r.compressedMeanRecall, 1)}`,
        formatNumber(r.t, 2),
        formatNumber(r.df, 1),
        formatPValue(r.p),
        formatPValue(r.pAdjusted),
      ]);
    }
    const inconclusive = ci.rows.filter((r) => r.status === 'inconclusive');
    if (inconclusive.length) {
      const more = inconclusive.length > MAX_NAMED ? `; and ${inconclusive.length - MAX_NAMED} more (see classes.csv)` : '';
      notes.push(
        `Level ${markdownCell(l.key)}, inconclusive: ` +
          inconclusive.slice(0, MAX_NAMED).map((r) => `class ${markdownCell(r.className || classLabel(report, r.classIndex))} (${markdownCell(r.reason ?? 'no reason given')})`).join('; ') +
          more,
      );
    }
  }
  const parts = ['## Classes significantly hurt or helped', 'Welch t-test per class of normalised recall (class recall minus the population\'s mean top-1, per model), compressed vs baseline; Δ is in percentage points: negative means compression cost the class more than it cost the model overall.'];
  if (rows.length) parts.push(table(['Level', 'Class', 'Direction', 'Δ normalised recall', 'Recall (baseline → compressed)', 't', 'df', 'p', 'adjusted p'], rows));
  if (notes.length) parts.push(notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}

function attributesSection(report: AuditReport): string | null {
  let top: { level: string; row: AttributeOverIndexRow } | null = null;
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const l of compressedLevels(report)) {
    const a = okSection(l.attributes);
    if (!a) {
      if (l.attributes?.status !== 'unavailable' || report.testSet.attributeNames.length) notes.push(`Level ${markdownCell(l.key)}: ${markdownCell(skipNote(l.attributes) ?? '')}`);
      continue;
    }
    for (const r of a.rows) {
      if (r.overIndexRatio !== null && Number.isFinite(r.overIndexRatio) && (!top || r.overIndexRatio > (top.row.overIndexRatio ?? -Infinity))) top = { level: l.key, row: r };
      rows.push([
        markdownCell(l.key),
        markdownCell(r.attribute),
        markdownCell(r.value),
        `${formatPercent(r.shareAmongPIEs, 1)} (${formatCount(r.countAmongPIEs)})`,
        `${formatPercent(r.shareOverall, 1)} (${formatCount(r.countOverall)})`,
        r.overIndexRatio !== null && Number.isFinite(r.overIndexRatio) ? `${formatNumber(r.overIndexRatio, 2)}×` : MISSING,
        formatPValue(r.p),
        formatPValue(r.pAdjusted),
        r.significant ? 'yes' : 'no',
      ]);
    }
  }
  if (!rows.length && !notes.length) return null;
  const parts = ['## Attribute over-indexing among PIEs', 'Ratio = share among PIEs / share in the test set; > 1 means over-represented among PIEs. p: two-sided Fisher exact test; adjusted p: Benjamini-Hochberg over all attribute values of the level.'];
  if (top) parts.push(`Largest over-index: **${markdownCell(top.row.attribute)} = ${markdownCell(top.row.value)}** at level ${markdownCell(top.level)}, ${formatNumber(top.row.overIndexRatio, 2)}× (Fisher p ${formatPValue(top.row.p)}, adjusted ${formatPValue(top.row.pAdjusted)}${top.row.significant ? ', significant' : ''}).`);
  if (rows.length) parts.push(collapsible(`All ${rows.length} rows`, table(['Level', 'Attribute', 'Value', 'Share among PIEs', 'Share in test set', 'Ratio', 'Fisher p', 'adjusted p', 'Significant'], rows)));
  if (notes.length) parts.push(notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}

function rateChange(base: number | null, comp: number | null, change: number | null): string {
  return `${formatPercent(base, 1)} → ${formatPercent(comp, 1)} (${formatPp(change, 1)})`;
}

function subgroupsSection(report: AuditReport): string | null {
  let worstFpr: { level: string; row: SubgroupErrorRow } | null = null;
  let worstFnr: { level: string; row: SubgroupErrorRow } | null = null;
  const rows: string[][] = [];
  const notes: string[] = [];
  let positive: number | null = null;
  for (const l of compressedLevels(report)) {
    const s = okSection(l.subgroups);
    if (!s) {
      notes.push(`Level ${markdownCell(l.key)}: ${markdownCell(skipNote(l.subgroups) ?? '')}`);
      continue;
    }
    positive = s.positiveClass;
    for (const r of s.rows) {
      if (r.fprChange !== null && Number.isFinite(r.fprChange) && (!worstFpr || r.fprChange > (worstFpr.row.fprChange ?? -Infinity))) worstFpr = { level: l.key, row: r };
      if (r.fnrChange !== null && Number.isFinite(r.fnrChange) && (!worstFnr || r.fnrChange > (worstFnr.row.fnrChange ?? -Infinity))) worstFnr = { level: l.key, row: r };
      rows.push([
        markdownCell(l.key),
        markdownCell(r.attribute),
        markdownCell(r.value),
        formatCount(r.n),
        rateChange(r.baselineFpr, r.compressedFpr, r.fprChange),
        formatPValue(r.fprPValue),
        rateChange(r.baselineFnr, r.compressedFnr, r.fnrChange),
        formatPValue(r.fnrPValue),
      ]);
    }
  }
  if (compressedLevels(report).length === 0) return null;
  if (!rows.length) return `## Subgroup error rates\n\nNot computed: ${markdownCell(uniqueReasons(report))}`;
  const parts = [`## Subgroup error rates${positive !== null ? ` (positive class ${markdownCell(classLabel(report, positive))})` : ''}`, 'False positive / false negative rate, mean over each population\'s models: baseline → compressed (change).'];
  const worst = [
    worstFpr ? `FPR ${formatPp(worstFpr.row.fprChange, 1)} for **${markdownCell(worstFpr.row.attribute)} = ${markdownCell(worstFpr.row.value)}** at level ${markdownCell(worstFpr.level)} (p ${formatPValue(worstFpr.row.fprPValue)})` : null,
    worstFnr ? `FNR ${formatPp(worstFnr.row.fnrChange, 1)} for **${markdownCell(worstFnr.row.attribute)} = ${markdownCell(worstFnr.row.value)}** at level ${markdownCell(worstFnr.level)} (p ${formatPValue(worstFnr.row.fnrPValue)})` : null,
  ].filter((x): x is string => x !== null);
  if (worst.length) parts.push(`Largest increases: ${worst.join('; ')}.`);
  if (rows.length) parts.push(collapsible(`All ${rows.length} rows`, table(['Level', 'Attribute', 'Value', 'n', 'FPR', 'p (FPR)', 'FNR', 'p (FNR)'], rows)));
  if (notes.length) parts.push(notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}

function uniqueReasons(report: AuditReport): string {
  const reasons = new Set(compressedLevels(report).map((l) => skipNote(l.subgroups)).filter((x): x is string => x !== null));
  return [...reasons].join('; ') || 'no compressed levels';
}

function exemplarsSection(report: AuditReport): string | null {
  const lines: string[] = [];
  for (const l of compressedLevels(report)) {
    if (!l.exemplars?.length) continue;
    const shown = l.exemplars.slice(0, 10).map((e) => {
      const truth = e.trueLabel === null ? '' : `, true ${markdownCell(classLabel(report, e.trueLabel))}`;
      return `#${formatCount(e.index)} (${markdownCell(classLabel(report, e.baselineModal))} → ${markdownCell(classLabel(report, e.compressedModal))}${truth})`;
    });
    const more = l.exemplars.length > 10 ? `, … ${l.exemplars.length - 10} more in pies.csv` : '';
    lines.push(`- Level ${markdownCell(l.key)}: ${shown.join(', ')}${more}`);
  }
  if (!lines.length) return null;
  return ['## PIE exemplars', 'Test-set index (baseline modal label → compressed modal label, true label). Thumbnails are in report.html.', lines.join('\n')].join('\n\n');
}

function environmentSection(report: AuditReport): string {
  const env = report.environment;
  const runtimes = Object.entries(env.runtimes ?? {}).map(([k, v]) => `${markdownCell(k)}: ${formatCount(v)}`).join(', ') || MISSING;
  const details = env.backend ? Object.entries(env.backend.details ?? {}).map(([k, v]) => `${markdownCell(k)}=${markdownCell(String(v))}`).join(', ') : '';
  const rows: string[][] = [
    ['pie-audit', markdownCell(env.pieAuditVersion)],
    ['Node', markdownCell(env.nodeVersion)],
    ['Platform', `${markdownCell(env.platform)} ${markdownCell(env.arch)}`],
    ['Backend', env.backend ? `${markdownCell(env.backend.name)}${details ? ` (${details})` : ''}` : 'none (precomputed predictions)'],
    ['Models per runtime', runtimes],
    ['Seed', report.config.seed === null ? MISSING : String(report.config.seed)],
    ['Tie break', markdownCell(report.config.tieBreak)],
    ['Generated', markdownCell(report.generatedAt)],
    ['Time', `${formatNumber(report.timings?.totalSeconds, 1)} s (evaluation ${formatNumber(report.timings?.evaluationSeconds, 1)} s, analysis ${formatNumber(report.timings?.analysisSeconds, 1)} s)`],
  ];
  return `<details><summary>Environment</summary>\n\n${table(['', ''], rows)}\n\n</details>`;
}

/**
 * Renders an {@link AuditReport} as GitHub-flavoured Markdown sized for a GitHub Actions step
 * summary (`cat report.md >> $GITHUB_STEP_SUMMARY`): the verdict and gate reasons first, then a
 * per-level table, significantly hurt/helped classes, attribute over-indexing, subgroup error-rate
 * changes, PIE exemplars and the environment. Skipped or inconclusive results are listed with their
 * reason; missing numbers print as '—' (never NaN or undefined).
 *
 * @example
 * const report = await auditCompression(options);
 * await writeFile('report.md', renderMarkdown(report));
 */
export function renderMarkdown(report: AuditReport): string {
  const sections: Array<string | null> = [
    '# pie-audit report',
    verdictSection(report),
    summaryLine(report),
    levelsSection(report),
    classesSection(report),
    attributesSection(report),
    subgroupsSection(report),
    exemplarsSection(report),
    report.warnings?.length ? `## Warnings\n\n${report.warnings.map((w) => `- ${markdownCell(w)}`).join('\n')}` : null,
    environmentSection(report),
  ];
  return boundMarkdown(sections.filter((s): s is string => s !== null));
}

