import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { isPieAuditError } from '../../src/errors.js';
import { CONSTANT_EQUAL_REASON, type AuditReport, type LevelReport } from '../../src/schema/index.js';
import { seededRandom } from '../../src/random/seeded-random.js';
import { syntheticPopulation } from './synthetic.js';
import { populationMembers } from '../../src/audit/population-members.js';
import type { Population } from '../../src/population/population.js';

const level = (r: AuditReport, key: string): LevelReport => r.levels.find((l) => l.key === key)!;

/**
 * The first case: class 0 right in every model of both populations, class 3 (rare) wrong in every model,
 * classes 1 and 2 noisy with fewer errors after compression, so top-1 rises while classes 0 and 3 stay constant.
 */
function constantClassPopulation(models: number) {
  const perClass = [200, 200, 200, 10];
  const labels = Uint8Array.from(perClass.flatMap((count, c) => new Array<number>(count).fill(c)));
  const rand = seededRandom(7);
  const make = (errorRate: number) =>
    Array.from({ length: models }, () => ({
      predictions: Uint16Array.from(labels, (y) => (y === 0 ? 0 : y === 3 ? 0 : rand() < errorRate ? 3 - y : y)),
    }));
  return { labels, population: { 0: make(0.13), 0.5: make(0.1) } };
}

describe('constant classes in the audit', () => {
  it('a class at 100 % (or 0 %) recall in every model is unchanged with p = 1 and does not fail the gate', async () => {
    const { labels, population } = constantClassPopulation(6);
    const r = await auditCompression({
      population,
      testSet: { labels },
      bootstrap: { resamples: 200 },
      correction: 'holm',
      gates: { maxSignificantlyHurtClasses: { 0.5: 0 } },
    });
    const impact = level(r, '0.5').classImpact;
    if (impact.status !== 'ok') throw new Error('no class tests');
    const top1 = level(r, '0.5').accuracy;
    const base = level(r, '0').accuracy;
    if (top1.status !== 'ok' || base.status !== 'ok') throw new Error('no accuracy');
    expect(top1.mean).toBeGreaterThan(base.mean);
    for (const c of [0, 3]) {
      expect(impact.rows[c]).toMatchObject({
        status: 'ok',
        degenerate: true,
        p: 1,
        significant: false,
        direction: 'unchanged',
        reason: CONSTANT_EQUAL_REASON,
      });
      // The normalised change is still an estimate (minus the top-1 shift), with its interval; the raw change is 0.
      expect(impact.rows[c].rawRecallChange).toBe(0);
      expect(impact.rows[c].normalizedRecallChange).toBeCloseTo(base.mean - top1.mean, 12);
    }
    expect(impact.hurtClasses).not.toContain(0);
    expect(impact.sparedClasses).not.toContain(3);
    expect(r.gates!.results[0]).toMatchObject({ gate: 'maxSignificantlyHurtClasses', observed: 0, status: 'pass' });
    expect(r.verdict).toBe('pass');
  });
});

