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
    expect(tty.chunks.join('')).toMatch(/\[#{30}\] 100% 50\/50\x1b\[K\n$/);

    const plain = fakeStream(false);
    const q = createProgress({ stream: plain.stream });
    for (let i = 1; i <= 50; i++) q.update('evaluating', i, 50);
    const lines = plain.chunks.join('').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(12); // about every 10 %, never once per step
    expect(lines.at(-1)).toBe('evaluating: 100% (50/50)');
    expect(plain.chunks.join('')).not.toContain('\r');

    const quiet = fakeStream(false);
    const r = createProgress({ quiet: true, stream: quiet.stream });
    r.update('x', 1, 2);
    r.log('hello');
    expect(quiet.chunks).toEqual([]);
  });

  it('draws one overall bar on a terminal across models, whatever the detail says', () => {
    const tty = fakeStream(true);
    const p = createProgress({ stream: tty.stream });
    for (let m = 0; m < 6; m++) for (let b = 1; b <= 4; b++) p.update('evaluating models', m + b / 4, 6, `model ${m + 1}/6`);
    const text = tty.chunks.join('');
    expect(text.split('\n').length - 1).toBe(1); // one finished bar, not one per model
    expect(text).toMatch(/evaluating models \[#{30}\] 100% model 6\/6\x1b\[K\n$/);
  });

  it('in a pipe prints at most one line per 10 % or per 5 s, and the start and end of a phase', () => {
    let clock = 0;
    const plain = fakeStream(false);
    const q = createProgress({ stream: plain.stream, now: () => clock });
    // 300 steps, a new detail on every one (as the demo's seeds and levels), 100 ms apart: 30 s in all.
    for (let i = 1; i <= 300; i++) {
      clock += 100;
      q.update('building population', i, 300, `step ${i}`);
    }
    const lines = plain.chunks.join('').trim().split('\n');
    expect(lines[0]).toBe('building population: 0% (step 1)');
    expect(lines.at(-1)).toBe('building population: 100% (step 300)');
    expect(lines.length).toBeLessThanOrEqual(12);
    // A slow phase: one step per 2 s prints on the 5 s clock, not on every step.
    const slow = fakeStream(false);
    clock = 0;
    const r = createProgress({ stream: slow.stream, now: () => clock });
    for (let i = 1; i <= 40; i++) {
      clock += 2000;
      r.update('training', i, 400);
    }
    const slowLines = slow.chunks.join('').trim().split('\n');
    expect(slowLines.length).toBeGreaterThan(1);
    expect(slowLines.length).toBeLessThanOrEqual(1 + Math.ceil(80 / 5));
  });

  it('summarises every level and the gate reasons in plain text', async () => {
    const s = syntheticPopulation({ seed: 4 });
    const report = await auditCompression({
      population: s.population,
      testSet: { labels: s.labels },
      gates: { maxPieRate: { 0.9: 0.01 } },
    });
    const text = formatSummary(report);
    for (const key of ['0', '0.5', '0.9']) expect(text).toMatch(new RegExp(`^${key.replace('.', '\\.')} `, 'm'));
    expect(text).toMatch(/verdict: FAIL \(exit 1\)/);
    expect(text).toMatch(/\[fail\] PIE rate .* exceeds 1\.00%/);
    expect(text).not.toMatch(/NaN|undefined/);
  });
});
