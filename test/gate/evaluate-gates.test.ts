import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditCompression } from '../../src/audit/audit-compression.js';
import type { AuditReport } from '../../src/schema/index.js';
import { evaluateGates, verdictExitCode } from '../../src/gate/evaluate-gates.js';
import { matchLevelKey } from '../../src/schema/level-key.js';
import { validateGatesConfig } from '../../src/gate/validate-gates.js';
import { isPieAuditError } from '../../src/errors.js';
import { syntheticPopulation } from '../audit/synthetic.js';

let cached: AuditReport | undefined;
async function report(): Promise<AuditReport> {
  if (!cached) {
    const s = syntheticPopulation({ seed: 11 });
    cached = await auditCompression({ population: s.population, testSet: { labels: s.labels } });
  }
  return cached;
}

describe('evaluateGates', () => {
  it('passes a PIE-rate threshold exactly when the observed rate is within it', async () => {
    const r = await report();
    const level = r.levels[2];
    if (level.pies.status !== 'ok') throw new Error('no pies');
    const rate = level.pies.rate;
    await fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (threshold) => {
        const g = evaluateGates(r, { maxPieRate: { 0.9: threshold } });
        expect(g.verdict).toBe(rate <= threshold ? 'pass' : 'fail');
        expect(g.exitCode).toBe(rate <= threshold ? 0 : 1);
        expect(g.results[0].observed).toBe(rate);
        expect(g.results[0].reason).toContain('0.9');
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it('gives one result per threshold and fails on any breach, naming it', async () => {
    const r = await report();
    const g = evaluateGates(r, {
      maxPieCount: { 0.5: 100000, '0.90': 1 },
      minTop1: { 0: 0.5, 0.9: 0.99 },
      maxSignificantlyHurtClasses: { 0.9: 0 },
    });
    expect(g.results).toHaveLength(5);
    expect(g.verdict).toBe('fail');
    const failed = g.results.filter((x) => x.status === 'fail').map((x) => `${x.gate}@${x.level}`);
    expect(failed).toEqual(expect.arrayContaining(['maxPieCount@0.9', 'minTop1@0.9', 'maxSignificantlyHurtClasses@0.9']));
    // One class hurt, said in the singular.
    expect(g.results.find((x) => x.gate === 'maxSignificantlyHurtClasses')!.reason).toMatch(
      /^1 class significantly hurt at level 0\.9 \(2\), more than 0$/,
    );
  });

  it('is inconclusive when the report cannot decide (no labels)', async () => {
    const s = syntheticPopulation({ seed: 2 });
    const noLabels = await auditCompression({ population: s.population, testSet: { n: s.n } });
    const g = evaluateGates(noLabels, { minTop1: { 0.9: 0.5 }, maxPieRate: { 0.9: 1 } });
    expect(g.verdict).toBe('inconclusive');
    expect(g.exitCode).toBe(3);
    expect(g.results[1].reason).toMatch(/no labels/);
  });

  it('rejects unknown gates, levels, attributes and out-of-range thresholds with the key in the message', async () => {
    const r = await report();
    const bad: Array<[unknown, RegExp]> = [
      [{ maxPieRate: { 0.8: 0.1 } }, /^gates\.maxPieRate\.0\.8: unknown level/],
      [{ maxPieRate: { 0: 0.1 } }, /^gates\.maxPieRate\.0: '0' is the baseline level/],
      [{ maxPieRate: { 0.9: 2 } }, /^gates\.maxPieRate\.0\.9: is a fraction/],
      [{ maxPieCount: { 0.9: 1.5 } }, /non-negative integer/],
      [{ minAccuracy: {} }, /^gates\.minAccuracy: unknown gate/],
      [{ attributes: { Male: { maxOverIndex: 1.5 } } }, /^gates\.attributes\.Male: unknown attribute/],
      [[], /^gates must be an object/],
    ];
    for (const [gates, message] of bad) {
      let caught: unknown;
      try {
        evaluateGates(r, gates as never);
      } catch (e) {
        caught = e;
      }
      expect(isPieAuditError(caught, 'CONFIG_ERROR'), String(gates)).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
    expect(() =>
      validateGatesConfig(
        { attributes: { A: { maxOverIndex: 2, levels: ['x'] } } },
        { levels: ['0', '1'], baseline: '0', attributeNames: ['A'] },
      ),
    ).toThrowError(/gates\.attributes\.A\.levels: unknown level 'x'/);
  });

  it('maps verdicts to exit codes and matches numeric level keys by value', () => {
    expect([verdictExitCode('pass'), verdictExitCode('fail'), verdictExitCode('inconclusive'), verdictExitCode('ungated')]).toEqual([
      0, 1, 3, 0,
    ]);
    expect(matchLevelKey('0.90', ['0', '0.9'])).toBe('0.9');
    expect(matchLevelKey(0.5, ['0', '0.5'])).toBe('0.5');
    expect(matchLevelKey('int8', ['fp32', 'int8'])).toBe('int8');
    expect(matchLevelKey('0.7', ['0', '0.9'])).toBeNull();
  });
});
