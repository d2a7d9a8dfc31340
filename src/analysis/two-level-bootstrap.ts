import { quantileSorted } from 'simple-statistics';
import { PieAuditError } from '../errors.js';
import { mulberry32 } from '../random/mulberry32.js';
import { bootstrapSettings, type BootstrapInterval, type BootstrapOptions } from './bootstrap-resample.js';
import { studentTQuantile } from './stats/student-t-distribution.js';

/**
 * Fewest models per population for a two-level interval. With 2 models a resampled population is one model twice
 * in half the draws, and the t quantile of 2 degrees of freedom widens the model part 2.2-fold: the interval
 * would rest on almost no information about retraining. From 3 models on, the simulation in
 * test/analysis/two-level-bootstrap.test.ts covers the retraining target at its nominal rate.
 */
export const MIN_TWO_LEVEL_MODELS = 3;

/** The shape of a two-level resample: how many examples and models, and whether models come in pairs. */
export interface TwoLevelDesign {
  nExamples: number;
  baselineModels: number;
  compressedModels: number;
  /**
   * `true` when compressed model i was made from baseline model i (same count): a resample draws model pairs, so
   * both populations keep the same members. `false`: each population is resampled on its own.
   */
  paired: boolean;
}

/**
 * Fills `out[s]` with statistic s under the given weights: `examples[i]` = how often example i was drawn,
 * `baseline[m]` / `compressed[m]` = how often model m of each population was drawn (all 1 for the estimate itself).
 * NaN marks a statistic undefined under these weights.
 */
export type TwoLevelStatisticsFunction = (
  examples: Float64Array,
  baseline: Float64Array,
  compressed: Float64Array,
  out: Float64Array,
) => void;

/** What one resample evaluates: the drawn models on the drawn examples (`full`) and on each fixed half, every model on the drawn examples. */
export interface TwoLevelResampleValues {
  full: Float64Array;
  examplesOnly: Float64Array;
  halves: readonly [Float64Array, Float64Array];
}

/**
 * The statistics of a two-level bootstrap, evaluated a resample at a time so that work the four evaluations of one
 * resample share is done once. Model weights are whole multiplicities summing to the population's size.
 */
export interface TwoLevelStatistics {
  /** Every statistic with each model once, under example weights `examples` (the estimate, the fixed halves). */
  everyModel(examples: Float64Array, out: Float64Array): void;
  /**
   * The values of resample `index` (0, 1, ... in order); `halves` are the same two arrays (weights 1/0) on every
   * call of one bootstrap.
   */
  resample(
    index: number,
    examples: Float64Array,
    baseline: Float64Array,
    compressed: Float64Array,
    halves: readonly [Float64Array, Float64Array],
    out: TwoLevelResampleValues,
  ): void;
}

/** A plain statistics function as {@link TwoLevelStatistics}: each evaluation is one call. */
function statisticsOf(f: TwoLevelStatisticsFunction, design: TwoLevelDesign): TwoLevelStatistics {
  const allBaseline = new Float64Array(design.baselineModels).fill(1);
  const allCompressed = new Float64Array(design.compressedModels).fill(1);
  return {
    everyModel: (examples, out) => f(examples, allBaseline, allCompressed, out),
    resample: (_index, examples, baseline, compressed, halves, out) => {
      // Model-dependent work first, while the drawn models are current (a function may cache on model weights).
      f(examples, baseline, compressed, out.full);
      f(halves[0], baseline, compressed, out.halves[0]);
      f(halves[1], baseline, compressed, out.halves[1]);
      f(examples, allBaseline, allCompressed, out.examplesOnly);
    },
  };
}

/**
 * How much the model-level deviation of each resample is stretched: `sqrt(m / (m - 1)) * t(df) / z`, with m the
 * models per population (the smaller one) and df = m - 1 for pairs, `baseline + compressed - 2` otherwise. The
 * first factor undoes the bootstrap's (m - 1) / m shrinkage of a mean's variance over m models; the second swaps the
 * normal quantile the percentile interval implies for the Student t quantile a variance from m models calls for.
 * Without it, 5 models per level cover the retraining target about 88 % of the time at 95 %.
 * @example
 * modelDeviationScale({ nExamples: 500, baselineModels: 5, compressedModels: 5, paired: false }, 0.95); // ~1.32
 */
export function modelDeviationScale(design: TwoLevelDesign, confidence: number): number {
  const m = Math.min(design.baselineModels, design.compressedModels);
  const df = design.paired ? m - 1 : design.baselineModels + design.compressedModels - 2;
  const upper = (1 + confidence) / 2;
  return Math.sqrt(m / (m - 1)) * (studentTQuantile(upper, df) / studentTQuantile(upper, Infinity));
}

