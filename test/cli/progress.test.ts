import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { formatSummary } from '../../src/cli/summary.js';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { syntheticPopulation } from '../audit/synthetic.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (t: string) => (chunks.push(t), true) } as unknown as NodeJS.WriteStream, chunks };
}

describe('progress and summary output', () => {
  it('redraws one bar on a terminal and writes whole lines otherwise', () => {
    const tty = fakeStream(true);
    const p = createProgress({ stream: tty.stream });
    for (let i = 1; i <= 50; i++) p.update('evaluating', i, 50);
    expect(tty.chunks.every((c) => c.startsWith('\r') || c === '\n')).toBe(true);
    expect(tty.chunks.join('')).toMatch(/\[#{30}\] 100% \(50\/50\)\n$/);

    const plain = fakeStream(false);
    const q = createProgress({ stream: plain.stream });
    for (let i = 1; i <= 50; i++) q.update('evaluating', i, 50);
    const lines = plain.chunks.join('').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(12); // about every 10 %, never once per step
    expect(lines.at(-1)).toBe('evaluating: 50/50 (100%)');
    expect(plain.chunks.join('')).not.toContain('\r');

    const quiet = fakeStream(false);
    const r = createProgress({ quiet: true, stream: quiet.stream });
    r.update('x', 1, 2);
    r.log('hello');
    expect(quiet.chunks).toEqual([]);
  });

  it('summarises every level and the gate reasons in plain text', async () => {
    const s = syntheticPopulation({ seed: 4 });
    const report = await auditCompression({ population: s.population, testSet: { labels: s.labels }, gates: { maxPieRate: { 0.9: 0.01 } } });
    const text = formatSummary(report);
    for (const key of ['0', '0.5', '0.9']) expect(text).toMatch(new RegExp(`^${key.replace('.', '\\.')} `, 'm'));
    expect(text).toMatch(/verdict: FAIL \(exit 1\)/);
    expect(text).toMatch(/\[fail\] PIE rate .* exceeds 0\.01/);
    expect(text).not.toMatch(/NaN|undefined/);
  });
});
