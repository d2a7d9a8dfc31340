import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditCompression } from '../../src/audit/audit-compression.js';
import type { AuditReport, GatesConfig, LevelReport } from '../../src/schema/index.js';
import { evaluateGates } from '../../src/gate/evaluate-gates.js';
import { decideCandidate } from '../../src/gate/gate-entry.js';
import { validateGatesConfig } from '../../src/gate/validate-gates.js';
import { isPieAuditError } from '../../src/errors.js';
import { syntheticPopulation } from '../audit/synthetic.js';

/** A binary-attribute audit with 6 paired models per level (enough for the paired noise floor to reach 0.05). */
let cached: AuditReport | undefined;
async function report(): Promise<AuditReport> {
  if (cached) return cached;
  const s = syntheticPopulation({ seed: 11, models: 6 });
  const population: Record<string, Array<{ model: { predictions: Uint16Array }; id: string }>> = {};
  for (const [k, v] of Object.entries(s.population)) population[k] = v.map((m, i) => ({ model: m, id: `seed-${i}` }));
  const sex = Array.from({ length: s.n }, (_, i) => (i % 3 === 0 ? 'F' : 'M'));
  cached = await auditCompression({
    population,
    testSet: { labels: s.labels, attributes: { sex } },
    positiveClass: 2,
    bootstrap: { resamples: 400, seed: 3 },
  });
  return cached;
}

const level = (r: AuditReport, key: string): LevelReport => r.levels.find((l) => l.key === key)!;
const only = (r: AuditReport, gates: GatesConfig) => evaluateGates(r, gates).results.filter((x) => !x.waived);

describe('decision rule', () => {
  it("'confident' fails only when the interval lies wholly beyond, passes only when wholly within, and agrees with 'point' then", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.constantFrom('atMost' as const, 'atLeast' as const),
        (x, below, above, threshold, compare) => {
          const c = { observed: x, interval: [x - below, x + above] as [number, number], threshold, value: null };
          const confident = decideCandidate(c, compare, 'confident');
          const point = decideCandidate(c, compare, 'point');
          const ok = (v: number) => (compare === 'atMost' ? v <= threshold : v >= threshold);
          const allOk = ok(x - below) && ok(x + above);
          const noneOk = !ok(x - below) && !ok(x + above);
          expect(confident).toBe(allOk ? 'pass' : noneOk ? 'fail' : 'inconclusive');
          if (confident !== 'inconclusive') expect(point).toBe(confident);
          expect(decideCandidate({ ...c, interval: null }, compare, 'confident')).toBe('inconclusive');
        },
      ),
      { seed: 8, numRuns: 300 },
    );
  });
});

