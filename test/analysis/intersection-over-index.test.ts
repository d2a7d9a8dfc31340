import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersectionOverIndex } from '../../src/analysis/intersection-over-index.js';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { isPieAuditError } from '../../src/errors.js';
import { findReportProblem } from '../../src/report/load-report.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { syntheticPopulation } from '../audit/synthetic.js';

const PYTHON = '/usr/bin/python3';

/** A seeded case: three attributes (one with missing values), PIEs more frequent where Male=-1 and Young=1. */
function generatedCase(n: number, seed: number) {
  let state = seed >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const Male: number[] = [];
  const Young: number[] = [];
  const Hair: Array<string | null> = [];
  const isPIE: number[] = [];
  for (let i = 0; i < n; i++) {
    Male.push(rand() < 0.45 ? 1 : -1);
    Young.push(rand() < 0.7 ? 1 : -1);
    const h = rand();
    Hair.push(h < 0.05 ? null : h < 0.5 ? 'black' : h < 0.9 ? 'brown' : 'blond');
    const risk = Male[i] === -1 && Young[i] === 1 ? 0.3 : Hair[i] === 'blond' ? 0.2 : 0.08;
    isPIE.push(rand() < risk ? 1 : 0);
  }
  return { isPIE, attributes: { Male, Young, Hair } };
}

describe('intersectionOverIndex', () => {
  it('agrees with scipy.stats.fisher_exact and a Benjamini-Hochberg reference over the whole family', () => {
    if (!existsSync(PYTHON)) return;
    const { isPIE, attributes } = generatedCase(900, 7);
    const minSupport = 30;
    const result = intersectionOverIndex(isPIE, attributes, { minSupport });
    const script = `
import json, sys, itertools
from scipy.stats import fisher_exact
import numpy as np
d = json.load(sys.stdin)
pie = np.array(d["isPIE"]); attrs = d["attributes"]; names = list(attrs); rows = []
for a, b in itertools.combinations(names, 2):
    va, vb = attrs[a], attrs[b]
    keep = [i for i in range(len(pie)) if va[i] is not None and vb[i] is not None]
    n_all = len(keep); n_pie = int(sum(pie[i] for i in keep))
    cells = sorted({(va[i], vb[i]) for i in keep}, key=lambda c: (str(c[0]), str(c[1])))
    for c in cells:
        idx = [i for i in keep if (va[i], vb[i]) == c]
        if len(idx) < ${minSupport}: continue
        k = int(sum(pie[i] for i in idx))
        _, p = fisher_exact([[k, n_pie - k], [len(idx) - k, n_all - n_pie - (len(idx) - k)]], alternative="two-sided")
        rows.append({"value": f"{a}={c[0]} & {b}={c[1]}", "count": len(idx), "pies": k, "p": float(p)})
p = np.array([r["p"] for r in rows]); m = len(p); order = np.argsort(p)
q = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
adj = np.empty(m); adj[order] = np.minimum(q, 1)
for r, a in zip(rows, adj): r["q"] = float(a)
print(json.dumps(rows))
`;
    const reference = JSON.parse(
      execFileSync(PYTHON, ['-c', script], { input: JSON.stringify({ isPIE, attributes }) }).toString(),
    ) as Array<{
      value: string;
      count: number;
      pies: number;
      p: number;
      q: number;
    }>;
    expect(reference.length).toBeGreaterThan(10);
    const byValue = new Map(result.rows.map((r) => [r.value, r]));
    expect(new Set(byValue.keys())).toEqual(new Set(reference.map((r) => r.value)));
    for (const ref of reference) {
      const row = byValue.get(ref.value)!;
      expect(row.countOverall).toBe(ref.count);
      expect(row.countAmongPIEs).toBe(ref.pies);
      expect(row.p!).toBeCloseTo(ref.p, 10);
      expect(Math.abs(row.p! - ref.p)).toBeLessThanOrEqual(1e-9 * Math.max(ref.p, 1e-300) + 1e-15);
      expect(Math.abs(row.pAdjusted! - ref.q)).toBeLessThanOrEqual(1e-9 * ref.q + 1e-15);
    }
    // Below-support cells (Hair=blond with a rare pair) are counted, not tested.
    const seen = new Set<string>();
    for (let i = 0; i < isPIE.length; i++) {
      const { Male, Young, Hair } = attributes;
      seen.add(`M${Male[i]}Y${Young[i]}`);
      if (Hair[i] !== null) seen.add(`M${Male[i]}H${Hair[i]}`).add(`Y${Young[i]}H${Hair[i]}`);
    }
    expect(result.belowSupport + result.rows.length).toBe(seen.size);
    const top = result.rows.filter((r) => r.significant && r.overIndexRatio! > 1).map((r) => r.value);
    expect(top).toContain('Male=-1 & Young=1');
  });

  it('tests only intersections with enough support, and its adjusted p-values are valid p-values at least the raw ones', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null, freq: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), value, value, value), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom(2, 3),
        (examples, minSupport, maxOrder) => {
          const isPIE = examples.map((e) => e[0]);
          const attributes = { x: examples.map((e) => e[1]), y: examples.map((e) => e[2]), z: examples.map((e) => e[3]) };
          const result = intersectionOverIndex(isPIE, attributes, { minSupport, maxOrder });
          for (const r of result.rows) {
            expect(r.countOverall).toBeGreaterThanOrEqual(minSupport);
            expect(r.attributes.length).toBeLessThanOrEqual(maxOrder);
            if (r.status === 'ok') {
              expect(r.p!).toBeGreaterThanOrEqual(0);
              expect(r.pAdjusted!).toBeGreaterThanOrEqual(r.p! - 1e-12);
              expect(r.pAdjusted!).toBeLessThanOrEqual(1);
            } else expect(r.pAdjusted).toBeNull();
          }
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it('refuses bad options with a typed error naming the option', () => {
    const { isPIE, attributes } = generatedCase(50, 1);
    for (const [options, name] of [
      [{ maxOrder: 4 }, 'options.maxOrder'],
      [{ minSupport: 0 }, 'options.minSupport'],
      [{ minSupport: 2.5 }, 'options.minSupport'],
    ] as const) {
      try {
        intersectionOverIndex(isPIE, attributes, options);
        expect.unreachable();
      } catch (e) {
        expect(isPieAuditError(e) && e.code === 'INVALID_ARGUMENT' && e.details?.name === name).toBe(true);
      }
    }
  });
});

