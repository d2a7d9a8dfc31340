import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BootstrapMemo } from '../../src/analysis/bootstrap-memo.js';
import { bootstrapClassRecallIntervals } from '../../src/analysis/bootstrap-class-recall-intervals.js';
import { bootstrapErrorRateIntervals } from '../../src/analysis/bootstrap-error-rate-intervals.js';
import { bootstrapOverIndexIntervals } from '../../src/analysis/bootstrap-over-index-intervals.js';
import { bootstrapTop1Intervals } from '../../src/analysis/bootstrap-top1-intervals.js';
import { findPIEs } from '../../src/analysis/find-pies.js';
import { shareCorrect } from '../../src/analysis/share-correct.js';
import { sharePredicting } from '../../src/analysis/share-predicting.js';
import { MIN_TWO_LEVEL_MODELS, modelDeviationScale, twoLevelResample } from '../../src/analysis/two-level-bootstrap.js';
import { twoLevelIntervals, type TwoLevelIntervalsInput } from '../../src/analysis/two-level-bootstrap-intervals.js';
import { isPieAuditError } from '../../src/errors.js';
import { mulberry32 } from '../../src/random/mulberry32.js';

/**
 * A retraining world: example i is answered correctly with probability q_i - shift + u_m, where u_m is the seed
 * effect of model m (uniform on +-spread) and q_i ~ U(0.6, 0.9). The expected top-1 drop of a retrained compressed
 * population against a retrained baseline (over seeds and examples) is exactly `drop`.
 */
function world(seed: number, opts: { n: number; models: number; drop: number; spread: number; paired: boolean }) {
  const rnd = mulberry32(seed);
  const { n, models, drop, spread } = opts;
  const q = Float64Array.from({ length: n }, () => 0.6 + 0.3 * rnd());
  const labels = Uint16Array.from({ length: n }, () => (rnd() < 0.5 ? 0 : 1));
  const population = (shift: number, effects: number[]) =>
    effects.map((u) => Uint16Array.from({ length: n }, (_, i) => (rnd() < q[i] - shift + u ? labels[i] : 1 - labels[i])));
  const seedEffect = () => spread * (2 * rnd() - 1);
  const ub = Array.from({ length: models }, seedEffect);
  // Paired: a compressed model keeps most of its baseline model's seed effect.
  const uk = opts.paired ? ub.map((u) => u + 0.3 * seedEffect()) : Array.from({ length: models }, seedEffect);
  return { labels, baseline: population(0, ub), compressed: population(drop, uk) };
}

const input = (w: ReturnType<typeof world>, paired: boolean): TwoLevelIntervalsInput => ({
  labels: w.labels,
  nClasses: 2,
  baseline: w.baseline,
  compressed: w.compressed,
  paired,
  tieBreak: 'max',
  attributes: [],
  positiveClass: null,
});

/** Coverage of the retraining target by both intervals over `sims` seeded worlds. */
function coverage(sims: number, opts: { n: number; models: number; paired: boolean }) {
  const drop = 0.03;
  let twoLevel = 0;
  let examplesOnly = 0;
  for (let s = 0; s < sims; s++) {
    const w = world(1000 + s, { ...opts, drop, spread: 0.06 });
    const two = twoLevelIntervals(input(w, opts.paired), { resamples: 200, seed: s }).top1!.drop.ci!;
    const one = bootstrapTop1Intervals(shareCorrect(w.labels, w.baseline), shareCorrect(w.labels, w.compressed), {
      resamples: 200,
      seed: s,
    }).drop.ci!;
    if (two[0] <= drop && drop <= two[1]) twoLevel++;
    if (one[0] <= drop && drop <= one[1]) examplesOnly++;
  }
  return { twoLevel: twoLevel / sims, examplesOnly: examplesOnly / sims };
}