describe('baseline-relative gates', () => {
  it('maxTop1Drop compares the baseline mean minus the level mean, with its interval', async () => {
    const r = await report();
    const acc = level(r, '0.9').accuracy;
    if (acc.status !== 'ok' || acc.top1Drop === null || acc.top1DropCi === null) throw new Error('no drop');
    const base = level(r, '0').accuracy;
    if (base.status !== 'ok') throw new Error('no baseline');
    expect(acc.top1Drop).toBeCloseTo(base.mean - acc.mean, 12);
    const [low, high] = acc.top1DropCi;
    expect(low).toBeLessThanOrEqual(acc.top1Drop);
    expect(high).toBeGreaterThanOrEqual(acc.top1Drop);
    const at = (threshold: number, decision: 'point' | 'confident') => only(r, { maxTop1Drop: { 0.9: threshold }, decision })[0];
    expect(at(acc.top1Drop + 1e-9, 'point').status).toBe('pass');
    expect(at(acc.top1Drop - 1e-9, 'point').status).toBe('fail');
    expect(at((low + high) / 2, 'confident').status).toBe('inconclusive');
    expect(at(low - 1e-6, 'confident').status).toBe('fail');
    expect(at(Math.min(1, high + 1e-6), 'confident').status).toBe('pass');
    expect(at(low - 1e-6, 'confident').interval).toEqual(acc.top1DropCi);
  });

  it('maxClassRecallDrop takes one number or per-class thresholds with a default, and names the worst class', async () => {
    const r = await report();
    const impact = level(r, '0.9').classImpact;
    if (impact.status !== 'ok') throw new Error('no impact');
    const drops = impact.rows.map((row) => -(row.rawRecallChange as number));
    const worst = drops.indexOf(Math.max(...drops));
    expect(worst).toBe(2);
    const one = only(r, { maxClassRecallDrop: { 0.9: 0.1 } })[0];
    expect(one).toMatchObject({ gate: 'maxClassRecallDrop', status: 'fail', value: '2', threshold: 0.1 });
    expect(one.observed).toBeCloseTo(drops[2], 12);
    expect(one.reason).toMatch(/class '2' recall fell 48\.00 pp/);
    const perClass = only(r, { maxClassRecallDrop: { 0.9: { default: 0.1, '2': 0.6 } } })[0];
    expect(perClass.status).toBe('pass');
    expect(perClass.value).not.toBe('2');
    // A class map without a default gates only the classes it names.
    expect(only(r, { maxClassRecallDrop: { 0.9: { '0': 0.5 } } })[0]).toMatchObject({ status: 'pass', value: '0', threshold: 0.5 });
  });

  it('maxExcessPieRate reads the noise floor; inconclusive when the permutation test cannot reach alpha', async () => {
    const r = await report();
    const pies = level(r, '0.9').pies;
    if (pies.status !== 'ok') throw new Error('no pies');
    expect(pies.permutation).toMatchObject({ status: 'ok', design: 'paired', method: 'exact', splits: 64, observed: pies.count });
    expect(pies.permutation.excess).toBe(pies.count - pies.permutation.nullMedian);
    const g = only(r, { maxExcessPieRate: { 0.9: 0 } })[0];
    expect(g.status).toBe(pies.permutation.excessRate > 0 ? 'fail' : 'pass');
    expect(g.reason).toMatch(/permutation test of the excess against 0.00%/);
    const five = syntheticPopulation({ seed: 4, models: 5 });
    const withIds: Record<string, Array<{ model: { predictions: Uint16Array }; id: string }>> = {};
    for (const [k, v] of Object.entries(five.population)) withIds[k] = v.map((m, i) => ({ model: m, id: `seed-${i}` }));
    const small = await auditCompression({ population: withIds, testSet: { labels: five.labels }, bootstrap: { resamples: 0 } });
    const floor = level(small, '0.9').pies;
    if (floor.status !== 'ok') throw new Error('no pies');
    expect(floor.permutation).toMatchObject({ status: 'inconclusive', minAchievableP: 0.0625 });
    expect(floor.permutation.reason).toMatch(/need at least 6 models per level/);
    expect(small.warnings.some((w) => /noise floor cannot reach alpha/.test(w))).toBe(true);
    expect(only(small, { maxExcessPieRate: { 0.9: 0.5 } })[0]).toMatchObject({ status: 'inconclusive' });
  });
});

describe('disparity gates', () => {
  it('a gap gate measures a group against the rest; shared degradation fails the increase gate but not the gap gate', async () => {
    const r = await report();
    const sub = level(r, '0.9').subgroups;
    if (sub.status !== 'ok') throw new Error('no subgroups');
    for (const row of sub.rows) {
      expect(row.fnrGap).toBeCloseTo((row.fnrChange as number) - (row.restFnrChange as number), 12);
      // Both groups lose about 0.4 FNR on the hurt class: degradation, not disparity.
      expect(row.fnrChange as number).toBeGreaterThan(0.3);
    }
    const increase = only(r, { attributes: { sex: { maxFnrIncrease: 0.1, levels: ['0.9'] } } })[0];
    expect(increase.status).toBe('fail');
    const gap = only(r, { attributes: { sex: { maxFnrGap: 0.2, levels: ['0.9'] } } })[0];
    expect(gap.gate).toBe('attributes.maxFnrGap');
    expect(gap.status).toBe('pass');
    expect(gap.observed).toBe(Math.max(...sub.rows.map((x) => x.fnrGap as number)));
  });
});

