/**
 * The renderers on a report made by the real auditCompression (precomputed predictions, so no
 * model runs): every format renders, nothing prints NaN/undefined, and report.json loads back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from '@uwdata/flechette';
import { fromCSV } from 'arquero';
import { describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { findReportProblem } from '../../src/report/load-report.js';
import { loadReport } from '../../src/report/load-report.js';
import { writeReports } from '../../src/report/write-reports.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('reports of a real auditCompression result', () => {
  it('render in every format without NaN/undefined and report.json loads back', async () => {
    const r = rng(99);
    const n = 400;
    const k = 4;
    const labels = Array.from({ length: n }, () => Math.floor(r() * k));
    const inputs = new Float32Array(n * 8 * 8).map(() => r());
    const attribute = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
    // Each model errs on a random share of examples that grows with the level.
    const member = (errorRate: number) => ({
      predictions: labels.map((y) => (r() < errorRate ? (y + 1 + Math.floor(r() * (k - 1))) % k : y)),
    });
    const population = {
      '0': [member(0.05), member(0.05), member(0.05)],
      '0.5': [member(0.08), member(0.08), member(0.08)],
      '0.9': [member(0.2), member(0.2), member(0.2)],
    };
    const report = await auditCompression({
      population,
      testSet: { inputs, inputShape: [8, 8, 1], n, labels, attributes: { group: attribute } },
      classNames: ['w', 'x', 'y', 'z'],
      gates: { maxPieRate: { '0.9': 0.05 } },
      seed: 1,
    });
    expect(findReportProblem(JSON.parse(JSON.stringify(report)))).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'pie-report-real-'));
    try {
      await writeReports(report, dir);
      for (const f of ['report.md', 'report.html', 'levels.csv', 'classes.csv', 'attributes.csv', 'pies.csv', 'gates.csv']) {
        expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/NaN|undefined|Infinity/);
      }
      const md = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(md).toContain(`Verdict: ${report.verdict.toUpperCase()}`);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('id="chart-pie-rate"');
      expect(await loadReport(join(dir, 'report.json'))).toEqual(JSON.parse(JSON.stringify(report)));
      // pies.csv lists every PIE of every level (not only the exemplars report.json keeps), with the attribute.
      const pieLines = readFileSync(join(dir, 'pies.csv'), 'utf8').trim().split('\n');
      const total = report.levels.reduce((s, l) => s + (l.pies.status === 'ok' ? l.pies.count : 0), 0);
      expect(pieLines).toHaveLength(1 + total);
      expect(total).toBeGreaterThan(report.levels.reduce((s, l) => s + l.exemplars.length, 0));
      expect(pieLines[0]!.split(',').at(-1)).toBe('attribute:group');
      // pies.arrow holds the same rows, typed.
      const arrow = tableFromIPC(readFileSync(join(dir, 'pies.arrow'))).toArray() as Array<Record<string, unknown>>;
      const csvRows = fromCSV(readFileSync(join(dir, 'pies.csv'), 'utf8'), { autoType: false }).objects() as Array<
        Record<string, string | null>
      >;
      expect(arrow).toHaveLength(total);
      arrow.forEach((row, i) => {
        const c = csvRows[i]!;
        expect([row.level, row.index, row.true_label, row.kind, row.baseline_correct, row['attribute:group']]).toEqual([
          c.level,
          Number(c.index),
          c.true_label === null ? null : Number(c.true_label),
          c.kind,
          c.baseline_correct === 'true',
          c['attribute:group'],
        ]);
        expect(row.compressed_agreement).toBe(Number(c.compressed_agreement));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