/** Throws unless both populations are large enough (and equal when paired). */
function checkDesign({ baselineModels: mb, compressedModels: mk, paired }: TwoLevelDesign): void {
  if (mb < MIN_TWO_LEVEL_MODELS || mk < MIN_TWO_LEVEL_MODELS) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `a two-level bootstrap needs at least ${MIN_TWO_LEVEL_MODELS} models per population (got ${mb} and ${mk}); use the examples-only bootstrap.`,
      { name: 'models' },
    );
  }
  if (paired && mb !== mk) {
    throw new PieAuditError('INVALID_ARGUMENT', `paired populations must have as many models each (got ${mb} and ${mk}).`, {
      name: 'paired',
    });
  }
}

/** Two fixed halves of the test set (weights 1/0) from their own seeded shuffle, leaving the resamples' stream untouched. */
function fixedHalves(n: number, seed: number): [Float64Array, Float64Array] {
  const order = Array.from({ length: n }, (_, i) => i);
  const shuffle = mulberry32(seed ^ 0x5bd1e995);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const halves: [Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n)];
  order.forEach((i, rank) => (halves[rank < n / 2 ? 0 : 1][i] = 1));
  return halves;
}

/** Running mean and variance of each statistic's defined values (Welford). */
class RunningVariance {
  private readonly count: Float64Array;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  constructor(size: number) {
    this.count = new Float64Array(size);
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }
  add(s: number, v: number): void {
    if (Number.isNaN(v)) return;
    const c = ++this.count[s];
    const d = v - this.mean[s];
    this.mean[s] += d / c;
    this.m2[s] += d * (v - this.mean[s]);
  }
  /** Sample variance, NaN with fewer than 2 values. */
  variance(s: number): number {
    return this.count[s] < 2 ? NaN : this.m2[s] / (this.count[s] - 1);
  }
}

/**
 * The two-level bootstrap: uncertainty over retraining (which models a population happened to get) and over test
 * examples. Resample r draws each population's models with replacement (pairs together under the paired design),
 * then n examples with replacement, all from one mulberry32(seed) stream. Each statistic is evaluated with the drawn
 * models and with every model once, on the same drawn examples: the examples-only value E and the model deviation
 * D = full - E. The resampled value is `E + scale * D`, and its interval is the percentile interval (NumPy's linear
 * quantile) of the defined values.
 *
 * `scale` corrects two biases of the naive two-level bootstrap, per statistic. (1) Models and examples are crossed
 * (every model predicts every example), so D also carries the model-by-example interaction that resampling examples
 * already counts: it is estimated as the variance of the half difference of D on two fixed seeded halves of the test
 * set (where the models' own effects cancel) and removed from D's variance. (2) The remaining, model-only part is
 * stretched by {@link modelDeviationScale} (small-population variance shrinkage and the Student t quantile). When a
 * statistic is undefined on a half, only (2) applies, which widens the interval.
 *
 * `statistics` is a function called for each of a resample's four evaluations, or a {@link TwoLevelStatistics} that
 * evaluates a resample at once (same values, less repeated work); either way the resamples are the same.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (options, or fewer than {@link MIN_TWO_LEVEL_MODELS} models, or paired
 *   populations of different sizes)
 * @example
 * const [drop] = twoLevelResample({ nExamples: 500, baselineModels: 5, compressedModels: 5, paired: false }, 1,
 *   { seed: 1 }, (w, b, k, out) => { out[0] = dropUnder(w, b, k); });
 * drop.ci; // wider than the examples-only interval whenever models disagree
 */