describe('waive', () => {
  it('lists waived classes and attributes as waived, never counted, with the reason', async () => {
    const r = await report();
    const gates: GatesConfig = {
      maxSignificantlyHurtClasses: { 0.9: 0 },
      maxClassRecallDrop: { 0.9: 0.1 },
      attributes: { sex: { maxFnrIncrease: 0.1, levels: ['0.9'] } },
      waive: { classes: ['2'], attributes: ['sex'], reason: 'tracked in issue 42' },
    };
    const g = evaluateGates(r, gates);
    expect(g.waived).toEqual({ classes: ['2'], attributes: ['sex'], reason: 'tracked in issue 42' });
    const waived = g.results.filter((x) => x.waived);
    expect(waived.map((x) => x.gate).sort()).toEqual(['attributes.maxFnrIncrease', 'maxClassRecallDrop', 'maxSignificantlyHurtClasses']);
    for (const w of waived) expect(w.reason).toMatch(/^waived \(tracked in issue 42\): /);
    expect(waived.find((x) => x.gate === 'maxClassRecallDrop')).toMatchObject({ value: '2', status: 'fail' });
    const counted = g.results.filter((x) => !x.waived);
    expect(counted.find((x) => x.gate === 'maxSignificantlyHurtClasses')!.observed).toBe(0);
    expect(g.verdict).toBe(
      counted.some((x) => x.status === 'fail') ? 'fail' : counted.some((x) => x.status === 'inconclusive') ? 'inconclusive' : 'pass',
    );
    expect(evaluateGates(r, { maxSignificantlyHurtClasses: { 0.9: 0 } }).verdict).toBe('fail');
  });

  it('a class with no test examples blocks maxSignificantlyHurtClasses as inconclusive until waived', async () => {
    const s = syntheticPopulation({ seed: 6, models: 6, nClasses: 4 });
    const keep = Array.from(s.labels)
      .map((y, i) => (y === 3 ? -1 : i))
      .filter((i) => i >= 0);
    const labels = Uint8Array.from(keep, (i) => s.labels[i]);
    const population: Record<string, Array<{ predictions: Uint16Array }>> = {};
    for (const [k, v] of Object.entries(s.population))
      population[k] = v.map((m) => ({ predictions: Uint16Array.from(keep, (i) => m.predictions[i]) }));
    const r = await auditCompression({
      population,
      testSet: { labels },
      classNames: ['a', 'b', 'c', 'd'],
      bootstrap: { resamples: 0 },
      gates: { maxSignificantlyHurtClasses: { 0.5: 3 } },
    });
    expect(r.warnings.some((w) => /class d has no examples/.test(w))).toBe(true);
    expect(r.gates!.results[0]).toMatchObject({ status: 'inconclusive' });
    expect(r.gates!.results[0].reason).toMatch(/could not be tested \(d: class has no examples\); waive them/);
    const waived = evaluateGates(r, {
      maxSignificantlyHurtClasses: { 0.5: 3 },
      waive: { classes: ['d'], reason: 'no test examples of d' },
    });
    expect(waived.verdict).toBe('pass');
    expect(waived.results.find((x) => x.waived)!.reason).toMatch(/waived \(no test examples of d\): class d untested/);
    expect(waived.results.find((x) => x.waived)!.status).toBe('inconclusive');
  });
});

describe('power', () => {
  it('an underpowered level never passes silently: a warning, and the significance gate is inconclusive', async () => {
    const s = syntheticPopulation({ seed: 9, models: 4, levels: { 0: { hurt: 0, global: 0 }, 0.9: { hurt: 0, global: 0 } } });
    const r = await auditCompression({
      population: s.population,
      testSet: { labels: s.labels },
      bootstrap: { resamples: 0 },
      gates: { maxSignificantlyHurtClasses: { 0.9: 0 } },
    });
    expect(r.warnings[0]).toMatch(/level '0\.9' has 4 models and the baseline 4: fewer than 5/);
    expect(r.gates!.results[0].status).toBe('inconclusive');
    expect(r.gates!.results[0].reason).toMatch(/fewer than 5 per population/);
    expect(r.verdict).toBe('inconclusive');
  });

  it('warns when a modal tie rate exceeds 5 %', async () => {
    // Two models that disagree on every example: every modal label is a tie.
    const n = 50;
    const a = Uint16Array.from({ length: n }, () => 0);
    const b = Uint16Array.from({ length: n }, () => 1);
    const r = await auditCompression({
      population: { 0: [{ predictions: a }, { predictions: a }], 1: [{ predictions: a }, { predictions: b }] },
      testSet: { n },
      bootstrap: { resamples: 0 },
    });
    expect(r.warnings.some((w) => /level '1': 100\.0 % of its modal labels are ties/.test(w))).toBe(true);
  });
});

