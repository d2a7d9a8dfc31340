import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import type { PopulationMember } from '../../src/audit/audit-options.js';
import { encodeNpy } from '../../src/data/npy.js';
import { formatSummary } from '../../src/cli/summary.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';
import type { AuditReport } from '../../src/schema/index.js';
import { syntheticPopulation } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-audit-forms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 6 models per level; compressed model i is baseline model i with some flips, so pairing matters. */
const s = syntheticPopulation({
  seed: 21,
  models: 6,
  nClasses: 3,
  levels: { '0': { hurt: 0, global: 0 }, '0.9': { hurt: 0.2, global: 0.03 } },
});
// Shuffle the compressed level's order so position alone would pair the wrong models.
const order = [3, 0, 5, 1, 4, 2];
const levels: Record<string, Array<{ id: string; predictions: Uint16Array }>> = {
  '0': s.population['0'].map((m, i) => ({ id: `seed-${i}`, predictions: m.predictions })),
  '0.9': order.map((i) => ({ id: `seed-${i}`, predictions: s.population['0.9'][i].predictions })),
};
const files: Record<string, string[]> = {};
for (const [key, list] of Object.entries(levels)) {
  mkdirSync(join(dir, key), { recursive: true });
  files[key] = list.map((m) => {
    const path = join(dir, key, `${m.id}.npy`);
    writeFileSync(path, encodeNpy(Int32Array.from(m.predictions), [s.n]));
    return path;
  });
}
const oneHot = (p: Uint16Array) => {
  const out = new Float32Array(p.length * s.nClasses);
  p.forEach((c, i) => {
    out[i * s.nClasses + c] = 1;
  });
  return out;
};

const forms: Record<string, (key: string) => PopulationMember[]> = {
  'path strings': (key) => files[key],
  '{ predictionsFile }': (key) => files[key].map((predictionsFile) => ({ predictionsFile })),
  '{ model, id }': (key) => levels[key].map((m) => ({ model: { predictions: m.predictions }, id: m.id })),
  '{ predictions, id }': (key) => levels[key].map((m) => ({ predictions: m.predictions, id: m.id })),
  '{ probabilities, id }': (key) => levels[key].map((m) => ({ probabilities: oneHot(m.predictions), nClasses: s.nClasses, id: m.id })),
};

async function audit(form: string): Promise<AuditReport> {
  const make = forms[form];
  return auditCompression({
    population: { 0: make('0'), 0.9: make('0.9') },
    testSet: { labels: s.labels },
    bootstrap: { resamples: 100, seed: 1 },
    gates: { maxExcessPieRate: { 0.9: 0.01 }, maxSignificantlyHurtClasses: { 0.9: 0 } },
  });
}

/** What the verdict depends on: everything but timings, dates and the members' display names. */
function verdictOf(r: AuditReport) {
  return {
    design: r.design,
    levels: r.levels.map((l) => ({ pies: l.pies, classImpact: l.classImpact, accuracy: l.accuracy })),
    gates: r.gates,
    verdict: r.verdict,
  };
}

describe('one pairing rule for every member form', () => {
  it('path strings, { predictionsFile }, { model, id }, { predictions, id } and { probabilities, id } give the same ids, pairing and report', async () => {
    const reports = new Map<string, AuditReport>();
    for (const form of Object.keys(forms)) reports.set(form, await audit(form));
    const reference = reports.get('{ model, id }')!;
    expect(reference.design.design).toBe('paired');
    expect(reference.design.memberIds['0.9']).toEqual(order.map((i) => `seed-${i}`));
    for (const [form, r] of reports) {
      expect({ form, ...verdictOf(r) }).toEqual({ form, ...verdictOf(reference) });
    }
    // Pairing by id is not pairing by position: the shuffled level gives another null distribution by position.
    const byPosition = await auditCompression({
      population: {
        0: forms['{ predictions, id }']('0').map((m) => ({ predictions: (m as { predictions: Uint16Array }).predictions })),
        0.9: forms['{ predictions, id }']('0.9').map((m) => ({ predictions: (m as { predictions: Uint16Array }).predictions })),
      },
      testSet: { labels: s.labels },
      bootstrap: { resamples: 0 },
      noiseFloor: { design: 'paired' },
    });
    const floor = (r: AuditReport) => (r.levels[1].pies.status === 'ok' ? r.levels[1].pies.permutation.nullDistribution : null);
    expect(floor(byPosition)).not.toEqual(floor(reference));
  });

  it('names the design and its reason in the CLI summary and at the top of the Markdown and HTML reports', async () => {
    const r = await audit('{ predictionsFile }');
    const line = `population design: paired (${r.design.reason})`;
    expect(formatSummary(r).split('\n')[1]).toBe(line);
    const md = renderMarkdown(r);
    expect(md.indexOf('Population design: paired')).toBeGreaterThan(0);
    expect(md.indexOf('Population design: paired')).toBeLessThan(md.indexOf('## What compression cost'));
    const html = renderHtml(r, { pies: null });
    expect(html.indexOf('Population design: paired')).toBeGreaterThan(0);
    expect(html.indexOf('Population design: paired')).toBeLessThan(html.indexOf('aria-label="verdict"'));
  });
});
