import { describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/index.js';
import { bootstrapTop1Intervals } from '../../src/analysis/bootstrap-top1-intervals.js';
import { pairedFlips } from '../../src/analysis/paired-flips.js';
import { shareCorrect } from '../../src/analysis/share-correct.js';
import { renderHtml, renderMarkdown } from '../../src/report/index.js';
import type { AuditReport, LevelReport } from '../../src/schema/index.js';
import { syntheticPopulation } from './synthetic.js';

const level = (r: AuditReport, key: string): LevelReport => r.levels.find((l) => l.key === key)!;
const gate = (r: AuditReport, name: string, key: string) => r.gates!.results.find((g) => g.gate === name && g.level === key && !g.waived)!;

describe('one model per level: exact paired tests on the flips', () => {
  const s = syntheticPopulation({ models: 1, seed: 5 });
  const run = (gates: Record<string, unknown>) =>
    auditCompression({ population: s.population, testSet: { labels: s.labels }, bootstrap: { resamples: 200 }, gates });

  it('reports flips with McNemar exact p-values that match the analysis, overall and per class', async () => {
    const report = await run({ maxSignificantlyHurtClasses: { 0.9: 0 } });
    const high = level(report, '0.9');
    const expected = pairedFlips(s.labels, s.population['0'][0].predictions, s.population['0.9'][0].predictions, s.nClasses, {
      alpha: report.config.alpha,
      correction: report.config.correction,
    });
    if (high.flips?.status !== 'ok' || high.classImpact.status !== 'ok') throw new Error('sections skipped');
    expect(high.flips).toMatchObject({ lost: expected.lost, gained: expected.gained, changed: expected.changed, p: expected.p });
    expect(high.flips.examples.length).toBeGreaterThan(0);
    expect(high.flips.populationNote).toMatch(/population of seeds/);
    expect(high.exemplars).toEqual([]);
    expect(high.pies).toMatchObject({ status: 'not-applicable', reason: expect.stringMatching(/flip/) });
    expect(high.intervals?.source).toBe('examples only');
    expect(high.accuracy.status === 'ok' && high.accuracy.top1DropCi).toEqual(expected.top1DropCi);
    high.classImpact.rows.forEach((row, c) => {
      expect(row.p).toBe(expected.classes[c].p);
      expect(row.direction).toBe(expected.classes[c].direction);
    });
    // Class 2 lost 40 % of its examples: significantly hurt, and the gate fails with exit code 1.
    expect(high.classImpact.hurtClasses).toEqual([2]);
    expect(gate(report, 'maxSignificantlyHurtClasses', '0.9').status).toBe('fail');
    expect(report.exitCode).toBe(1);
    const md = renderMarkdown(report);
    expect(md).toContain("McNemar's exact p");
    expect(md).toContain('population of seeds');
    expect(renderHtml(report)).toContain('Intervals and flips (one model per level)');
  });

  it('decides top-1 and class recall gates from the paired intervals under confident, with the usual exit codes', async () => {
    const pass = await run({ maxTop1Drop: { 0.5: 0.2 }, decision: 'confident' });
    expect(gate(pass, 'maxTop1Drop', '0.5').status).toBe('pass');
    expect(pass.exitCode).toBe(0);
    const fail = await run({ maxClassRecallDrop: { 0.9: { default: 0.5, 2: 0.1 } }, decision: 'confident' });
    expect(gate(fail, 'maxClassRecallDrop', '0.9')).toMatchObject({ status: 'fail', value: '2' });
    expect(fail.exitCode).toBe(1);
    const high = level(fail, '0.9');
    if (high.accuracy.status !== 'ok') throw new Error('no accuracy');
    // A threshold inside the exact interval is undecided.
    const [low, upper] = high.accuracy.top1DropCi!;
    const straddle = await run({ maxTop1Drop: { 0.9: (low + upper) / 2 }, decision: 'confident' });
    expect(gate(straddle, 'maxTop1Drop', '0.9').status).toBe('inconclusive');
    expect(straddle.exitCode).toBe(3);
  });
});

describe('interval source: models and examples from 3 models per level', () => {
  it('records the source per level and lets confident gates decide only from two-level intervals', async () => {
    const big = syntheticPopulation({ models: 4, seed: 21 });
    const small = syntheticPopulation({ models: 2, seed: 21 });
    const gates = { maxTop1Drop: { 0.9: 0.5 }, decision: 'confident' as const };
    const audit = (p: typeof big) =>
      auditCompression({ population: p.population, testSet: { labels: p.labels }, bootstrap: { resamples: 200, seed: 3 }, gates });
    const four = await audit(big);
    expect(level(four, '0.9').intervals).toMatchObject({ source: 'models and examples' });
    expect(level(four, '0').intervals?.source).toBe('examples only');
    expect(gate(four, 'maxTop1Drop', '0.9').status).toBe('pass');
    expect(four.exitCode).toBe(0);
    // The same seed gives the same report intervals.
    const again = await audit(big);
    expect(again.levels.map((l) => [l.accuracy, l.pies, l.classImpact])).toEqual(
      four.levels.map((l) => [l.accuracy, l.pies, l.classImpact]),
    );
    const two = await audit(small);
    expect(level(two, '0.9').intervals).toMatchObject({ source: 'examples only', reason: expect.stringMatching(/at least 3/) });
    const result = gate(two, 'maxTop1Drop', '0.9');
    expect(result.status).toBe('inconclusive');
    expect(result.reason).toMatch(/examples-only intervals/);
    expect(two.exitCode).toBe(3);
    // 'point' is unaffected by the source.
    const point = await auditCompression({
      population: small.population,
      testSet: { labels: small.labels },
      gates: { maxTop1Drop: { 0.9: 0.5 } },
    });
    expect(point.exitCode).toBe(0);
  });

  it('two-level intervals are wider than examples-only ones on the same population', async () => {
    const big = syntheticPopulation({ models: 4, seed: 22 });
    const report = await auditCompression({ population: big.population, testSet: { labels: big.labels }, bootstrap: { resamples: 300 } });
    const accuracy = level(report, '0.9').accuracy;
    if (accuracy.status !== 'ok') throw new Error('no accuracy');
    const share = (key: string) =>
      shareCorrect(
        big.labels,
        big.population[key].map((m) => m.predictions),
      );
    const examplesOnly = bootstrapTop1Intervals(share('0'), share('0.9'), { resamples: 300, seed: 0 }).drop.ci!;
    const twoLevel = accuracy.top1DropCi!;
    expect(twoLevel[1] - twoLevel[0]).toBeGreaterThan(examplesOnly[1] - examplesOnly[0]);
  });
});
