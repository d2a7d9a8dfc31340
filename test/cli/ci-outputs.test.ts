import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';
import { renderJunit } from '../../src/report/junit.js';

let dir: string;

/** The CLI in-process with its own environment (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY). */
async function run(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const stream = { write: (t: string) => ((stderr += t), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: stream, env });
  return { code, stdout, stderr };
}

/** Python's own XML parser reads the JUnit file: test cases, failures and skips with their messages. */
function parseJunit(file: string): {
  tests: string;
  failures: string;
  skipped: string;
  cases: Array<{ name: string; kind: string; message: string }>;
} {
  const script = `import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find('testsuite')
cases = []
for c in suite.findall('testcase'):
    child = c.find('failure') if c.find('failure') is not None else c.find('skipped')
    kind, message = ('pass', '') if child is None else (child.tag, child.get('message'))
    cases.append({'name': c.get('name'), 'kind': kind, 'message': message})
print(json.dumps({'tests': suite.get('tests'), 'failures': suite.get('failures'), 'skipped': suite.get('skipped'), 'cases': cases}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pie-audit-ci-'));
  // Predictions only, no labels: PIE gates decide, accuracy gates cannot (inconclusive).
  const files = {
    '0': [
      [0, 1, 2, 2],
      [0, 1, 2, 1],
    ],
    int8: [
      [0, 2, 2, 2],
      [1, 2, 2, 2],
    ],
  };
  const population: Record<string, string[]> = {};
  for (const [level, list] of Object.entries(files)) {
    population[level] = list.map((p, i) => {
      writeFileSync(join(dir, `${level}-${i}.json`), JSON.stringify({ predictions: p }));
      return `${level}-${i}.json`;
    });
  }
  const gates = { maxPieCount: { int8: 0 }, maxPieRate: { int8: 0.9 }, minTop1: { int8: 0.5 } };
  writeFileSync(join(dir, 'audit.json'), JSON.stringify({ population, gates }));
  writeFileSync(join(dir, 'gates.json'), JSON.stringify(gates));
});

describe('CLI outputs for CI', () => {
  it('--junit writes every gate as a test case that a standard XML parser reads', async () => {
    const junit = join(dir, 'results', 'gates.xml');
    const r = await run(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out'), '--quiet', '--junit', junit]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const parsed = parseJunit(junit);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(parsed.tests).toBe(String(report.gates.results.length));
    expect(parsed.failures).toBe('1');
    expect(parsed.skipped).toBe('1');
    const byKind = Object.fromEntries(parsed.cases.map((c) => [c.kind, c]));
    expect(byKind.failure.name).toBe('maxPieCount at level int8');
    expect(byKind.failure.message).toBe(report.gates.results.find((g: { status: string }) => g.status === 'fail').reason);
    expect(byKind.skipped.message).toMatch(/^inconclusive: /);
    expect(byKind.pass.name).toBe('maxPieRate at level int8');
  });

  it('escapes what XML cannot hold as is', () => {
    const xml = renderJunit({
      verdict: 'fail',
      exitCode: 1,
      results: [
        {
          gate: 'attributes.maxOverIndex',
          level: '0.9',
          attribute: 'a<&>"',
          value: "it's\u0001",
          threshold: 1.5,
          observed: 2,
          status: 'fail',
          reason: 'ratio 2 > 1.5 for <a & b>',
        },
      ],
    });
    const file = join(dir, 'escaped.xml');
    writeFileSync(file, xml);
    const parsed = parseJunit(file);
    expect(parsed.cases[0]).toEqual({
      name: `attributes.maxOverIndex a<&>"=it's at level 0.9`,
      kind: 'failure',
      message: 'ratio 2 > 1.5 for <a & b>',
    });
    expect(renderJunit(null)).toMatch(/tests="0"[^]*no gates configured/);
  });

  it('with GITHUB_ACTIONS=true prints ::error:: per failed and ::warning:: per inconclusive gate', async () => {
    const report = join(dir, 'out', 'report.json');
    if (!existsSync(report)) await run(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out'), '--quiet']);
    const r = await run(['gate', report, '--gates', join(dir, 'gates.json'), '--quiet'], { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^::error title=pie-audit gate failed%3A maxPieCount at level int8::2 PIEs at level int8 exceeds the limit of 0$/,
    );
    expect(lines[1]).toMatch(/^::warning title=pie-audit gate inconclusive%3A minTop1 at level int8::/);
    expect((await run(['gate', report, '--gates', join(dir, 'gates.json'), '--quiet'], {})).stdout).toBe('');
  });

  it('--step-summary appends the Markdown report to GITHUB_STEP_SUMMARY, and is a usage error outside Actions', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const report = join(dir, 'out', 'report.json');
    if (!existsSync(report)) await run(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out'), '--quiet']);
    const r = await run(['gate', report, '--gates', join(dir, 'gates.json'), '--quiet', '--step-summary'], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.code).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n')).toBe(true);
    expect(text).toMatch(/maxPieCount|PIE count/);
    expect(text.length).toBeGreaterThan(300);
    const missing = await run(['gate', report, '--gates', join(dir, 'gates.json'), '--step-summary'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^pie-audit: error: --step-summary: GITHUB_STEP_SUMMARY is not set/);
    expect(missing.stdout).toBe('');
  });

  it('no command prints the help on stderr and exits 2; the help names docs that exist', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage:/);
    const docs = /^Docs: (.*)$/m.exec(r.stderr)![1].split(', ');
    expect(docs).toHaveLength(3);
    for (const path of docs) expect(existsSync(path), path).toBe(true);
  });

  it('report without --format writes Markdown to the terminal, and HTML only to a .html file', async () => {
    const report = join(dir, 'out', 'report.json');
    if (!existsSync(report)) await run(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out'), '--quiet']);
    const r = await run(['report', report]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# /);
    expect(r.stdout).not.toMatch(/<html|<!doctype/i);
    const html = join(dir, 'page.html');
    expect((await run(['report', report, '--out', html, '--quiet'])).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
  });
});