describe('intervals and the noise floor in the report', () => {
  it('puts an interval around every estimate, reproducibly by seed, and none with resamples: 0', async () => {
    const s = syntheticPopulation({ seed: 3, models: 5, nClasses: 2 });
    const group = Array.from({ length: s.n }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
    const options = {
      population: s.population,
      testSet: { labels: s.labels, attributes: { group } },
      bootstrap: { resamples: 300, seed: 5 },
    };
    const r = await auditCompression(options);
    const contains = (ci: [number, number] | null, x: number | null) => {
      expect(ci).not.toBeNull();
      expect(ci![0]).toBeLessThanOrEqual(x! + 1e-12);
      expect(ci![1]).toBeGreaterThanOrEqual(x! - 1e-12);
    };
    for (const l of r.levels.filter((x) => !x.isBaseline)) {
      if (
        l.accuracy.status !== 'ok' ||
        l.pies.status !== 'ok' ||
        l.classImpact.status !== 'ok' ||
        l.attributes.status !== 'ok' ||
        l.subgroups.status !== 'ok'
      ) {
        throw new Error('a section is missing');
      }
      contains(l.accuracy.ci, l.accuracy.mean);
      contains(l.accuracy.top1DropCi, l.accuracy.top1Drop);
      contains(l.pies.rateCi, l.pies.rate);
      for (const row of l.classImpact.rows) {
        contains(row.rawRecallChangeCi, row.rawRecallChange);
        contains(row.normalizedRecallChangeCi, row.normalizedRecallChange);
      }
      for (const row of l.attributes.rows)
        if (row.overIndexRatio !== null && row.countAmongPIEs > 0) contains(row.overIndexRatioCi, row.overIndexRatio);
      for (const row of l.subgroups.rows) {
        contains(row.fnrChangeCi, row.fnrChange);
        contains(row.fnrGapCi, row.fnrGap);
        contains(row.compressedFprCi, row.compressedFpr);
      }
    }
    const again = await auditCompression(options);
    expect(again.levels.map((l) => l.pies)).toEqual(r.levels.map((l) => l.pies));
    const off = await auditCompression({ ...options, bootstrap: { resamples: 0 } });
    const l = level(off, '0.9');
    if (l.accuracy.status !== 'ok' || l.pies.status !== 'ok' || l.subgroups.status !== 'ok') throw new Error('missing');
    expect([l.accuracy.ci, l.accuracy.top1DropCi, l.pies.rateCi, l.subgroups.rows[0].fnrGapCi]).toEqual([null, null, null, null]);
    const withIntervals = level(r, '0.9').subgroups;
    if (withIntervals.status !== 'ok') throw new Error('missing');
    // Estimates do not depend on the resampling (up to rounding: the two-level intervals sum whole model counts, the
    // examples-only path sums shares).
    const gaps = withIntervals.rows.map((x) => x.fnrGap);
    l.subgroups.rows.forEach((x, i) => {
      expect(x.fnrGap === null).toBe(gaps[i] === null);
      if (x.fnrGap !== null) expect(x.fnrGap).toBeCloseTo(gaps[i]!, 14);
    });
    expect(off.config.bootstrap).toEqual({ resamples: 0, confidence: 0.95, seed: 0 });
  });

  it('pairs models by member id (auto), falls back to independent, and permuting models within a level changes nothing', async () => {
    const s = syntheticPopulation({ seed: 12, models: 6 });
    const ided = (order: number[]) =>
      Object.fromEntries(Object.entries(s.population).map(([k, v]) => [k, order.map((i) => ({ model: v[i], id: `seed-${i}` }))]));
    const a = await auditCompression({ population: ided([0, 1, 2, 3, 4, 5]), testSet: { labels: s.labels }, bootstrap: { resamples: 50 } });
    expect(a.design).toMatchObject({ design: 'paired', reason: "every compressed level holds exactly the baseline's member ids" });
    const shuffled = await auditCompression({
      population: ided([3, 0, 5, 1, 4, 2]),
      testSet: { labels: s.labels },
      bootstrap: { resamples: 50 },
    });
    expect(shuffled.levels.map((l) => l.pies)).toEqual(a.levels.map((l) => l.pies));
    const plain = await auditCompression({ population: s.population, testSet: { labels: s.labels }, bootstrap: { resamples: 0 } });
    expect(plain.design.design).toBe('independent');
    const p = level(plain, '0.9').pies;
    if (p.status !== 'ok') throw new Error('no pies');
    expect(p.permutation).toMatchObject({ design: 'independent', method: 'exact', splits: 924 });
    const byPosition = await auditCompression({
      population: s.population,
      testSet: { labels: s.labels },
      bootstrap: { resamples: 0 },
      noiseFloor: { design: 'paired' },
    });
    expect(byPosition.design).toMatchObject({
      design: 'paired',
      reason: 'noiseFloor.design paired was requested; models paired by position',
    });
    const mixed = { ...ided([0, 1, 2, 3, 4, 5]), 0.9: s.population['0.9'].map((m, i) => ({ model: m, id: `other-${i}` })) };
    await expect(auditCompression({ population: mixed, testSet: { labels: s.labels }, noiseFloor: { design: 'paired' } })).rejects.toThrow(
      /noiseFloor\.design: 'paired' needs level '0\.9'/,
    );
    const auto = await auditCompression({ population: mixed, testSet: { labels: s.labels }, bootstrap: { resamples: 0 } });
    expect(auto.design).toMatchObject({ design: 'independent', reason: "level '0.9' does not hold exactly the baseline's member ids" });
  });

  it('populationMembers carries the seed names of a built population, so the audit pairs its models', async () => {
    const s = syntheticPopulation({ seed: 8, models: 3 });
    const levels = s.population as unknown as Population['levels'];
    const names = Object.fromEntries(Object.keys(levels).map((k) => [k, ['seed-1', 'seed-2', 'seed-3']]));
    const sparsity = Object.fromEntries(Object.keys(levels).map((k) => [k, [Number(k), Number(k), Number(k)]]));
    const keys = Object.keys(levels);
    const variants = Object.fromEntries(keys.map((k) => [k, { kind: 'magnitude' as const, sparsity: Number(k) }]));
    const paired: Population['design'] = { kind: 'paired', regime: 'fineTune', pairIds: names };
    const built: Population = {
      levels,
      sparsityLevels: [0, 0.5, 0.9],
      levelKeys: keys,
      variants,
      design: paired,
      seeds: [1, 2, 3],
      modelNames: names,
      measuredSparsity: sparsity,
    };
    const members = populationMembers(built);
    expect(members['0.9'][2]).toMatchObject({ id: 'seed-3', sparsity: 0.9 });
    const r = await auditCompression({ population: members, testSet: { labels: s.labels }, bootstrap: { resamples: 0 } });
    expect(r.design.design).toBe('paired');
    expect(r.design.memberIds['0.5']).toEqual(['seed-1', 'seed-2', 'seed-3']);
    // Trained from scratch, the same seed names are independent models: nothing is paired.
    const initSeeds = Object.fromEntries(keys.map((k) => [k, [1, 2, 3]]));
    const independent = populationMembers({ ...built, design: { kind: 'independent', regime: 'fromScratch', initSeeds } });
    expect(independent['0.9'][2]).toMatchObject({ id: 'seed-3@0.9' });
    const ri = await auditCompression({ population: independent, testSet: { labels: s.labels }, bootstrap: { resamples: 0 } });
    expect(ri.design.design).toBe('independent');
  });

  it('reports accuracy on PIEs beside a random control subset of the same size', async () => {
    const s = syntheticPopulation({ seed: 2, models: 5 });
    const r = await auditCompression({ population: s.population, testSet: { labels: s.labels }, bootstrap: { resamples: 0 }, seed: 4 });
    const b = level(r, '0.9').baselineAccuracyOnPies;
    if (b.status !== 'ok' || b.control === null || b.compressedOnPies === null) throw new Error('missing');
    expect(b.control).toMatchObject({ size: b.nPies, seed: 4 });
    expect(b.compressedOnPies).toBeLessThan(b.control.compressedOnSubset);
    expect(b.compressedModalCorrectOnPies).toBeLessThanOrEqual(b.nPies);
  });
});

describe('probabilities', () => {
  it('with probabilities: true reports top-5 accuracy per model and the taxicab ranking with the PIE share of its top N', async () => {
    const s = syntheticPopulation({ seed: 5, models: 3, nClasses: 8, perClass: 40 });
    const soft = (preds: Uint16Array) => {
      const p = new Float32Array(preds.length * 8).fill(0.02);
      preds.forEach((y, i) => (p[i * 8 + y] = 0.86));
      return { probabilities: p, nClasses: 8 };
    };
    const population = Object.fromEntries(Object.entries(s.population).map(([k, v]) => [k, v.map((m) => soft(m.predictions))]));
    const r = await auditCompression({
      population,
      testSet: { labels: s.labels },
      probabilities: true,
      bootstrap: { resamples: 0 },
      maxExemplars: 4,
    });
    expect(r.config.probabilities).toBe(true);
    const l = level(r, '0.9');
    if (l.topK.status !== 'ok' || l.taxicab.status !== 'ok' || l.pies.status !== 'ok' || l.accuracy.status !== 'ok')
      throw new Error('missing');
    expect(l.topK.k).toBe(5);
    l.topK.perModel.forEach((top5, m) => expect(top5).toBeGreaterThanOrEqual(l.accuracy.status === 'ok' ? l.accuracy.perModel[m] : 1));
    expect(l.taxicab.topN).toBe(l.pies.count);
    expect(l.taxicab.top).toHaveLength(4);
    // A PIE's modal label moved, so its mean probabilities moved far: the top N by distance are mostly PIEs.
    expect(l.taxicab.pieShareInTopN).toBeGreaterThan(0.8);
    expect(level(r, '0').taxicab.status).toBe('not-applicable');
    const labelsOnly = await auditCompression({ population: s.population, testSet: { labels: s.labels }, bootstrap: { resamples: 0 } });
    expect(level(labelsOnly, '0.9').topK).toMatchObject({ status: 'unavailable' });
    await expect(auditCompression({ population: s.population, testSet: { labels: s.labels }, probabilities: true })).rejects.toThrow(
      /holds only top-1 labels/,
    );
  });
});

describe('unknown option keys', () => {
  it('are CONFIG_ERRORs naming the key, with a did-you-mean, anywhere in the options', async () => {
    const s = syntheticPopulation({ seed: 1, models: 2 });
    const base = { population: s.population, testSet: { labels: s.labels } };
    const wrapped = { 0: s.population['0'].map((m) => ({ model: m, idd: 'x' })), 0.9: s.population['0.9'] };
    const cases: Array<[Record<string, unknown>, RegExp, string]> = [
      [{ ...base, alpah: 0.1 }, /^alpah: unknown option; did you mean 'alpha'\?/, 'alpah'],
      [
        { ...base, testSet: { labels: s.labels, attribute: {} } },
        /^testSet\.attribute: unknown option; did you mean 'attributes'\?/,
        'testSet.attribute',
      ],
      [{ ...base, bootstrap: { resample: 10 } }, /^bootstrap\.resample: unknown option; did you mean 'resamples'\?/, 'bootstrap.resample'],
      [{ ...base, noiseFloor: { desing: 'paired' } }, /^noiseFloor\.desing: unknown option; did you mean 'design'\?/, 'noiseFloor.desing'],
      [
        { ...base, population: wrapped },
        /^population\['0'\]\[0\]\.idd: unknown member field; did you mean 'id'\?/,
        "population['0'][0].idd",
      ],
      [{ ...base, gates: { maxPieRat: {} } }, /^gates\.maxPieRat: unknown gate; did you mean 'maxPieRate'\?/, 'gates.maxPieRat'],
      [{ ...base, zzzzzz: 1 }, /^zzzzzz: unknown option; known: population, testSet/, 'zzzzzz'],
    ];
    for (const [options, message, key] of cases) {
      const caught = await auditCompression(options as never).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isPieAuditError(caught, 'CONFIG_ERROR'), key).toBe(true);
      expect((caught as Error).message).toMatch(message);
      expect((caught as { details: { key: string } }).details.key).toBe(key);
    }
    await expect(auditCompression({ ...base, bootstrap: { resamples: -1 } })).rejects.toThrow(
      /bootstrap\.resamples: must be an integer >= 0/,
    );
    await expect(auditCompression({ ...base, noiseFloor: { design: 'pair' as never } })).rejects.toThrow(
      /noiseFloor\.design: must be one of auto, paired, independent/,
    );
    await expect(
      auditCompression({ ...base, bootstrap: { resamples: 0 }, gates: { maxTop1Drop: { 0.9: 0.1 }, decision: 'confident' } }),
    ).rejects.toThrow(/gates\.decision: 'confident' compares bootstrap intervals/);
  });
});

