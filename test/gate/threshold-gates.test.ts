import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { excessThresholdTest } from '../../src/analysis/excess-threshold-test.js';
import { overIndexThresholdTest } from '../../src/analysis/over-index-threshold-test.js';
import { binomialLowerTail, binomialUpperTail } from '../../src/analysis/stats/binomial-tail.js';
import { adjustPValues } from '../../src/analysis/stats/adjust-p-values.js';
import { evaluateGates } from '../../src/gate/evaluate-gates.js';
import type { AuditReport, GateDecision, LevelReport } from '../../src/schema/index.js';
import { syntheticPopulation } from '../audit/synthetic.js';

let cached: AuditReport | undefined;
/** 6 paired models per level with a group attribute: the noise floor is exact (64 splits) and reaches alpha. */
async function report(): Promise<AuditReport> {
  if (cached) return cached;
  const s = syntheticPopulation({ seed: 11, models: 6 });
  const population: Record<string, Array<{ model: { predictions: Uint16Array }; id: string }>> = {};
  for (const [k, v] of Object.entries(s.population)) population[k] = v.map((m, i) => ({ model: m, id: `seed-${i}` }));
  const sex = Array.from({ length: s.n }, (_, i) => (i % 3 === 0 ? 'F' : 'M'));
  cached = await auditCompression({
    population,
    testSet: { labels: s.labels, attributes: { sex } },
    bootstrap: { resamples: 200, seed: 3 },
  });
  return cached;
}
const level = (r: AuditReport, key: string): LevelReport => r.levels.find((l) => l.key === key)!;
const clone = (r: AuditReport): AuditReport => structuredClone(r);

describe('binomial tails', () => {
  it('match scipy.stats.binom', () => {
    // /usr/bin/python3: [k, n, p, binom.sf(k - 1, n, p), binom.cdf(k, n, p)]
    const scipy: Array<[number, number, number, number, number]> = [
      [1, 1, 0.5, 0.5, 1.0],
      [5, 20, 0.1, 0.04317449528446339, 0.988746865835491],
      [50, 100, 0.3, 2.2060913327165886e-5, 0.9999909653138043],
      [0, 7, 0.2, 1.0, 0.20971519999999996],
      [7, 7, 0.2, 1.2800000000000005e-5, 1.0],
      [900, 1000, 0.85, 2.03896612747274e-6, 0.9999987396500664],
      [3, 5000, 0.0001, 0.014381991560423591, 0.998249956704456],
      [120, 400, 0.2, 1.2933601963073256e-6, 0.9999992628310136],
      [30, 60, 0.3, 0.0009128501970553235, 0.9990871498029447 + binomPmf(30, 60, 0.3)],
    ];
    for (const [k, n, p, sf, cdf] of scipy) {
      expect(Math.abs(binomialUpperTail(k, n, p) - sf) / sf).toBeLessThan(1e-12);
      expect(Math.abs(binomialLowerTail(k, n, p) - cdf) / cdf).toBeLessThan(1e-12);
    }
  });
});

function binomPmf(k: number, n: number, p: number): number {
  let logC = 0;
  for (let i = 1; i <= k; i++) logC += Math.log(n - k + i) - Math.log(i);
  return Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

describe('excessThresholdTest', () => {
  it('at threshold 0 equals the noise floor p, and its p-values move monotonically with the threshold', async () => {
    const r = await report();
    const floor = level(r, '0.9').pies;
    if (floor.status !== 'ok') throw new Error('no pies');
    const f = floor.permutation;
    expect(f.nullDistribution!.reduce((s, [, k]) => s + k, 0)).toBe(f.splits - 1);
    expect(excessThresholdTest(f.observed, f.nullDistribution!, 0, r.testSet.n).pAbove).toBeCloseTo(f.p, 15);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }), (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const tLo = excessThresholdTest(f.observed, f.nullDistribution!, lo, r.testSet.n);
        const tHi = excessThresholdTest(f.observed, f.nullDistribution!, hi, r.testSet.n);
        expect(tHi.pAbove).toBeGreaterThanOrEqual(tLo.pAbove);
        expect(tHi.pBelow).toBeLessThanOrEqual(tLo.pBelow);
        // Never below the floor of the design: the observed split counts on both sides.
        expect(Math.min(tLo.pAbove, tLo.pBelow)).toBeGreaterThanOrEqual(1 / f.splits - 1e-15);
      }),
      { seed: 7, numRuns: 100 },
    );
  });
});

