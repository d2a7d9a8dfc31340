import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPieSets } from '../../src/compare/read-pie-sets.js';
import fc from 'fast-check';
import { compareAudits } from '../../src/compare/compare-audits.js';
import { evaluateDiffGates } from '../../src/compare/diff-gates.js';
import { measureChange } from '../../src/compare/measure-change.js';
import { pieOverlap } from '../../src/compare/pie-overlap.js';
import { renderDiffMarkdown } from '../../src/compare/render-diff-markdown.js';
import { renderDiffHtml } from '../../src/compare/render-diff-html.js';
import type { LevelDiff } from '../../src/compare/types.js';
import { isPieAuditError } from '../../src/errors.js';
import type { AuditReport } from '../../src/schema/index.js';
import { twoAudits } from './audits.js';

describe('pieOverlap', () => {
  it('counts and Jaccard of a small case worked by hand', () => {
    // A = {0, 2, 5, 7, 9}, B = {2, 3, 5, 9, 11, 12}: A ∩ B = {2, 5, 9} (3), A ∪ B = {0, 2, 3, 5, 7, 9, 11, 12} (8).
    expect(pieOverlap(new Set([0, 2, 5, 7, 9]), new Set([2, 3, 5, 9, 11, 12]))).toEqual({
      status: 'ok',
      before: 5,
      after: 6,
      both: 3,
      onlyBefore: 2,
      onlyAfter: 3,
      jaccard: 3 / 8,
    });
    expect(pieOverlap(new Set(), new Set())).toMatchObject({ jaccard: 1 });
    expect(pieOverlap(new Set([1]), new Set())).toMatchObject({ jaccard: 0, onlyBefore: 1 });
  });
});

describe('measureChange', () => {
  it('takes after minus before and combines the half-widths in quadrature', () => {
    const m = measureChange(0.1, 0.13, [0.08, 0.12], [0.1, 0.16]);
    expect(m.change).toBeCloseTo(0.03, 12);
    const half = Math.hypot(0.02, 0.03);
    expect(m.changeCi![0]).toBeCloseTo(0.03 - half, 12);
    expect(m.changeCi![1]).toBeCloseTo(0.03 + half, 12);
    expect(measureChange(0.1, null).change).toBeNull();
    expect(measureChange(0.1, 0.2, null, [0, 1]).changeCi).toBeNull();
  });
});

describe('compareAudits', () => {
  it('an in-memory audit against itself: no change, Jaccard 1 from its own PIE table', async () => {
    const { before, after } = await twoAudits();
    const self = compareAudits(before, before, { maxNewHurtClasses: 0, maxPieRateIncrease: 0, maxTop1DropIncrease: 0 });
    expect(self.exitCode).toBe(0);
    expect(self.levels.every((l) => l.overlap.status === 'ok' && l.overlap.jaccard === 1)).toBe(true);
    // The candidate: rate and drop rose beyond any interval, so 'confident' fails too.
    const worse = compareAudits(before, after, { maxPieRateIncrease: { '0.9': 0.01 }, maxTop1DropIncrease: 0.01, decision: 'confident' });
    expect(worse.gates!.results.filter((r) => r.level === '0.9').map((r) => [r.gate, r.status])).toEqual([
      ['maxPieRateIncrease', 'fail'],
      ['maxTop1DropIncrease', 'fail'],
    ]);
    const high = worse.levels.find((l) => l.key === '0.9')!;
    if (high.overlap.status !== 'ok') throw new Error('overlap missing');
    expect(high.overlap.before).toBe((before.levels[2].pies as { count: number }).count);
    expect(high.overlap.after).toBe((after.levels[2].pies as { count: number }).count);
    expect(high.overlap.both + high.overlap.onlyAfter).toBe(high.overlap.after);
  });

  it('different test sets, and a report that is not one, are typed errors naming the argument', async () => {
    const { before } = await twoAudits();
    const relabelled = structuredClone(before) as AuditReport;
    relabelled.testSet.labelCounts = [101, 99, 100, 100];
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error('did not throw');
    };
    const e = thrown(() => compareAudits(before, relabelled));
    expect(isPieAuditError(e) && e.code === 'INVALID_ARGUMENT' && /testSet\.labelCounts/.test(e.message)).toBe(true);
    const notReport = thrown(() => compareAudits(before, { levels: 3 } as unknown as AuditReport));
    expect(isPieAuditError(notReport) && /after is not an audit report/.test(notReport.message)).toBe(true);
    const badGate = thrown(() => compareAudits(before, before, { maxNewHurtClass: 0 } as never));
    expect(isPieAuditError(badGate) && badGate.code === 'CONFIG_ERROR' && /unknown gate 'maxNewHurtClass'/.test(badGate.message)).toBe(
      true,
    );
  });

  it('escapes data strings in Markdown and HTML', async () => {
    const { before, after } = await twoAudits();
    after.warnings = [...after.warnings, '<script>alert(1)</script> | *bold*'];
    const diff = compareAudits(before, after);
    expect(diff.newWarnings).toContain('<script>alert(1)</script> | *bold*');
    expect(renderDiffHtml(diff)).not.toContain('<script>alert');
    expect(renderDiffMarkdown(diff)).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\*');
  });
});

