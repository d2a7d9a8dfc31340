import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { isPieAuditError } from '../../src/errors.js';
import { syntheticPopulation } from './synthetic.js';

/** Every number in a report is finite or null: JSON round trip is lossless. */
function assertJsonClean(value: unknown): void {
  const text = JSON.stringify(value);
  expect(JSON.parse(text)).toEqual(value);
  expect(text).not.toMatch(/NaN|Infinity/);
  const walk = (v: unknown): void => {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    else if (ArrayBuffer.isView(v)) throw new Error('typed array in report');
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    else expect(v === undefined).toBe(false);
  };
  walk(value);
}

describe('auditCompression on precomputed predictions', () => {
  it('finds the hurt class, counts PIEs that grow with compression, and shows the baseline is worse on PIEs', async () => {
    const s = syntheticPopulation({ seed: 3 });
    const report = await auditCompression({ population: s.population, testSet: { labels: s.labels }, classNames: ['a', 'b', 'c', 'd'] });
    expect(report.schemaVersion).toBe(1);
    expect(report.levels.map((l) => l.key)).toEqual(['0', '0.5', '0.9']);
    const [base, mid, high] = report.levels;
    expect(base.pies.status).toBe('not-applicable');
    if (mid.pies.status !== 'ok' || high.pies.status !== 'ok') throw new Error('pies missing');
    expect(high.pies.count).toBeGreaterThan(mid.pies.count);
    expect(high.pies.byTrueClass![2]).toBe(Math.max(...high.pies.byTrueClass!));
    if (high.classImpact.status !== 'ok') throw new Error('class tests missing');
    expect(high.classImpact.hurtClasses).toContain(2);
    expect(high.classImpact.rows[2].className).toBe('c');
    if (high.baselineAccuracyOnPies.status !== 'ok') throw new Error('missing');
    expect(high.baselineAccuracyOnPies.onPies!).toBeLessThan(high.baselineAccuracyOnPies.onNonPies!);
    expect(report.verdict).toBe('ungated');
    expect(report.environment.backend).toBeNull();
    expect(report.environment.runtimes).toEqual({ precomputed: 12 });
    assertJsonClean(report);
  });

  it('counts PIEs exactly as modal-label disagreements, for any random population', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 1e6 }),
        async (nb, nk, nClasses, seed) => {
          const n = 30;
          let state = seed;
          const next = () => (state = (state * 1103515245 + 12345) % 2147483648) % nClasses;
          const make = (m: number) => Array.from({ length: m }, () => ({ predictions: Uint16Array.from({ length: n }, next) }));
          const base = make(nb);
          const comp = make(nk);
          const report = await auditCompression({
            population: { base, comp },
            testSet: { n },
            classNames: Array.from({ length: nClasses }, (_, c) => `c${c}`),
            baseline: 'base',
          });
          const modal = (pop: Array<{ predictions: Uint16Array }>, i: number) => {
            const counts = new Array(nClasses).fill(0);
            for (const p of pop) counts[p.predictions[i]]++;
            const top = Math.max(...counts);
            return counts.lastIndexOf(top); // tieBreak 'max'
          };
          let expected = 0;
          for (let i = 0; i < n; i++) if (modal(base, i) !== modal(comp, i)) expected++;
          const level = report.levels[1];
          if (level.pies.status !== 'ok') throw new Error('no pies');
          expect(level.pies.count).toBe(expected);
          expect(level.pies.byTrueClass).toBeNull();
          expect(level.accuracy.status).toBe('unavailable');
          expect(level.exemplars.length).toBe(Math.min(expected, 16));
          assertJsonClean(report);
        },
      ),
      { seed: 42, numRuns: 25 },
    );
  });

  it('tests one model per level with exact paired tests instead of a dead end', async () => {
    const s = syntheticPopulation({ models: 1, seed: 5 });
    const report = await auditCompression({
      population: s.population,
      testSet: { labels: s.labels },
      gates: { maxSignificantlyHurtClasses: { 0.9: 0 } },
    });
    const high = report.levels[2];
    if (high.classImpact.status !== 'ok') throw new Error('class tests skipped');
    expect(high.classImpact.test).toBe('mcnemar-exact');
    expect(high.classImpact.hurtClasses).toContain(2);
    expect(high.pies.status).toBe('not-applicable');
    expect(high.flips?.status).toBe('ok');
    expect(report.verdict).toBe('fail');
    expect(report.exitCode).toBe(1);
  });

  it('reports over-indexed attribute values and subgroup FPR/FNR changes on a binary task', async () => {
    const s = syntheticPopulation({
      nClasses: 2,
      perClass: 300,
      hurtClass: 1,
      seed: 9,
      levels: { '0': { hurt: 0, global: 0 }, int8: { hurt: 0.3, global: 0.02 } },
    });
    // The attribute marks most examples of the hurt positive class.
    const group = Array.from(s.labels, (l, i) => (l === 1 && i % 4 !== 0 ? 'x' : i % 3 === 0 ? 'x' : 'y'));
    const report = await auditCompression({
      population: s.population,
      testSet: { labels: s.labels, attributes: { group } },
      gates: { attributes: { group: { maxOverIndex: 1.1, maxFnrIncrease: 0.05 } } },
    });
    const level = report.levels[1];
    expect(level.key).toBe('int8');
    expect(level.numericLevel).toBeNull();
    if (level.attributes.status !== 'ok' || level.subgroups.status !== 'ok') throw new Error('missing sections');
    const x = level.attributes.rows.find((r) => r.value === 'x')!;
    expect(x.overIndexRatio!).toBeGreaterThan(1);
    expect(level.subgroups.positiveClass).toBe(1);
    const sx = level.subgroups.rows.find((r) => r.value === 'x')!;
    expect(sx.fnrChange!).toBeGreaterThan(0.1);
    expect(sx.fnrPValue!).toBeLessThan(0.05);
    expect(report.verdict).toBe('fail');
    expect(report.gates!.results.some((r) => r.gate === 'attributes.maxFnrIncrease' && r.status === 'fail')).toBe(true);
    assertJsonClean(report);
  });

  it('accepts a Map population in any level order, with the baseline named explicitly', async () => {
    const s = syntheticPopulation({ seed: 8 });
    const population = new Map<string | number, Array<{ predictions: Uint16Array }>>([
      [0.9, s.population['0.9']],
      ['fp32', s.population['0']],
    ]);
    const report = await auditCompression({ population, testSet: { labels: s.labels }, baseline: 'fp32', maxExemplars: 3 });
    expect(report.levels.map((l) => l.key)).toEqual(['fp32', '0.9']);
    expect(report.baselineLevel).toBe('fp32');
    expect(report.levels[1].exemplars).toHaveLength(3);
    const indices = report.levels[1].exemplars.map((e) => e.index);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('rejects bad configuration up front with CONFIG_ERROR naming the key', async () => {
    const s = syntheticPopulation({ seed: 1 });
    const base = { population: s.population, testSet: { labels: s.labels } };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ alpha: 1.5 }, /^alpha:/],
      [{ correction: 'fdr' }, /^correction:/],
      [{ baseline: 0.7 }, /^baseline: level '0.7'/],
      [{ tieBreak: 'random' }, /^tieBreak:/],
      [{ gates: { maxPieRate: { 0.8: 0.1 } } }, /gates\.maxPieRate\.0\.8: unknown level/],
      [{ gates: { maxPieRat: {} } }, /gates\.maxPieRat: unknown gate/],
      [{ population: { 0: s.population['0'] } }, /population needs a baseline level and at least one compressed level/],
    ];
    for (const [patch, message] of cases) {
      const err = await auditCompression({ ...base, ...patch } as never).catch((e: unknown) => e);
      expect(isPieAuditError(err), String(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
    const wrongLength = await auditCompression({ ...base, testSet: { labels: s.labels.subarray(1) } }).catch((e: unknown) => e);
    expect(isPieAuditError(wrongLength, 'LENGTH_MISMATCH')).toBe(true);
    const missingInputs = await auditCompression({
      population: { 0: [{ predict: async () => new Float32Array(0), nClasses: 2 }], 1: [{ predictions: [0] }] },
      testSet: { n: 1 },
    }).catch((e: unknown) => e);
    expect((missingInputs as Error).message).toMatch(/^testSet\.inputs:/);
  });
});
