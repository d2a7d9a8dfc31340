import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditDiff } from '../../src/compare/index.js';
import { runCliInProcess as run } from '../cli/cli-helpers.js';
import { twoAudits, writeAudit } from './audits.js';

describe('pie-audit diff', () => {
  let beforeJson: string;
  let afterJson: string;
  let work: string;
  let gatesFile: string;

  beforeAll(async () => {
    const { before, after } = await twoAudits();
    beforeJson = await writeAudit(before, 'before');
    afterJson = await writeAudit(after, 'after');
    work = mkdtempSync(join(tmpdir(), 'pie-diff-cli-'));
    gatesFile = join(work, 'gates.json');
    writeFileSync(gatesFile, JSON.stringify({ maxNewHurtClasses: 0, maxNewOverIndexed: 0 }));
  });

  it('an audit against itself: exit 0 and zero changes', async () => {
    const out = join(work, 'self');
    const r = await run(['diff', beforeJson, beforeJson, '--gates', gatesFile, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const diff = JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8')) as AuditDiff;
    expect(diff.verdict).toBe('pass');
    expect(diff.levels.map((l) => l.key)).toEqual(['0.5', '0.9']);
    for (const l of diff.levels) {
      expect([l.top1Drop.change, l.pieCount.change, l.pieRate.change, l.excessPies.change]).toEqual([0, 0, 0, 0]);
      expect(l.overlap).toMatchObject({ status: 'ok', onlyBefore: 0, onlyAfter: 0, jaccard: 1 });
      expect(l.classes).toMatchObject({ status: 'ok', newlyHurt: [], noLongerHurt: [] });
      expect(l.attributes.status === 'ok' ? l.attributes.newlyOverIndexed : []).toEqual([]);
    }
    expect(diff.newWarnings).toEqual([]);
    expect(r.stdout).toMatch(/level 0\.9 \[same\]: no change/);
  });

  it('a candidate that hurts one more class: exit 1 naming the class, JUnit and annotations as gate writes them', async () => {
    const out = join(work, 'worse');
    const junit = join(work, 'diff-gates.xml');
    const { runCli } = await import('../../src/cli/run-cli.js');
    let stdout = '';
    const stderr = { write: (t: string) => ((stdout += t), true) } as unknown as NodeJS.WriteStream;
    const code = await runCli(['diff', beforeJson, afterJson, '--gates', gatesFile, '--out', out, '--junit', junit], {
      stdout: (t) => (stdout += t),
      stderr,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/\[fail\] 1 newly hurt class\(es\) at level 0\.9 \('cat'\)/);
    expect(stdout).toMatch(/::error title=pie-audit gate failed%3A maxNewHurtClasses at level 0\.9::1 newly hurt/);
    const diff = JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8')) as AuditDiff;
    const high = diff.levels.find((l) => l.key === '0.9')!;
    expect(high.classes).toMatchObject({ status: 'ok', newlyHurt: ['cat'] });
    expect(high.pieCount.change).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'diff.md'), 'utf8')).toMatch(/\*\*Level 0\.9\*\* \(\*\*worse\*\*\): newly hurt: 'cat'/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<failure message="1 newly hurt class\(es\) at level 0\.9 \(&apos;cat&apos;\)/);
    expect(high.attributes).toMatchObject({ status: 'ok', newlyOverIndexed: [{ attribute: 'tone', value: 'warm' }] });
    expect(stdout).toMatch(/\[fail\] 1 newly over-indexed attribute value\(s\) at level 0\.9 \(tone=warm\)/);
    // The same two audits the other way round: 'cat' is no longer hurt.
    const back = await run(['diff', afterJson, beforeJson]);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/no longer hurt: 'cat'/);
  });

  it('help, and --step-summary appends diff.md to the job summary', async () => {
    const help = await run(['help', 'diff']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: pie-audit diff <before\/report\.json> <after\/report\.json>/);
    const summary = join(work, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const { runCli } = await import('../../src/cli/run-cli.js');
    const stderr = { write: () => true } as unknown as NodeJS.WriteStream;
    const code = await runCli(['diff', beforeJson, afterJson, '--step-summary', '--quiet'], {
      stdout: () => {},
      stderr,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(code).toBe(0);
    expect(readFileSync(summary, 'utf8')).toMatch(/^# earlier step\n# pie-audit diff\n[\s\S]*newly hurt: 'cat'/);
  });

  it('reports of different test sets: exit 2 with a typed error naming the field', async () => {
    const { before } = await twoAudits({ perClass: 90 });
    const other = await writeAudit(before, 'other');
    const r = await run(['diff', beforeJson, other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/different test sets \(testSet\.n: 400 before, 360 after\)/);
    const missing = await run(['diff', beforeJson]);
    expect(missing.code).toBe(2);
    const badGates = join(work, 'bad-gates.json');
    writeFileSync(badGates, JSON.stringify({ maxNewHurtClasses: { '0.7': 0 } }));
    const bad = await run(['diff', beforeJson, afterJson, '--gates', badGates]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/level '0\.7'/);
  });

  it('without pies.arrow reads pies.csv, and without either says the overlap is unavailable', async () => {
    const folder = dirname(afterJson);
    rmSync(join(folder, 'pies.arrow'));
    const csv = await run(['diff', beforeJson, afterJson, '--out', join(work, 'csv')]);
    expect(csv.code).toBe(0);
    const fromCsv = JSON.parse(readFileSync(join(work, 'csv', 'diff.json'), 'utf8')) as AuditDiff;
    expect(fromCsv.levels[1].overlap.status).toBe('ok');
    rmSync(join(folder, 'pies.csv'));
    const none = await run(['diff', beforeJson, afterJson, '--out', join(work, 'none')]);
    const noPies = JSON.parse(readFileSync(join(work, 'none', 'diff.json'), 'utf8')) as AuditDiff;
    expect(none.code).toBe(0);
    expect(noPies.levels[1].overlap).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/no pies\.arrow or pies\.csv/) });
  });
});