describe('reports saved before the verdict fields existed', () => {
  it('are inconclusive on the new gates, never a crash or a pass from missing numbers', async () => {
    const old = structuredClone(await report()) as AuditReport;
    for (const l of old.levels) {
      if (l.pies.status === 'ok') delete (l.pies as Partial<typeof l.pies>).permutation;
      if (l.accuracy.status === 'ok')
        for (const k of ['ci', 'top1Drop', 'top1DropCi'] as const) delete (l.accuracy as Partial<typeof l.accuracy>)[k];
      if (l.classImpact.status === 'ok') for (const r of l.classImpact.rows) delete (r as Partial<typeof r>).rawRecallChange;
    }
    const g = evaluateGates(old, {
      maxTop1Drop: { 0.9: 0.5 },
      maxExcessPieRate: { 0.9: 0.5 },
      maxClassRecallDrop: { 0.9: 0.9 },
      decision: 'confident',
    });
    expect(g.results.map((x) => x.status)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    expect(g.results.find((x) => x.gate === 'maxExcessPieRate')!.reason).toMatch(/no noise floor .* re-run the audit/);
  });
});

describe('gate config validation', () => {
  const context = { levels: ['0', '0.9'], baseline: '0', attributeNames: ['sex'], classNames: ['a', 'b'] };
  it('rejects bad new gates, decisions and waivers, naming the key, with a suggestion for typos', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ maxTop1Drp: { 0.9: 0.01 } }, /^gates\.maxTop1Drp: unknown gate; did you mean 'maxTop1Drop'\?/],
      [{ maxTop1Drop: { 0.9: 2 } }, /^gates\.maxTop1Drop\.0\.9: is a fraction/],
      [{ maxClassRecallDrop: { 0.9: { default: 0.05, z: 0.1 } } }, /^gates\.maxClassRecallDrop\.0\.9\.z: unknown class 'z'/],
      [{ maxClassRecallDrop: { 0.9: {} } }, /^gates\.maxClassRecallDrop\.0\.9: sets no threshold/],
      [{ maxExcessPieRate: { 0: 0.1 } }, /^gates\.maxExcessPieRate\.0: '0' is the baseline level/],
      [
        { attributes: { sex: { maxFnrGapp: 0.1 } } },
        /^gates\.attributes\.sex\.maxFnrGapp: unknown attribute gate; did you mean 'maxFnrGap'\?/,
      ],
      [{ attributes: { sex: { maxFprGap: 1.5 } } }, /^gates\.attributes\.sex\.maxFprGap: must be a rate change in \[0, 1\]/],
      [{ decision: 'strict' }, /^gates\.decision: must be 'point' or 'confident'/],
      [{ waive: { classes: ['a'] } }, /^gates\.waive\.reason: is required/],
      [{ waive: { classes: ['q'], reason: 'x' } }, /^gates\.waive\.classes: unknown class 'q'/],
      [{ waive: { attribute: ['sex'], reason: 'x' } }, /^gates\.waive\.attribute: unknown key; did you mean 'attributes'\?/],
    ];
    for (const [gates, message] of bad) {
      let caught: unknown;
      try {
        validateGatesConfig(gates, context);
      } catch (e) {
        caught = e;
      }
      expect(isPieAuditError(caught, 'CONFIG_ERROR'), JSON.stringify(gates)).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
    expect(
      validateGatesConfig(
        { maxClassRecallDrop: { 0.9: { default: 0.05, b: 0.3 } }, decision: 'confident', waive: { classes: ['a'], reason: 'r' } },
        context,
      ),
    ).toBeTruthy();
  });
});
