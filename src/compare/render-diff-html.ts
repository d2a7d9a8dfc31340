import { REPORT_CSS } from '../report/html-style.js';
import { escapeXml as esc } from '../report/svg/escape.js';
import { diffTables, diffVerdictText } from './diff-view.js';
import type { DiffTable } from './diff-view.js';
import type { AuditDiff } from './types.js';

const DIFF_CSS = `.findings li.worse::marker { color: var(--fail); } .findings li.better::marker { color: var(--pass); }
.findings li.worse b { color: var(--fail); } .findings li.skip { color: var(--warn); }`;

function table(t: DiffTable): string {
  const body = t.rows.length
    ? `<div class="scroll"><table><thead><tr>${t.columns.map((c, i) => `<th${i === 0 || c === 'reason' ? ' class="t"' : ''}>${esc(c)}</th>`).join('')}</tr></thead><tbody>${t.rows
        .map(
          (r) =>
            `<tr>${r
              .map((c, i) => {
                const status = t.id === 'gates' && i === 0 ? ` status-${c}` : '';
                return `<td class="t${status}">${esc(c)}</td>`;
              })
              .join('')}</tr>`,
        )
        .join('')}</tbody></table></div>`
    : `<p class="note">${esc(t.empty)}</p>`;
  return `<section id="${esc(t.id)}"><h2>${esc(t.title)}</h2>${body}</section>`;
}

/**
 * The diff as one self-contained HTML page (diff.html): the findings first, like the report page, then the verdict
 * and the tables; the report's style sheet, every data string escaped, no script and nothing fetched.
 *
 * @example
 * await writeFile('diff.html', renderDiffHtml(compareAudits(before, after)));
 */
export function renderDiffHtml(diff: AuditDiff): string {
  const items = diff.findings.map(
    (f) =>
      `<li class="${f.kind}"${f.level === null ? '' : ` data-level="${esc(f.level)}"`}>${f.level === null ? '' : `<b>Level ${esc(f.level)}:</b> `}${esc(f.text)}</li>`,
  );
  const findings = `<section class="findings" id="findings" aria-label="findings"><h2>What changed</h2><ul>${items.join('') || '<li>The two audits share no compressed level.</li>'}</ul></section>`;
  const verdict = `<section class="verdict verdict-${esc(diff.verdict)}" aria-label="verdict"><h2>${esc(diffVerdictText(diff))}</h2></section>`;
  const src = (s: AuditDiff['before']) => `${esc(s.source ?? 'in-memory report')} (${esc(s.generatedAt)})`;
  const body = [
    '<h1>pie-audit diff</h1>',
    `<p class="sub">Earlier audit ${src(diff.before)} · candidate ${src(diff.after)} · ${esc(String(diff.testSet.n))} test examples</p>`,
    findings,
    verdict,
    ...diffTables(diff).map(table),
    '<p class="note">Changes are candidate minus earlier audit. Intervals of a change combine the two bootstrap intervals; the Jaccard index is |PIEs in both| / |PIEs in either|.</p>',
  ].join('\n');
  const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${esc(`pie-audit diff: ${diffVerdictText(diff)}`)}</title>
<style>${REPORT_CSS}${DIFF_CSS}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}
