import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPValue, formatPp } from '../../src/report/format.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { AWKWARD_CLASS_NAMES, fixtureOptionsArb, makeAuditReport } from './fixtures.js';

/** Table rows of a Markdown document grouped by table, with unescaped pipes counted. */
function tables(md: string): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      if (!current) out.push((current = []));
      current.push(line);
    } else current = null;
  }
  return out;
}
const cells = (row: string): number => row.replace(/\\\|/g, '').split('|').length - 2;

describe('renderMarkdown', () => {
  it('never prints NaN, undefined, null or Infinity, and every table row has as many cells as its header', () => {
    fc.assert(
      fc.property(fixtureOptionsArb(), (options) => {
        const md = renderMarkdown(makeAuditReport(options));
        expect(md).not.toMatch(/NaN|undefined|\bnull\b|Infinity|\[object/);
        for (const t of tables(md)) for (const row of t) expect(cells(row)).toBe(cells(t[0]!));
      }),
      { seed: 20, numRuns: 60 },
    );
  });

  it('puts the verdict and the failing gates right after the findings, before any table of results', () => {
    const report = makeAuditReport({ seed: 1 });
    const md = renderMarkdown(report);
    expect(report.verdict).toBe('fail');
    const verdictAt = md.indexOf('Verdict: FAIL');
    const failing = report.gates!.results.filter((g) => g.status === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    expect(verdictAt).toBeGreaterThan(0);
    for (const g of failing) {
      const at = md.indexOf(`❌ ${g.reason}`);
      expect(at).toBeGreaterThan(verdictAt);
      expect(at).toBeLessThan(md.indexOf('## Levels'));
    }
  });

  it('lists every significantly hurt or spared class with its change in pp and adjusted p, and says which were inconclusive and why', () => {
    const report = makeAuditReport({ seed: 9, chaos: 0.15 });
    const md = renderMarkdown(report);
    let inconclusive = 0;
    for (const level of report.levels) {
      if (level.classImpact.status !== 'ok') continue;
      for (const row of level.classImpact.rows) {
        if (row.significant) {
          const line = md
            .split('\n')
            .find((l) => l.startsWith(`| ${level.key} | “${row.className}” | `) && l.includes(String(row.direction)));
          expect(line, `row for class ${row.className} at ${level.key}`).toBeDefined();
          expect(line).toContain(String(row.direction));
          expect(line).toContain(formatPp(row.normalizedRecallChange));
          expect(line).toContain(formatPValue(row.pAdjusted));
        }
        if (row.status === 'inconclusive') {
          inconclusive++;
          expect(md).toContain(`class “${row.className}” (${row.reason})`);
        }
      }
    }
    expect(inconclusive).toBeGreaterThan(0);
  });

  it('shows skipped sections with their status and reason', () => {
    const md = renderMarkdown(makeAuditReport({ seed: 2, modelsPerLevel: 1 }));
    expect(md).toContain('inconclusive: fewer than 2 models per level; Welch tests need at least 2');
    const noLabels = renderMarkdown(makeAuditReport({ seed: 2, hasLabels: false }));
    expect(noLabels).toContain('unavailable: no true labels were given');
  });

  it('escapes class names so they cannot break tables or inject HTML', () => {
    const md = renderMarkdown(makeAuditReport({ seed: 4, classNames: AWKWARD_CLASS_NAMES }));
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;');
    expect(md).toContain('a\\|b');
  });

  it('writes small p-values in scientific notation and others with 3 decimals', () => {
    expect(formatPValue(1.23e-7)).toBe('1.2e-7');
    expect(formatPValue(0.0421)).toBe('0.042');
    expect(formatPValue(null)).toBe('—');
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        (p) => Math.abs(Number(formatPValue(p)) - p) <= Math.max(0.0005, p * 0.05) + 1e-12,
      ),
      { seed: 21 },
    );
  });

  it('says when no gates are configured', () => {
    const md = renderMarkdown(makeAuditReport({ seed: 3, gated: false }));
    expect(md).toContain('Verdict: UNGATED');
    expect(md).toContain('No release gates were configured');
  });

  it('stays short for many-class tasks: at most 25 significant classes listed, largest loss first, the rest pointed to classes.csv', () => {
    const report = makeAuditReport({ seed: 6, classes: 200 });
    const md = renderMarkdown(report);
    const significant = report.levels.flatMap((l) =>
      l.classImpact.status === 'ok' ? l.classImpact.rows.filter((r) => r.significant && r.status === 'ok') : [],
    );
    const listed = md.split('\n').filter((l) => /^\| [^|]+ \| “[^”]*” \| (🔻 hurt|🔹 spared) \|/.test(l));
    expect(listed).toHaveLength(Math.min(25, significant.length));
    if (significant.length > 25) expect(md).toContain(`${significant.length - 25} more rows in report.html and classes.csv.`);
    // Sorted by effect: the listed changes never decrease down the table, hurt rows first.
    const changes = listed.map((l) => Number(l.split(' | ')[3]!.replace(' pp', '')));
    expect([...changes].sort((a, b) => a - b)).toEqual(changes);
    expect(md).toContain('<summary>PIEs by true class</summary>');
  });
});
