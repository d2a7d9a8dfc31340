import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCliInProcess } from './cli-helpers.js';

function runExample(file: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'examples', file), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('examples and demo', () => {
  it('audits the bundled NumPy predictions and the CI gate script passes on the result', () => {
    const out = mkdtempSync(join(tmpdir(), 'pie-audit-example-'));
    const audit = runExample('precomputed-predictions.ts', [out]);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    // The rare digit 9 is among the classes the most-pruned NumPy models forget.
    expect(audit.stdout).toMatch(/level 0\.95: .*significantly hurt classes: .*9/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.levels.map((l: { key: string }) => l.key)).toEqual(['0', '0.5', '0.8', '0.95']);
    expect(report.levels[3].exemplars[0].thumbnail).toMatch(/^data:image\/png;base64,/);
    const gate = runExample('ci-gate.ts', [join(out, 'report.json')]);
    expect(gate.code).toBe(0);
    expect(gate.stdout).toMatch(/release gate: pass \(exit 0\)/);
  });

  it('runs the demo in --quick mode end to end and writes its reports', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pie-audit-demo-'));
    const r = await runCliInProcess(['demo', '--quick', '--quiet', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['report.json', 'report.html', 'report.md']) expect(existsSync(join(out, f))).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.levels.map((l: { key: string }) => l.key)).toEqual(['0', '0.5', '0.9']);
    expect(report.levels[0].populationSize).toBe(2);
    expect(report.levels[2].models[0].sparsity).toBeGreaterThan(0.85);
    expect(report.levels[2].pies.count).toBeGreaterThan(report.levels[1].pies.count);
  });
});
