import { markdownCell } from '../report/markdown.js';
import { diffTables, diffVerdictText } from './diff-view.js';
import type { AuditDiff } from './types.js';

/**
 * The diff as GitHub-flavoured Markdown (diff.md, e.g. for a pull request or `$GITHUB_STEP_SUMMARY`): findings first,
 * then the verdict, then the tables. Every cell taken from data is escaped.
 *
 * @example
 * await writeFile('diff.md', renderDiffMarkdown(compareAudits(before, after)));
 */
export function renderDiffMarkdown(diff: AuditDiff): string {
  const out: string[] = ['# pie-audit diff', ''];
  const src = (s: AuditDiff['before']) => markdownCell(`${s.source ?? 'in-memory report'} (${s.generatedAt})`);
  out.push(`Earlier audit: ${src(diff.before)} · candidate: ${src(diff.after)} · ${diff.testSet.n} test examples`, '');
  out.push('## What changed', '');
  for (const f of diff.findings) {
    const mark = f.kind === 'worse' ? '**worse**' : f.kind === 'better' ? 'better' : f.kind === 'skip' ? '_not compared_' : 'same';
    out.push(`- ${f.level === null ? '' : `**Level ${markdownCell(f.level)}** (${mark}): `}${markdownCell(f.text)}`);
  }
  if (!diff.findings.length) out.push('- The two audits share no compressed level.');
  out.push('', `## Verdict: ${diffVerdictText(diff)}`, '');
  for (const t of diffTables(diff)) {
    out.push(`## ${t.title}`, '');
    if (!t.rows.length) {
      out.push(t.empty, '');
      continue;
    }
    out.push(`| ${t.columns.map(markdownCell).join(' | ')} |`, `|${t.columns.map(() => ' --- ').join('|')}|`);
    for (const r of t.rows) out.push(`| ${r.map(markdownCell).join(' | ')} |`);
    out.push('');
  }
  out.push(
    'Changes are candidate minus earlier audit. Intervals of a change combine the two bootstrap intervals (see docs/compare.md); ' +
      'the Jaccard index is |PIEs in both| / |PIEs in either|.',
    '',
  );
  return out.join('\n');
}
