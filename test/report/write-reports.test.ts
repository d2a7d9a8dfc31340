import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCsvTables } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { loadReport } from '../../src/report/load-report.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { writeFilesAtomic } from '../../src/report/write-atomic.js';
import { writeReports } from '../../src/report/write-reports.js';
import type { ReportFormat } from '../../src/schema/vocabulary.js';
import { makeAuditReport } from './fixtures.js';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'pie-report-'));

function expectedFiles(report: ReturnType<typeof makeAuditReport>): Record<string, string> {
  return {
    ...renderCsvTables(report),
    'report.md': renderMarkdown(report),
    'report.html': renderHtml(report),
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
  };
}

const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

describe('writeReports replaces the folder as a whole', () => {
  it("keeps the folder's other files and folders, drops the earlier set's files, and leaves nothing beside it", async () => {
    const parent = freshDir();
    const dir = join(parent, 'out');
    await writeReports(makeAuditReport({ seed: 3 }), dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'artifacts', 'models'), { recursive: true });
    writeFileSync(join(dir, 'artifacts', 'models', 'a.json'), '{}');
    writeFileSync(join(dir, 'pies.arrow'), 'an earlier set');
    const report = makeAuditReport({ seed: 4 });
    await writeReports(report, dir, ['json', 'md']);
    expect(readdirSync(dir).sort()).toEqual(['artifacts', 'notes.txt', 'report.json', 'report.md']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'artifacts', 'models', 'a.json'), 'utf8')).toBe('{}');
    expect(await loadReport(join(dir, 'report.json'))).toEqual(report);
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('replaces a folder given through a symbolic link where it lives, and the link stays', async () => {
    const parent = freshDir();
    await writeReports(makeAuditReport({ seed: 5 }), join(parent, 'real'));
    symlinkSync(join(parent, 'real'), join(parent, 'link'));
    const report = makeAuditReport({ seed: 6 });
    await writeReports(report, join(parent, 'link'), ['json']);
    expect(lstatSync(join(parent, 'link')).isSymbolicLink()).toBe(true);
    expect(await loadReport(join(parent, 'real', 'report.json'))).toEqual(report);
    expect(readdirSync(parent).sort()).toEqual(['link', 'real']);
  });

  it('a folder moved aside by a writer killed between its two renames is put back by loadReport and by the next writer', async () => {
    const parent = freshDir();
    const dir = join(parent, 'out');
    const report = makeAuditReport({ seed: 7 });
    await writeReports(report, dir);
    const killed = deadPid();
    renameSync(dir, `${dir}.old-${killed}-0a1b2c3d`);
    mkdirSync(`${dir}.tmp-${killed}-0a1b2c3d`);
    expect(await loadReport(join(dir, 'report.json'))).toEqual(report);
    expect(readdirSync(parent)).toEqual(['out']);
    renameSync(dir, `${dir}.old-${killed}-0a1b2c3e`);
    await writeReports(makeAuditReport({ seed: 8 }), dir, ['md']);
    // The old set came back before the new files were added: its report.json is gone (it describes another report).
    expect(existsSync(join(dir, 'report.md'))).toBe(true);
    expect(existsSync(join(dir, 'report.json'))).toBe(false);
    expect(readdirSync(parent)).toEqual(['out']);
  });
});

describe('writeReports', () => {
  it('writes exactly the requested formats, and report.json loads back equal to the report', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(['json', 'md', 'html', 'csv'] as ReportFormat[], { minLength: 1 }), async (formats) => {
        const dir = freshDir();
        const report = makeAuditReport({ seed: 12, levels: ['0', '0.5', '0.9'] });
        const written = await writeReports(report, dir, formats);
        const expected = expectedFiles(report);
        const names = readdirSync(dir).sort();
        const want = Object.keys(expected)
          .filter((n) => (n.endsWith('.csv') ? formats.includes('csv') : formats.includes(n.split('.')[1] as ReportFormat)))
          .sort();
        expect(names).toEqual(want);
        expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual(want);
        for (const n of names) expect(readFileSync(join(dir, n), 'utf8')).toBe(expected[n]);
        if (formats.includes('json')) expect(await loadReport(join(dir, 'report.json'))).toEqual(report);
      }),
      { seed: 50, numRuns: 8 },
    );
  });

  it('on a failed write leaves no temp files, no report.json, and only complete files', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'report.html')); // a folder in the way: renaming the HTML file onto it fails
    const report = makeAuditReport({ seed: 13 });
    await expect(writeReports(report, dir)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('report.html') });
    const left = readdirSync(dir);
    expect(left.filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(left).not.toContain('report.json');
    const expected = expectedFiles(report);
    for (const n of left) if (n !== 'report.html') expect(readFileSync(join(dir, n), 'utf8')).toBe(expected[n]);
  });

  it('fails with IO_ERROR naming the path when the output folder cannot be created', async () => {
    const file = join(freshDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(writeReports(makeAuditReport({ seed: 1 }), join(file, 'out'))).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining('not-a-folder'),
    });
  });

  it('rejects unknown formats before writing anything', async () => {
    const dir = freshDir();
    await expect(writeReports(makeAuditReport({ seed: 1 }), dir, ['md', 'pdf' as ReportFormat])).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      message: expect.stringContaining('pdf'),
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('loadReport', () => {
  it('names the file in CORRUPT_FILE for truncated JSON', async () => {
    const dir = freshDir();
    const json = JSON.stringify(makeAuditReport({ seed: 2, levels: ['0', '0.9'], thumbnails: false }));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: json.length - 1 }), async (cut) => {
        const file = join(dir, 'report.json');
        writeFileSync(file, json.slice(0, cut));
        await expect(loadReport(file)).rejects.toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringContaining(file) });
      }),
      { seed: 51, numRuns: 25 },
    );
  });

  it('rejects other schema versions with CONFIG_ERROR and missing fields with CORRUPT_FILE naming the field', async () => {
    const dir = freshDir();
    const file = join(dir, 'report.json');
    const report = makeAuditReport({ seed: 2, levels: ['0', '0.9'], thumbnails: false });
    writeFileSync(file, JSON.stringify({ ...report, schemaVersion: 2 }));
    await expect(loadReport(file)).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      message: expect.stringMatching(/schemaVersion 2.*reads schemaVersion 1/),
    });
    const broken = structuredClone(report) as unknown as { levels: Array<Record<string, unknown>> };
    delete broken.levels[1]!.pies;
    writeFileSync(file, JSON.stringify(broken));
    await expect(loadReport(file)).rejects.toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringContaining('levels[1].pies') });
    writeFileSync(file, JSON.stringify({ hello: 1 }));
    await expect(loadReport(file)).rejects.toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringContaining('schemaVersion') });
    await expect(loadReport(join(dir, 'missing.json'))).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining('missing.json'),
    });
  });
});

describe('writeFilesAtomic', () => {
  it('refuses names with folders and writes nothing then', async () => {
    const dir = freshDir();
    await expect(writeFilesAtomic(dir, { 'ok.txt': 'a', '../escape.txt': 'b' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('../escape.txt'),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces an existing file in one step', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'report.md'), 'old');
    await writeFilesAtomic(dir, { 'report.md': 'new' });
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report.md']);
  });
});