describe('degenerate classes and multiple testing in the audit', () => {
  it('one example, 2 + 2 models, all right then all wrong: no p = 0, no hurt class, no exit 1', async () => {
    // Class 2 has one test example; classes 0 and 1 have 50 each and vary between models.
    const labels = Uint8Array.from([...new Array<number>(50).fill(0), ...new Array<number>(50).fill(1), 2]);
    const rand = seededRandom(4);
    const model = (rare: number) => ({
      predictions: Uint16Array.from(labels, (y) => (y === 2 ? rare : rand() < 0.1 ? 1 - Math.min(y, 1) : y)),
    });
    const population = { 0: [model(2), model(2)], 0.9: [model(0), model(0)] };
    const r = await auditCompression({
      population,
      testSet: { labels },
      bootstrap: { resamples: 0 },
      gates: { maxSignificantlyHurtClasses: { 0.9: 0 } },
    });
    const impact = level(r, '0.9').classImpact;
    if (impact.status !== 'ok') throw new Error('no class tests');
    expect(impact.rows[2]).toMatchObject({ status: 'inconclusive', degenerate: true, direction: null, significant: false });
    expect(impact.rows[2].p).toBeCloseTo(1 / 3, 15);
    expect(impact.hurtClasses).not.toContain(2);
    expect(r.exitCode).toBe(3);
    expect(r.gates!.results[0].status).toBe('inconclusive');
  });

  it("1,000 classes with no class-specific effect: Holm by default keeps the gate; 'none' shows the family and warns", async () => {
    const nClasses = 1000;
    const perClass = 4;
    const labels = Uint16Array.from({ length: nClasses * perClass }, (_, i) => i % nClasses);
    const rand = seededRandom(12);
    // Every model errs at the same rate on every class (5 % baseline, 7 % compressed): no class is hurt more.
    const make = (errorRate: number) =>
      Array.from({ length: 5 }, () => ({
        predictions: Uint16Array.from(labels, (y) => (rand() < errorRate ? (y + 1) % nClasses : y)),
      }));
    const population = { 0: make(0.05), 0.9: make(0.07) };
    const gates = { maxSignificantlyHurtClasses: { 0.9: 0 } };
    const holm = await auditCompression({ population, testSet: { labels }, bootstrap: { resamples: 0 }, gates });
    const impact = level(holm, '0.9').classImpact;
    if (impact.status !== 'ok') throw new Error('no class tests');
    expect(holm.config.correction).toBe('holm');
    expect(holm.config.attributeCorrection).toBe('bh');
    expect(impact.familySize).toBe(impact.rows.filter((x) => x.status === 'ok').length);
    expect(impact.expectedFalsePositives).toBeNull();
    expect(impact.hurtClasses).toHaveLength(0);
    expect(holm.warnings.some((w) => /without a correction/.test(w))).toBe(false);
    const none = await auditCompression({ population, testSet: { labels }, bootstrap: { resamples: 0 }, gates, correction: 'none' });
    const raw = level(none, '0.9').classImpact;
    if (raw.status !== 'ok') throw new Error('no class tests');
    expect(raw.expectedFalsePositives).toBeCloseTo((raw.familySize as number) * 0.05, 12);
    const warning = none.warnings.find((w) => /^level '0.9': \d+ class tests without a correction/.test(w));
    expect(warning).toMatch(/false positives expected at alpha 0.05/);
    expect(warning).toMatch(/set correction to 'holm' or 'bh'/);
  });
});