describe('evaluateDiffGates', () => {
  const level = (change: number, ci: [number, number] | null): LevelDiff =>
    ({
      key: '0.9',
      pieRate: { before: 0.1, after: 0.1 + change, change, changeCi: ci },
      top1Drop: { before: 0, after: 0, change: 0, changeCi: [0, 0] },
      classes: { status: 'ok', newlyHurt: [], noLongerHurt: [], hurtBefore: [], hurtAfter: [] },
      attributes: { status: 'ok', newlyOverIndexed: [], noLongerOverIndexed: [] },
      underpowered: null,
    }) as unknown as LevelDiff;
  it("decides a change as a point, or by its interval under 'confident'", () => {
    const gate = (l: LevelDiff, decision: 'point' | 'confident') => evaluateDiffGates([l], { maxPieRateIncrease: 0.02, decision }).verdict;
    expect(gate(level(0.03, [0.01, 0.05]), 'point')).toBe('fail');
    expect(gate(level(0.03, [0.01, 0.05]), 'confident')).toBe('inconclusive');
    expect(gate(level(0.03, [0.025, 0.035]), 'confident')).toBe('fail');
    expect(gate(level(0.01, [0.005, 0.015]), 'confident')).toBe('pass');
    expect(gate(level(0.01, null), 'confident')).toBe('inconclusive');
    // A count of newly significant classes with too few models: a pass is only inconclusive.
    const weak = { ...level(0, [0, 0]), underpowered: 'too few models' } as LevelDiff;
    expect(evaluateDiffGates([weak], { maxNewHurtClasses: 0 }).verdict).toBe('inconclusive');
  });
});

describe('compareAudits on generated inputs', () => {
  it('Jaccard lies in [0, 1], is symmetric, and the counts add up', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(60)), fc.uniqueArray(fc.nat(60)), (xs, ys) => {
        const ab = pieOverlap(new Set(xs), new Set(ys));
        const ba = pieOverlap(new Set(ys), new Set(xs));
        if (ab.status !== 'ok' || ba.status !== 'ok') return false;
        return (
          ab.jaccard >= 0 &&
          ab.jaccard <= 1 &&
          ab.jaccard === ba.jaccard &&
          ab.both + ab.onlyBefore === xs.length &&
          ab.both + ab.onlyAfter === ys.length &&
          (ab.jaccard === 1) === (ab.onlyBefore === 0 && ab.onlyAfter === 0)
        );
      }),
    );
  });

  it('a report with a field changed or removed gives a typed error or a valid diff', async () => {
    const { before, after } = await twoAudits();
    const paths = ['testSet.n', 'testSet.labelCounts', 'classNames', 'levels', 'warnings', 'baselineLevel', 'testSet.attributeNames'];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.constantFrom<unknown>(undefined, null, 0, 'x', [], {}, -1, [1, 2]), (path, value) => {
        const broken = structuredClone(after) as unknown as Record<string, Record<string, unknown>>;
        const [head, tail] = path.split('.');
        if (tail) broken[head][tail] = value;
        else (broken as Record<string, unknown>)[head] = value;
        try {
          const diff = compareAudits(before, broken as unknown as AuditReport, { maxNewHurtClasses: 0 });
          return [0, 1, 3].includes(diff.exitCode) && JSON.parse(JSON.stringify(diff)).levels.length === diff.levels.length;
        } catch (e) {
          return isPieAuditError(e);
        }
      }),
      { numRuns: 60, seed: 19 },
    );
  });

  it("a reordered test set with equal counts is caught by the exemplars' true labels", async () => {
    const { after } = await twoAudits();
    const moved = structuredClone(after) as AuditReport;
    const e = moved.levels[2].exemplars[0];
    e.trueLabel = ((e.trueLabel ?? 0) + 1) % 4;
    expect(() => compareAudits(after, moved)).toThrow(/true label of test example/);
  });
});

describe('readPieSets', () => {
  it('reads pies.csv, and a row outside the test set or a file without the columns is CORRUPT_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pie-sets-'));
    writeFileSync(join(dir, 'pies.csv'), 'level,index,kind\n0.9,3,forgotten\n"0.9",7,x\n0.5,3,y\n');
    const { sets, file } = await readPieSets(dir, 10);
    expect(file).toBe('pies.csv');
    expect([...sets!.get('0.9')!]).toEqual([3, 7]);
    expect([...sets!.get('0.5')!]).toEqual([3]);
    writeFileSync(join(dir, 'pies.csv'), 'level,index\n0.9,10\n');
    await expect(readPieSets(dir, 10)).rejects.toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringMatching(/row 2/) });
    writeFileSync(join(dir, 'pies.csv'), 'a,b\n1,2\n');
    await expect(readPieSets(dir, 10)).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    writeFileSync(join(dir, 'pies.arrow'), 'not arrow');
    await expect(readPieSets(dir, 10)).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });
});
