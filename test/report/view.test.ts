import { describe, expect, it } from 'vitest';
import { formatPp, formatPValue } from '../../src/report/format.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import {
  attributesView,
  classesView,
  exemplarLevels,
  findingsView,
  formatGateValue,
  levelsView,
  subgroupsView,
} from '../../src/report/view/index.js';
import type { AuditReport, ClassImpactSummary } from '../../src/schema/index.js';
import { makeAuditReport } from './fixtures.js';

const impact = (report: AuditReport, key: string) => {
  const s = report.levels.find((l) => l.key === key)!.classImpact;
  if (s.status !== 'ok') throw new Error('fixture level should have class tests');
  return s as ClassImpactSummary & { status: 'ok' };
};

describe('report view', () => {
  it('opens with one finding per compressed level naming the hurt classes, largest loss first, with their size and adjusted p', () => {
    const report = makeAuditReport({ seed: 1 });
    const { levels } = findingsView(report);
    expect(levels.map((f) => f.level)).toEqual(report.levels.filter((l) => !l.isBaseline).map((l) => l.key));
    const last = report.levels.at(-1)!;
    const hurt = impact(report, last.key)
      .rows.filter((r) => r.direction === 'hurt')
      .sort((a, b) => a.normalizedRecallChange! - b.normalizedRecallChange!);
    expect(hurt.length).toBeGreaterThan(1);
    const text = levels.at(-1)!.sentences[0]!.text;
    expect(levels.at(-1)!.kind).toBe('hurt');
    const at = hurt.map((r) => text.indexOf(`“${r.className}” ${formatPp(r.normalizedRecallChange)}`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain(`adj. p ${formatPValue(hurt[0]!.pAdjusted)}`);
    // The same sentences open both formats, before the verdict.
    const md = renderMarkdown(report);
    expect(md.indexOf('## What compression cost')).toBeLessThan(md.indexOf('Verdict:'));
    expect(md).toContain(`**Level ${last.key}**: `);
    const html = renderHtml(report);
    expect(html.indexOf('id="findings"')).toBeLessThan(html.indexOf('class="verdict'));
  });

  it('sorts the significant classes of all levels by effect and shows "adjusted p" only when a correction ran', () => {
    const report = makeAuditReport({ seed: 1 });
    const table = classesView(report)!.tables[0]!;
    const changes = table.rows.map((r) => Number(r[3]!.text.split(' ')[0]));
    expect([...changes].sort((a, b) => a - b)).toEqual(changes);
    expect(table.columns.map((c) => c.label)).toContain('adjusted p');
    for (const l of report.levels) if (l.classImpact.status === 'ok') l.classImpact.correction = 'none';
    const uncorrected = classesView(report)!;
    expect(uncorrected.tables.flatMap((t) => t.columns.map((c) => c.label))).not.toContain('adjusted p');
    expect(renderHtml(report)).toContain('>p &lt; 0.05</text>');
  });

  it("names 'spared' for what it means and puts the hurt classes in the levels table", () => {
    const report = makeAuditReport({ seed: 1 });
    const rows = classesView(report)!.tables[0]!.rows;
    const spared = rows.find((r) => r[2]!.text === 'spared');
    if (spared) expect(spared[2]!.title).toBe('lost less recall than the model as a whole (its recall may still have fallen)');
    const levels = levelsView(report).tables[0]!;
    const col = levels.columns.findIndex((c) => c.label === 'Hurt classes');
    const last = report.levels.length - 1;
    const hurt = impact(report, report.levels[last]!.key).hurtClasses;
    expect(levels.rows[last]![col]!.text).toBe(`${hurt.length}: ${hurt.map((c) => `“${report.classNames[c]}”`).join(', ')}`);
    expect(levels.rows[last]![col]!.kind).toBe('hurt');
  });

  it('says a reason shared by every level once, and a missing attribute input once', () => {
    const md = renderMarkdown(makeAuditReport({ seed: 2, hasLabels: false }));
    expect(md.match(/no true labels were given/g)!.length).toBeLessThanOrEqual(4);
    expect(md).toContain('Top-1, all levels: unavailable: no true labels were given');
    const report = makeAuditReport({ seed: 2 });
    report.testSet.attributeNames = [];
    for (const l of report.levels) {
      l.attributes = { status: 'unavailable', reason: 'no group attributes were given (testSet.attributes)' };
      l.subgroups = { status: 'unavailable', reason: 'no group attributes were given (testSet.attributes)' };
    }
    expect(attributesView(report)!.notes).toEqual(['Not audited: no group attributes were given (testSet.attributes).']);
    expect(subgroupsView(report)).toBeNull();
    expect(renderMarkdown(report).match(/no group attributes were given/g)).toHaveLength(1);
    expect(renderMarkdown(report)).not.toMatch(/Not computed: unavailable:/);
  });

  it('prints gate values in the units of the tables', () => {
    expect(formatGateValue('maxPieRate', 0.2615)).toBe('26.15%');
    expect(formatGateValue('minTop1', 0.95)).toBe('95.00%');
    expect(formatGateValue('maxTop1Drop', 0.01)).toBe('+1.00 pp');
    expect(formatGateValue('attributes.maxFnrGap', 0.05)).toBe('+5.00 pp');
    expect(formatGateValue('attributes.maxOverIndex', 1.5)).toBe('1.50×');
    expect(formatGateValue('maxPieCount', 1200)).toBe('1,200');
    expect(formatGateValue('maxPieRate', null)).toBe('—');
  });

  it('lists PIE exemplars in the same order in Markdown and HTML: forgotten first', () => {
    const report = makeAuditReport({ seed: 3 });
    const md = renderMarkdown(report);
    const html = renderHtml(report, { pies: null });
    for (const { level, exemplars } of exemplarLevels(report)) {
      const line = md.split('\n').find((l) => l.startsWith(`- Level ${level.key}: \\#`))!;
      const mdOrder = [...line.matchAll(/\\#([\d,]+) \(/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
      expect(mdOrder).toEqual(exemplars.slice(0, 10).map((e) => e.index));
      const levelIndex = report.levels.filter((l) => !l.isBaseline).indexOf(level);
      const htmlOrder = [
        ...html.matchAll(new RegExp(`data-level="${levelIndex}"[^>]*><img[^>]*><figcaption class="labels">#([\\d,]+)`, 'g')),
      ].map((m) => Number(m[1]!.replace(/,/g, '')));
      expect(htmlOrder).toEqual(
        exemplars
          .filter((e) => e.thumbnail)
          .slice(0, 48)
          .map((e) => e.index),
      );
      const kinds = exemplars.map((e) => (e.trueLabel === e.baselineModal ? 0 : e.trueLabel === e.compressedModal ? 1 : 2));
      expect([...kinds].sort()).toEqual(kinds);
    }
  });
});