describe('tiny designs never give p = 0', () => {
  it('random populations of 2-4 models and 1-3 examples per class: every class p is positive or null (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (nB, nK, perClass, seed) => {
          const nClasses = 3;
          const labels = Uint8Array.from({ length: nClasses * perClass }, (_, i) => i % nClasses);
          const rand = seededRandom(seed);
          // Each population is all right or all wrong on a class with probability 1/2, else noisy.
          const make = (m: number) => {
            const mode = Array.from({ length: nClasses }, () => Math.floor(rand() * 4));
            return Array.from({ length: m }, () => ({
              predictions: Uint16Array.from(labels, (y) =>
                mode[y] === 0 ? y : mode[y] === 1 ? (y + 1) % nClasses : rand() < 0.5 ? y : (y + 2) % nClasses,
              ),
            }));
          };
          const r = await auditCompression({
            population: { 0: make(nB), 0.9: make(nK) },
            testSet: { labels },
            bootstrap: { resamples: 0 },
          });
          const impact = level(r, '0.9').classImpact;
          if (impact.status !== 'ok') return;
          for (const row of impact.rows) {
            expect(row.p === null || row.p > 0).toBe(true);
            if (row.degenerate && row.p !== 1) expect(row.p).toBeGreaterThanOrEqual(2 / 70 - 1e-15);
          }
        },
      ),
      { seed: 2, numRuns: 40 },
    );
  });
});
