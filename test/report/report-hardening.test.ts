import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPieAuditError } from '../../src/errors.js';
import { boundMarkdown, MAX_MARKDOWN_BYTES } from '../../src/report/bound-markdown.js';
import { renderCsvTables } from '../../src/report/csv.js';
import { findReportProblem, loadReport } from '../../src/report/load-report.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { neutraliseCsvCell } from '../../src/report/neutralise-csv-cell.js';
import { REPORT_LOCK } from '../../src/report/report-lock.js';
import { writeReports } from '../../src/report/write-reports.js';
import { makeAuditReport } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'pie-report-hard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

describe('report hardening', () => {
  it('a renderer-ready report passes the full shape check; a wrong type anywhere is named', () => {
    const report = makeAuditReport({ seed: 3 });
    expect(findReportProblem(JSON.parse(JSON.stringify(report)))).toBeNull();
    const bad = JSON.parse(JSON.stringify(report));
    bad.levels[2].classImpact.rows[0].direction = '<meta http-equiv="refresh" content="0;url=https://example.com">';
    expect(findReportProblem(bad)).toMatch(/^levels\[2\]\.classImpact\.rows\[0\]\.direction: expected one of/);
    const bad2 = JSON.parse(JSON.stringify(report));
    bad2.levels[1].exemplars[0].thumbnail = 'https://example.com/x.png';
    expect(findReportProblem(bad2)).toMatch(/thumbnail: expected null or a data:image\/png;base64 URL/);
  });

  it('neutralises formula-like CSV cells (OWASP), leaving numbers and plain names alone', () => {
    expect(neutraliseCsvCell('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    for (const t of ['+cmd|x', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseCsvCell(t)).toBe(`'${t}`);
    expect(neutraliseCsvCell('Blond_Hair')).toBe('Blond_Hair');
    const report = makeAuditReport({
      seed: 4,
      classNames: ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", '@SUM(1+1)*cmd', 'cat', '-5', 'e', 'f', 'g', 'h', 'i'],
    });
    const tables = renderCsvTables(report);
    for (const [name, text] of Object.entries(tables)) {
      for (const line of text.split('\n')) for (const cell of line.split(',')) expect(cell, `${name}: ${line}`).not.toMatch(/^"?[=+@]/);
    }
    expect(tables['classes.csv']).toContain("'=HYPERLINK");
    expect(tables['levels.csv']).toMatch(/,-?\d/); // numbers stay numbers
  });

  it('bounds report.md to 1 MiB with 65,535 classes, closing what it cuts', () => {
    const report = makeAuditReport({ seed: 5, levels: ['0', '0.9'], classes: 65_535, thumbnails: false });
    // Long names and many warnings push every unbounded list past the limit.
    report.classNames = report.classNames.map((n, i) => `class-${i}-${'x'.repeat(40)}-${n}`);
    report.warnings = Array.from({ length: 30_000 }, (_, i) => `model ${i} fell back to tfjs: ${'reason '.repeat(8)}`);
    const md = renderMarkdown(report);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
    expect(md).toContain("GitHub's step summary limit");
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    expect(boundMarkdown(['# a', 'b'], 100)).toBe('# a\n\nb\n');
  });

  it('never leaves a new CSV beside an old report.json, and refuses a second live writer', async () => {
    const dir = join(root, 'set');
    await writeReports(makeAuditReport({ seed: 6 }), dir);
    expect(readdirSync(dir)).toContain('report.json');
    // A second audit that writes only CSVs: the old report.json no longer describes the folder.
    await writeReports(makeAuditReport({ seed: 7 }), dir, ['csv']);
    expect(existsSync(join(dir, 'report.json'))).toBe(false);
    // Re-rendering a folder's own report.json as HTML keeps it.
    const again = makeAuditReport({ seed: 8 });
    await writeReports(again, dir);
    await writeReports(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')), dir, ['html']);
    expect(existsSync(join(dir, 'report.json'))).toBe(true);
    // A live writer's lock (here: this test's parent process) is refused; a dead one's is taken over.
    writeFileSync(join(dir, REPORT_LOCK), `${process.ppid}\n`);
    const error = await writeReports(again, dir).catch((e: unknown) => e);
    expect(isPieAuditError(error, 'IO_ERROR') && (error as Error).message).toMatch(/being written by another pie-audit/);
    writeFileSync(join(dir, REPORT_LOCK), `${deadPid()}\n`);
    writeFileSync(join(dir, `.report.md.${deadPid()}-abcdef01.tmp`), 'half');
    await writeReports(again, dir);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('removes a stale report set even when the new one is written into a fresh subfolder', async () => {
    const dir = join(root, 'fresh', 'deep');
    mkdirSync(join(root, 'fresh'), { recursive: true });
    await writeReports(makeAuditReport({ seed: 9 }), dir, ['json', 'md']);
    expect(readdirSync(dir).sort()).toEqual(['report.json', 'report.md']);
  });
  it('loadReport refuses a FIFO named report.json instead of blocking on it', async () => {
    const fifo = join(root, 'report.json');
    spawnSync('mkfifo', [fifo]);
    const error = await loadReport(fifo).catch((e: unknown) => e);
    expect(isPieAuditError(error, 'CORRUPT_FILE') && (error as Error).message).toMatch(/not a regular file/);
  });
});