describe('two-level bootstrap (models and examples)', () => {
  it('covers the retraining target at its nominal 95 % within simulation error, where examples-only intervals under-cover', () => {
    const sims = 200;
    // Three binomial standard errors of a 95 % coverage over 200 simulations: 4.6 points.
    const tolerance = 3 * Math.sqrt((0.95 * 0.05) / sims);
    const independent = coverage(sims, { n: 500, models: 5, paired: false });
    expect(Math.abs(independent.twoLevel - 0.95)).toBeLessThanOrEqual(tolerance);
    expect(independent.examplesOnly).toBeLessThan(0.8);
    const paired = coverage(sims, { n: 500, models: 5, paired: true });
    expect(Math.abs(paired.twoLevel - 0.95)).toBeLessThanOrEqual(tolerance);
    console.info(`coverage of the retraining target (95 % nominal, ${sims} worlds, 5 models per level, 500 examples):`, {
      independent,
      paired,
    });
  }, 120_000);

  it('keeps every estimate of the examples-only functions and is deterministic with the seed', () => {
    const w = world(7, { n: 300, models: 4, drop: 0.02, spread: 0.05, paired: false });
    const group = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : null));
    const full: TwoLevelIntervalsInput = { ...input(w, false), attributes: [{ name: 'g', values: group }], positiveClass: 1 };
    const a = twoLevelIntervals(full, { resamples: 100, seed: 3 });
    const b = twoLevelIntervals(full, { resamples: 100, seed: 3 });
    expect(b).toEqual(a);
    expect(twoLevelIntervals(full, { resamples: 100, seed: 4 }).top1!.drop.ci).not.toEqual(a.top1!.drop.ci);
    const sb = shareCorrect(w.labels, w.baseline);
    const sk = shareCorrect(w.labels, w.compressed);
    const top1 = bootstrapTop1Intervals(sb, sk, { resamples: 0 });
    expect(a.top1!.drop.estimate).toBeCloseTo(top1.drop.estimate!, 14);
    expect(a.top1!.baseline.estimate).toBeCloseTo(top1.baseline.estimate!, 14);
    const classes = bootstrapClassRecallIntervals(w.labels, sb, sk, 2, { resamples: 0 });
    classes.forEach((c, i) => expect(a.classes![i].normalizedChange.estimate).toBeCloseTo(c.normalizedChange.estimate!, 14));
    const pies = findPIEs(w.baseline, w.compressed, { tieBreak: 'max', nClasses: 2 });
    expect(a.pieRate.estimate).toBeCloseTo(pies.rate, 14);
    const over = bootstrapOverIndexIntervals(pies.isPIE, { g: group }, { resamples: 0 });
    over.forEach((r, i) => expect(a.overIndex[i].overIndexRatio.estimate).toBeCloseTo(r.overIndexRatio.estimate!, 12));
    const rates = bootstrapErrorRateIntervals(
      {
        labels: w.labels,
        groups: group,
        baselineSharePositive: sharePredicting(w.baseline, 1),
        compressedSharePositive: sharePredicting(w.compressed, 1),
        positiveClass: 1,
      },
      { resamples: 0 },
    );
    rates.forEach((r, i) => {
      expect(a.errorRates[0].rows[i].fnr.gap.estimate).toBeCloseTo(r.fnr.gap.estimate!, 12);
      expect(a.errorRates[0].rows[i].fpr.change.estimate).toBeCloseTo(r.fpr.change.estimate!, 12);
    });
    // Every interval stays within its statistic's range (a rate never below 0).
    expect(a.pieRate.ci![0]).toBeGreaterThanOrEqual(0);
    for (const c of a.classes!) {
      expect(c.baselineRecall.ci![0]).toBeGreaterThanOrEqual(0);
      expect(c.compressedRecall.ci![1]).toBeLessThanOrEqual(1);
    }
    for (const r of a.errorRates[0].rows) if (r.fpr.compressed.ci) expect(r.fpr.compressed.ci[0]).toBeGreaterThanOrEqual(0);
    // Wider than the examples-only interval: retraining noise is added, not replaced.
    const exampleWidth = bootstrapTop1Intervals(sb, sk, { resamples: 100, seed: 3 }).drop.ci!;
    const twoWidth = a.top1!.drop.ci!;
    expect(twoWidth[1] - twoWidth[0]).toBeGreaterThan(exampleWidth[1] - exampleWidth[0]);
  });

  it('recomputes PIEs with the modal labels and tie rules of findPIEs (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom('max' as const, 'min' as const),
        fc.nat(),
        (models, n, classes, tieBreak, seed) => {
          const rnd = mulberry32(seed);
          const draw = () => Array.from({ length: models }, () => Uint16Array.from({ length: n }, () => Math.floor(rnd() * classes)));
          const baseline = draw();
          const compressed = draw();
          const labels = Uint16Array.from({ length: n }, () => Math.floor(rnd() * classes));
          const result = twoLevelIntervals(
            { labels, nClasses: classes, baseline, compressed, paired: false, tieBreak, attributes: [], positiveClass: null },
            { resamples: 5, seed },
          );
          expect(result.pieRate.estimate).toBe(findPIEs(baseline, compressed, { tieBreak, nClasses: classes }).rate);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('identical models leave only the examples-level spread (no model deviation)', () => {
    const w = world(11, { n: 200, models: 1, drop: 0.02, spread: 0, paired: false });
    const baseline = [w.baseline[0], w.baseline[0], w.baseline[0]];
    const compressed = [w.compressed[0], w.compressed[0], w.compressed[0]];
    const two = twoLevelIntervals({ ...input(w, false), baseline, compressed }, { resamples: 50, seed: 1 });
    const one = twoLevelIntervals(
      { ...input(w, false), baseline: w.baseline.concat(w.baseline, w.baseline), compressed },
      {
        resamples: 50,
        seed: 1,
      },
    );
    expect(two.top1!.drop.ci).toEqual(one.top1!.drop.ci);
  });

  it(`refuses fewer than ${MIN_TWO_LEVEL_MODELS} models per population and unequal pairs with a typed error`, () => {
    const stat = (_w: Float64Array, _b: Float64Array, _k: Float64Array, out: Float64Array) => out.fill(0);
    const design = { nExamples: 10, baselineModels: 2, compressedModels: 5, paired: false };
    expect(() => twoLevelResample(design, 1, {}, stat)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    try {
      twoLevelResample({ ...design, baselineModels: 4, paired: true }, 1, {}, stat);
      expect.unreachable();
    } catch (error) {
      expect(isPieAuditError(error)).toBe(true);
    }
  });

  it('stretches the model part by sqrt(m / (m - 1)) times t over z', () => {
    // 5 + 5 independent models: df 8, t(0.975, 8) = 2.306004135 (scipy.stats.t.ppf), z = 1.959963985.
    const scale = modelDeviationScale({ nExamples: 1, baselineModels: 5, compressedModels: 5, paired: false }, 0.95);
    expect(scale).toBeCloseTo(Math.sqrt(5 / 4) * (2.306004135 / 1.959963985), 8);
  });
});

describe('two-level PIE-rate interval', () => {
  it('holds its estimate when the compressed models disagree (model resampling widens it, not shifts it)', () => {
    // 6 + 6 paired models on 2,000 examples; the compressed models flip a fifth of their examples at random, so
    // resampled (duplicated) models raise the PIE count: before centring, the interval sat above its estimate.
    const random = mulberry32(11);
    const n = 2000;
    const labels = Uint16Array.from({ length: n }, () => Math.floor(random() * 10));
    const baseline = Array.from({ length: 6 }, () => labels.map((y) => (random() < 0.05 ? (y + 1) % 10 : y)));
    const compressed = baseline.map((p) => p.map((y) => (random() < 0.2 ? Math.floor(random() * 10) : y)));
    const intervals = twoLevelIntervals(
      { labels, nClasses: 10, baseline, compressed, paired: true, tieBreak: 'max', attributes: [], positiveClass: null },
      { resamples: 400, seed: 3 },
    );
    const { estimate, ci } = intervals.pieRate;
    expect(estimate).not.toBeNull();
    expect(ci).not.toBeNull();
    expect(ci![0]).toBeLessThanOrEqual(estimate!);
    expect(ci![1]).toBeGreaterThanOrEqual(estimate!);
  });
});

describe('two-level intervals from shared sums', () => {
  /** Weighted modal label of example i (ties by the larger label), counting every model by its weight. */
  const modalOf = (predictions: readonly Uint16Array[], weights: Float64Array, i: number) => {
    const votes = new Map<number, number>();
    predictions.forEach((p, m) => votes.set(p[i], (votes.get(p[i]) ?? 0) + weights[m]));
    let best = -1;
    for (const [label, count] of votes)
      if (count > 0 && (best < 0 || count > votes.get(best)! || (count === votes.get(best)! && label > best))) best = label;
    return best;
  };

  it('gives the intervals of evaluating each resample directly (drop, PIE rate, an over-index ratio), with and without the baseline kept for the next level', () => {
    const w = world(21, { n: 240, models: 4, drop: 0.03, spread: 0.05, paired: false });
    const group = Array.from({ length: 240 }, (_, i) => (i % 4 === 0 ? null : i % 3 === 0 ? 'a' : 'b'));
    const direct = (examples: Float64Array, b: Float64Array, k: Float64Array, out: Float64Array) => {
      let total = 0;
      let drop = 0;
      let pies = 0;
      let recorded = 0;
      let inA = 0;
      let piesRecorded = 0;
      let piesInA = 0;
      const share = (population: readonly Uint16Array[], weights: Float64Array, i: number) =>
        population.reduce((s, p, m) => s + weights[m] * (p[i] === w.labels[i] ? 1 : 0), 0) / population.length;
      for (let i = 0; i < examples.length; i++) {
        const x = examples[i];
        if (x === 0) continue;
        const pie = modalOf(w.baseline, b, i) !== modalOf(w.compressed, k, i) ? 1 : 0;
        total += x;
        drop += x * (share(w.baseline, b, i) - share(w.compressed, k, i));
        pies += x * pie;
        if (group[i] === null) continue;
        recorded += x;
        piesRecorded += x * pie;
        if (group[i] === 'a') {
          inA += x;
          piesInA += x * pie;
        }
      }
      out[0] = drop / total;
      out[1] = pies / total;
      out[2] = piesRecorded === 0 ? NaN : (piesInA * recorded) / (piesRecorded * inA);
    };
    const design = { nExamples: 240, baselineModels: 4, compressedModels: 4, paired: false };
    const [drop, pieRate, overA] = twoLevelResample(design, 3, { resamples: 60, seed: 9 }, direct);
    const full: TwoLevelIntervalsInput = { ...input(w, false), attributes: [{ name: 'g', values: group }], positiveClass: 1 };
    const memo = new BootstrapMemo(60);
    // The first call fills the memo with the baseline's sums, the second reads them back.
    for (const result of [
      twoLevelIntervals({ ...full, memo }, { resamples: 60, seed: 9 }),
      twoLevelIntervals({ ...full, memo }, { resamples: 60, seed: 9 }),
    ]) {
      const rowA = result.overIndex.find((r) => r.value === 'a')!.overIndexRatio;
      for (const [fast, slow] of [
        [result.top1!.drop, drop],
        [result.pieRate, pieRate],
        [rowA, overA],
      ] as const) {
        expect(fast.estimate).toBeCloseTo(slow.estimate!, 12);
        // The fast path clips to the statistic's range; these stay inside it.
        expect(fast.ci![0]).toBeCloseTo(slow.ci![0], 12);
        expect(fast.ci![1]).toBeCloseTo(slow.ci![1], 12);
        expect(fast.undefinedResamples).toBe(slow.undefinedResamples);
      }
    }
  });
});
