/**
 * Fault tests: the CLI's writers killed with SIGKILL at seeded random moments, then run again. The
 * folder must hold one complete report set or none (never new files beside an old report.json), and
 * a population folder must load, with no leftover audited.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadReport } from '../../src/report/load-report.js';
import { writeReports } from '../../src/report/write-reports.js';
import { disposePopulation, loadPopulation } from '../../src/population/index.js';
import { scanPopulationFolder } from '../../src/population/scan-population-folder.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { initBackend } from '../../src/engine/index.js';
import { makeAuditReport } from '../report/fixtures.js';
import { repoRoot } from '../cli/cli-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'pie-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const random = mulberry32(1212);

/** Starts a child, waits for its 'ready' line, lets it work `ms`, then kills it with SIGKILL. */
function runAndKill(script: string, dir: string, ms: number, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/fault', script), dir, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended with ${code}: ${stderr}`))));
  });
}

/** The generation tag a set's files carry, or null when the file is absent. */
const generationIn = (file: string) => (existsSync(file) ? (/gen-(\d+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? 'none') : null);

describe('kill -9 during writeReports', () => {
  it('leaves one complete set or none, and a re-run cleans up', async () => {
    for (let round = 0; round < 2; round++) {
      const dir = join(root, `reports-${round}`);
      await runAndKill('write-reports-child.ts', dir, 150 + Math.floor(random() * 600));
      if (existsSync(join(dir, 'report.json'))) {
        const report = await loadReport(join(dir, 'report.json'));
        const generation = /gen-(\d+)/.exec(report.classNames[0])?.[1];
        // Every file beside report.json belongs to the same generation: no mix that looks complete.
        for (const name of ['report.md', 'report.html', 'classes.csv'])
          expect(generationIn(join(dir, name)), `${round}: ${name}`).toBe(generation);
      }
      await writeReports(makeAuditReport({ seed: 2 }), dir);
      expect(
        readdirSync(dir).filter((n) => n.startsWith('.')),
        `round ${round}`,
      ).toEqual([]);
      expect((await loadReport(join(dir, 'report.json'))).generatedAt).toBe(makeAuditReport({ seed: 2 }).generatedAt);
    }
  }, 60_000);
});

describe('kill -9 while a complete report set is replaced', () => {
  it('always leaves one complete set, the old one or the new one, and the next write leaves nothing beside it', async () => {
    const parent = join(root, 'replace');
    const dir = join(parent, 'out');
    const report = makeAuditReport({ seed: 41, classes: 200, thumbnails: true });
    const fullSet = await writeReports(report, dir);
    const names = fullSet.map((f) => basename(f)).sort();
    for (let round = 0; round < 12; round++) {
      await runAndKill('write-reports-child.ts', dir, 100 + Math.floor(random() * 900), 'full');
      // loadReport puts back a folder moved aside by a writer killed between its two renames.
      const kept = await loadReport(join(dir, 'report.json'));
      const generation = /gen-(\d+)/.exec(kept.classNames[0])?.[1] ?? 'none';
      expect(
        readdirSync(dir)
          .filter((n) => !n.startsWith('.'))
          .sort(),
        `round ${round}`,
      ).toEqual(names);
      // The files that name class 0 (its name carries the generation) all come from report.json's generation.
      for (const name of ['report.md', 'report.html', 'classes.csv'])
        expect(generationIn(join(dir, name)), `round ${round}: ${name}`).toBe(generation);
    }
    await writeReports(makeAuditReport({ seed: 2 }), dir);
    expect(readdirSync(parent)).toEqual(['out']);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);
});

describe('kill -9 during savePopulation', () => {
  it('leaves a loadable population or none, and the next save removes every leftover', async () => {
    await initBackend({ backend: 'wasm' });
    for (let round = 0; round < 1; round++) {
      const parent = join(root, `pop-${round}`);
      const dir = join(parent, 'population');
      await runAndKill('save-population-child.ts', dir, 100 + Math.floor(random() * 500));
      if (existsSync(dir)) {
        const scan = scanPopulationFolder(dir, { accept: 'models' });
        expect(scan.levels.map((l) => l.members.map((m) => m.name))).toEqual([
          ['seed-1', 'seed-2'],
          ['seed-1', 'seed-2'],
        ]);
        const loaded = await loadPopulation(dir);
        expect(loaded.levels['0.5']).toHaveLength(2);
        disposePopulation(loaded);
      }
      await runAndKill('save-population-child.ts', dir, 1200); // long enough for at least one complete save
      const leftovers = readdirSync(parent).filter((n) => n !== 'population');
      // Only the killed run's own in-flight copies may remain (its .tmp, and its .old when killed between the two
      // renames); the earlier run's leftovers are gone.
      const tags = new Set(leftovers.map((n) => n.replace(/^population\.(tmp|old)-/, '')));
      expect(tags.size, leftovers.join(', ')).toBeLessThanOrEqual(1);
      const loaded = await loadPopulation(dir);
      expect(Object.keys(loaded.levels)).toEqual(['0', '0.5']);
      disposePopulation(loaded);
    }
  }, 90_000);
});