export function twoLevelResample(
  design: TwoLevelDesign,
  nStatistics: number,
  options: BootstrapOptions,
  statistics: TwoLevelStatistics | TwoLevelStatisticsFunction,
): BootstrapInterval[] {
  const { resamples, confidence, seed } = bootstrapSettings(options);
  const { nExamples: n, baselineModels: mb, compressedModels: mk, paired } = design;
  checkDesign(design);
  const stretch = modelDeviationScale(design, confidence);
  const evaluate = typeof statistics === 'function' ? statisticsOf(statistics, design) : statistics;
  const examples = new Float64Array(n).fill(1);
  const point = new Float64Array(nStatistics);
  evaluate.everyModel(examples, point);
  const halves = fixedHalves(n, seed);
  const halfFixed = halves.map((h) => {
    const out = new Float64Array(nStatistics);
    evaluate.everyModel(h, out);
    return out;
  });
  const examplesOnlyValues = new Float64Array(resamples * nStatistics);
  const deviations = new Float64Array(resamples * nStatistics);
  const deviationVariance = new RunningVariance(nStatistics);
  const interactionVariance = new RunningVariance(nStatistics);
  const values: TwoLevelResampleValues = {
    full: new Float64Array(nStatistics),
    examplesOnly: new Float64Array(nStatistics),
    halves: [new Float64Array(nStatistics), new Float64Array(nStatistics)],
  };
  const { full, examplesOnly } = values;
  const [half0, half1] = values.halves;
  const baseline = new Float64Array(mb);
  const compressed = new Float64Array(mk);
  const random = mulberry32(seed);
  for (let r = 0; r < resamples; r++) {
    drawModels(random, baseline, compressed, paired);
    examples.fill(0);
    for (let j = 0; j < n; j++) examples[Math.floor(random() * n)]++;
    evaluate.resample(r, examples, baseline, compressed, halves, values);
    for (let s = 0; s < nStatistics; s++) {
      const d = full[s] - examplesOnly[s];
      examplesOnlyValues[r * nStatistics + s] = examplesOnly[s];
      deviations[r * nStatistics + s] = d;
      deviationVariance.add(s, d);
      interactionVariance.add(s, (half0[s] - halfFixed[0][s] - (half1[s] - halfFixed[1][s])) / 2);
    }
  }
  // Resampling models with replacement duplicates some of them, which moves non-smooth statistics (a PIE rate from
  // modal labels of a population with repeated members) in one direction: a resampling bias, not uncertainty. The
  // model deviations are therefore centred, so they widen an interval without shifting it off its estimate.
  const meanDeviation = new Float64Array(nStatistics);
  const defined = new Float64Array(nStatistics);
  for (let r = 0; r < resamples; r++)
    for (let s = 0; s < nStatistics; s++) {
      const d = deviations[r * nStatistics + s];
      if (Number.isFinite(d)) {
        meanDeviation[s] += d;
        defined[s]++;
      }
    }
  for (let s = 0; s < nStatistics; s++) meanDeviation[s] = defined[s] > 0 ? meanDeviation[s] / defined[s] : 0;
  const scales = new Float64Array(nStatistics);
  for (let s = 0; s < nStatistics; s++) {
    const total = deviationVariance.variance(s);
    const interaction = interactionVariance.variance(s);
    scales[s] = Number.isNaN(interaction) || !(total > 0) ? stretch : stretch * Math.sqrt(Math.max(0, total - interaction) / total);
  }
  return percentileIntervals(
    point,
    resamples,
    confidence,
    (r, st) => examplesOnlyValues[r * nStatistics + st] + scales[st] * (deviations[r * nStatistics + st] - meanDeviation[st]),
  );
}

/** Multiplicities of one resample's models: pairs drawn together, or each population on its own. */
function drawModels(random: () => number, baseline: Float64Array, compressed: Float64Array, paired: boolean): void {
  baseline.fill(0);
  compressed.fill(0);
  if (paired) {
    for (let j = 0; j < baseline.length; j++) {
      const m = Math.floor(random() * baseline.length);
      baseline[m]++;
      compressed[m]++;
    }
    return;
  }
  for (let j = 0; j < baseline.length; j++) baseline[Math.floor(random() * baseline.length)]++;
  for (let j = 0; j < compressed.length; j++) compressed[Math.floor(random() * compressed.length)]++;
}

/** Each statistic's percentile interval (NumPy's linear quantile) of its defined resampled values `value(r, s)`. */
function percentileIntervals(
  point: Float64Array,
  resamples: number,
  confidence: number,
  value: (r: number, s: number) => number,
): BootstrapInterval[] {
  const low = (1 - confidence) / 2;
  const high = (1 + confidence) / 2;
  const column = new Float64Array(resamples);
  const intervals: BootstrapInterval[] = [];
  for (let s = 0; s < point.length; s++) {
    let k = 0;
    for (let r = 0; r < resamples; r++) {
      const v = value(r, s);
      if (!Number.isNaN(v)) column[k++] = v;
    }
    const sorted = Array.from(column.subarray(0, k).sort());
    const estimate = Number.isNaN(point[s]) ? null : point[s];
    const ci: [number, number] | null = k === 0 || estimate === null ? null : [quantileSorted(sorted, low), quantileSorted(sorted, high)];
    intervals.push({ estimate, ci, undefinedResamples: resamples - k });
  }
  return intervals;
}