describe('maxExcessPieRate tests its own threshold', () => {
  it("'confident': fails only when significantly above, passes only when significantly below, else inconclusive (property)", async () => {
    const base = await report();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 0.15, noNaN: true }),
        fc.constantFrom<GateDecision>('point', 'confident'),
        (observed, pairs, threshold, decision) => {
          const r = clone(base);
          const pies = level(r, '0.9').pies;
          if (pies.status !== 'ok') throw new Error('no pies');
          const merged = new Map<number, number>();
          for (const [c, k] of pairs) merged.set(c, (merged.get(c) ?? 0) + k);
          const nullDistribution = [...merged].sort((a, b) => a[0] - b[0]) as Array<[number, number]>;
          const excess = observed - 20;
          Object.assign(pies.permutation, { observed, nullDistribution, nullMedian: 20, excess, excessRate: excess / r.testSet.n });
          const g = evaluateGates(r, { maxExcessPieRate: { 0.9: threshold }, decision }).results[0];
          const t = excessThresholdTest(observed, nullDistribution, threshold, r.testSet.n);
          const want =
            decision === 'point'
              ? excess / r.testSet.n <= threshold
                ? 'pass'
                : 'fail'
              : t.pAbove <= r.config.alpha
                ? 'fail'
                : t.pBelow <= r.config.alpha
                  ? 'pass'
                  : 'inconclusive';
          expect(g.status).toBe(want);
        },
      ),
      { seed: 11, numRuns: 150 },
    );
  });

  it("'confident' no longer fails on a 1e-9 breach: the excess must be significantly above the threshold", async () => {
    const r = clone(await report());
    const pies = level(r, '0.9').pies;
    if (pies.status !== 'ok') throw new Error('no pies');
    const f = pies.permutation;
    // A threshold one ulp-sized step below the observed excess: 'point' fails, 'confident' cannot tell.
    const threshold = f.excessRate - 1e-9;
    expect(evaluateGates(r, { maxExcessPieRate: { 0.9: threshold } }).results[0].status).toBe('fail');
    const confident = evaluateGates(r, { maxExcessPieRate: { 0.9: threshold }, decision: 'confident' }).results[0];
    expect(confident.status).toBe('inconclusive');
    expect(confident.reason).toMatch(/permutation test of the excess against/);
  });

  it("'confident' without the null distribution (an older report) is inconclusive", async () => {
    const r = clone(await report());
    const pies = level(r, '0.9').pies;
    if (pies.status !== 'ok') throw new Error('no pies');
    delete pies.permutation.nullDistribution;
    const g = evaluateGates(r, { maxExcessPieRate: { 0.9: 0.5 }, decision: 'confident' }).results[0];
    expect(g.status).toBe('inconclusive');
    expect(g.reason).toMatch(/no null distribution/);
  });
});

describe('maxOverIndex tests its own threshold', () => {
  it("'point' fails a ratio above the threshold only when the adjusted binomial test against the threshold is significant (property)", async () => {
    const base = await report();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        (nPIEs, fraction, threshold) => {
          const r = clone(base);
          const attrs = level(r, '0.9').attributes;
          if (attrs.status !== 'ok') throw new Error('no attributes');
          const rows = attrs.rows.filter((x) => x.attribute === 'sex');
          const kF = Math.round(fraction * nPIEs);
          const counts = [kF, nPIEs - kF];
          rows.forEach((row, i) => {
            row.nPIEs = nPIEs;
            row.countAmongPIEs = counts[i];
            row.shareAmongPIEs = counts[i] / nPIEs;
            row.overIndexRatio = row.shareAmongPIEs / row.shareOverall;
            row.overIndexRatioCi = null;
          });
          const g = evaluateGates(r, { attributes: { sex: { maxOverIndex: threshold, levels: ['0.9'] } } }).results[0];
          const pAbove = adjustPValues(
            rows.map((row) => overIndexThresholdTest(row.countAmongPIEs, nPIEs, row.shareOverall, threshold).pAbove),
            'bh',
          );
          const worst = rows.reduce((a, b) => ((b.overIndexRatio as number) > (a.overIndexRatio as number) ? b : a));
          const breaches = rows
            .map((row, i) => ({ row, p: pAbove[i] as number }))
            .filter((x) => (x.row.overIndexRatio as number) > threshold);
          const want = breaches.some((x) => x.p < r.config.alpha) ? 'fail' : breaches.length > 0 ? 'inconclusive' : 'pass';
          expect(g.status).toBe(want);
          if (want === 'pass') expect(g.observed).toBe(worst.overIndexRatio);
        },
      ),
      { seed: 5, numRuns: 150 },
    );
  });

  it('a ratio barely over the threshold is not a failure, even when Fisher rejects ratio = 1', async () => {
    const r = clone(await report());
    const attrs = level(r, '0.9').attributes;
    if (attrs.status !== 'ok') throw new Error('no attributes');
    const [f, m] = attrs.rows.filter((x) => x.attribute === 'sex');
    // 100 PIEs, F is a third of the test set: 52 F PIEs is a ratio of 1.56, clearly above 1 but not above 1.5.
    f.nPIEs = m.nPIEs = 100;
    f.countAmongPIEs = 52;
    m.countAmongPIEs = 48;
    for (const row of [f, m]) {
      row.shareAmongPIEs = row.countAmongPIEs / 100;
      row.overIndexRatio = row.shareAmongPIEs / row.shareOverall;
      row.significant = true;
      row.pAdjusted = 1e-6;
    }
    const g = evaluateGates(r, { attributes: { sex: { maxOverIndex: 1.5, levels: ['0.9'] } } }).results[0];
    expect(f.overIndexRatio).toBeGreaterThan(1.5);
    expect(g.status).toBe('inconclusive');
    expect(g.reason).toMatch(/exact binomial test of the ratio against 1.5/);
  });
});