describe('audit option intersections', () => {
  const s = syntheticPopulation({
    nClasses: 2,
    perClass: 300,
    hurtClass: 1,
    seed: 9,
    levels: { '0': { hurt: 0, global: 0 }, '0.9': { hurt: 0.3, global: 0.02 } },
  });
  const group = Array.from(s.labels, (l, i) => (l === 1 && i % 4 !== 0 ? 'x' : i % 3 === 0 ? 'x' : 'y'));
  const region = Array.from(s.labels, (_, i) => (i % 5 === 0 ? 'north' : 'south'));

  it('adds an intersections section per compressed level, shown in report.json, Markdown and HTML', async () => {
    const report = await auditCompression({
      population: s.population,
      testSet: { labels: s.labels, attributes: { group, region } },
      intersections: { maxOrder: 2, minSupport: 20 },
      bootstrap: { resamples: 0 },
    });
    expect(report.levels[0]!.intersections?.status).toBe('not-applicable');
    const section = report.levels[1]!.intersections;
    if (section?.status !== 'ok') throw new Error('intersections missing');
    expect(section.rows.map((r) => r.value).sort()).toEqual(
      ['group=x & region=north', 'group=x & region=south', 'group=y & region=north', 'group=y & region=south'].sort(),
    );
    expect(section.familySize).toBe(4);
    expect(section.correction).toBe('bh');
    const xs = section.rows.find((r) => r.value === 'group=x & region=south')!;
    expect(xs.overIndexRatio!).toBeGreaterThan(1);
    expect(findReportProblem(JSON.parse(JSON.stringify(report)))).toBeNull();
    expect(renderMarkdown(report)).toContain('## Intersections of attribute values among PIEs');
    expect(renderMarkdown(report)).toContain('group=x &amp; region=south');
    expect(renderHtml(report)).toContain('group=x &amp; region=south');
  });

  it('leaves the section out when the option is off, and refuses bad values with CONFIG_ERROR', async () => {
    const base = { population: s.population, testSet: { labels: s.labels, attributes: { group, region } }, bootstrap: { resamples: 0 } };
    const report = await auditCompression(base);
    expect(report.levels.every((l) => !('intersections' in l))).toBe(true);
    expect(renderMarkdown(report)).not.toContain('Intersections of attribute values');
    for (const [intersections, key] of [
      [{ maxOrder: 5 }, 'intersections.maxOrder'],
      [{ minSupport: -1 }, 'intersections.minSupport'],
      [{ minSuport: 3 }, 'intersections.minSuport'],
      ['yes', 'intersections'],
    ] as const) {
      const error = await auditCompression({ ...base, intersections: intersections as never }).catch((e) => e);
      expect(isPieAuditError(error) && error.code === 'CONFIG_ERROR' && error.details?.key === key, String(error)).toBe(true);
    }
  });
});

describe('pie-audit audit with "intersections" in the config', () => {
  it('writes the intersections section into report.json', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { encodeNpy } = await import('../../src/data/npy.js');
    const { runCliInProcess } = await import('../cli/cli-helpers.js');
    const dir = mkdtempSync(join(tmpdir(), 'pie-inter-'));
    try {
      const s = syntheticPopulation({ seed: 21 });
      const population: Record<string, string[]> = {};
      for (const [level, members] of Object.entries(s.population)) {
        mkdirSync(join(dir, 'preds', level), { recursive: true });
        population[level] = members.map((m, i) => {
          const file = join('preds', level, `model-${i}.npy`);
          writeFileSync(join(dir, file), encodeNpy(Int32Array.from(m.predictions), [s.n]));
          return file;
        });
      }
      writeFileSync(join(dir, 'labels.npy'), encodeNpy(Int32Array.from(s.labels), [s.n]));
      const rows = Array.from(s.labels, (_, i) => `${i % 2 ? 'north' : 'south'},${i % 3 ? 'old' : 'young'}`);
      writeFileSync(join(dir, 'groups.csv'), `region,age\n${rows.join('\n')}\n`);
      const config = {
        population,
        testSet: { labels: 'labels.npy', attributes: 'groups.csv' },
        bootstrap: { resamples: 0 },
        intersections: { minSupport: 40 },
      };
      writeFileSync(join(dir, 'audit.json'), JSON.stringify(config));
      const r = await runCliInProcess(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out'), '--format', 'json', '--quiet']);
      expect(r.stderr).toBe('');
      const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
      const section = report.levels.at(-1).intersections;
      expect(section.status).toBe('ok');
      expect(section.minSupport).toBe(40);
      expect(section.rows.map((row: { value: string }) => row.value)).toContain('region=north & age=young');
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...config, intersections: { maxOrder: 7 } }));
      const bad = await runCliInProcess(['audit', join(dir, 'bad.json'), '--out', join(dir, 'out-bad'), '--quiet']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('intersections.maxOrder');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
