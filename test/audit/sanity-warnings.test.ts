import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { encodeNpy } from '../../src/data/npy.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';
import { syntheticPopulation } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-audit-sanity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 5 models per level (an odd count: no two-way modal ties between two classes), three levels. */
const s = syntheticPopulation({ seed: 5, models: 5, nClasses: 4 });
const clean = () => ({ 0: [...s.population['0']], 0.5: [...s.population['0.5']], 0.9: [...s.population['0.9']] });

describe('sanity checks at the top of every report', () => {
  it('stay silent on a clean population, and the reports say none fired', async () => {
    const r = await auditCompression({ population: clean(), testSet: { labels: s.labels }, bootstrap: { resamples: 0 } });
    expect(r.sanityWarnings).toEqual([]);
    expect(renderMarkdown(r)).toContain('Sanity checks: none fired.');
  });

  it('flag the same predictions twice in a level, and a compressed level that copies the baseline', async () => {
    const population = clean();
    population['0.5'][3] = population['0.5'][1];
    population['0.9'] = population['0'].map((m) => ({ predictions: m.predictions.slice() }));
    const r = await auditCompression({ population, testSet: { labels: s.labels }, bootstrap: { resamples: 0 } });
    const w = r.sanityWarnings!;
    expect(
      w.some(
        (x) => /level '0.5' member '0.5#3' has the same predictions as level '0.5' member '0.5#1'/.test(x) && /remove the copies/.test(x),
      ),
    ).toBe(true);
    expect(
      w.filter(
        (x) => /level '0.9' member '0.9#\d' has the same predictions as level '0' member '0#\d'/.test(x) && /no compression/.test(x),
      ),
    ).toHaveLength(5);
    const md = renderMarkdown(r);
    expect(md.indexOf('Sanity check: level')).toBeGreaterThan(0);
    expect(md.indexOf('Sanity check: level')).toBeLessThan(md.indexOf('## What compression cost'));
    const html = renderHtml(r, { pies: null });
    expect(html.indexOf('Sanity check: level')).toBeLessThan(html.indexOf('aria-label="verdict"'));
  });

  it('say when identical members are byte-identical files', async () => {
    const paths: Record<string, string[]> = {};
    for (const key of ['0', '0.9']) {
      mkdirSync(join(dir, key), { recursive: true });
      // The "compressed" level ships the baseline's files unchanged, as a reproduction can by mistake.
      paths[key] = s.population['0'].map((m, i) => {
        const path = join(dir, key, `seed-${i}.npy`);
        writeFileSync(path, encodeNpy(Int32Array.from(m.predictions), [s.n]));
        return path;
      });
    }
    const r = await auditCompression({ population: paths, testSet: { labels: s.labels }, bootstrap: { resamples: 0 } });
    const copies = r.sanityWarnings!.filter((x) => /the files are byte-identical/.test(x));
    expect(copies).toHaveLength(5);
  });

  it('flag measured sparsity far from the level name, and levels named in percent', async () => {
    const withSparsity = (key: string, sparsity: number) => s.population[key].map((m) => ({ model: m, sparsity }));
    const r = await auditCompression({
      population: { 0: withSparsity('0', 0), 30: withSparsity('0.5', 0.3), 0.9: withSparsity('0.9', 0.5) },
      testSet: { labels: s.labels },
      bootstrap: { resamples: 0 },
    });
    const w = r.sanityWarnings!;
    expect(w).toContainEqual(expect.stringMatching(/level '0.9' is named for 90.0 % sparsity but its models measure 50.0 % zero weights/));
    expect(w).toContainEqual(expect.stringMatching(/level '30' is outside \[0, 1\).*name it 0.3/));
    // The right sparsity at the right name is silent.
    const ok = await auditCompression({
      population: { 0: withSparsity('0', 0), 0.9: withSparsity('0.9', 0.88) },
      testSet: { labels: s.labels },
      bootstrap: { resamples: 0 },
    });
    expect(ok.sanityWarnings).toEqual([]);
  });

  it('report the PIE count under both tie rules when they differ by more than 5 %', async () => {
    // Two models per level: every disagreement is a two-way tie, which the tie rule settles.
    const two = syntheticPopulation({ seed: 9, models: 2, nClasses: 4 });
    const r = await auditCompression({ population: two.population, testSet: { labels: two.labels }, bootstrap: { resamples: 0 } });
    const line = r.sanityWarnings!.find((x) => /^level '0.9': \d+ PIEs with tie rule 'max' but \d+ with 'min'/.test(x));
    expect(line).toBeDefined();
    const [, used, other] = /(\d+) PIEs with tie rule 'max' but (\d+)/.exec(line!)!.map(Number);
    const pies = r.levels.find((l) => l.key === '0.9')!.pies;
    expect(pies.status === 'ok' && pies.count).toBe(used);
    const minRule = await auditCompression({
      population: two.population,
      testSet: { labels: two.labels },
      bootstrap: { resamples: 0 },
      tieBreak: 'min',
    });
    const minPies = minRule.levels.find((l) => l.key === '0.9')!.pies;
    expect(minPies.status === 'ok' && minPies.count).toBe(other);
    expect(Math.abs(used - other) / Math.max(used, other)).toBeGreaterThan(0.05);
  });
});
