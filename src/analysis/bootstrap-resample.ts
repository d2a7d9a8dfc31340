import { quantileSorted } from 'simple-statistics';
import { PieAuditError } from '../errors.js';
import { mulberry32 } from '../random/mulberry32.js';

/** Options of every bootstrap interval function (the report's `bootstrap` setting). */
export interface BootstrapOptions {
  /** Resamples of the test examples (default 1000); 0 turns intervals off (`ci: null`, estimates kept). */
  resamples?: number;
  /** Coverage of the percentile interval (default 0.95). */
  confidence?: number;
  /** Seed of the resampling (default 0). The same seed and example count give the same resamples in every function. */
  seed?: number;
}

/** A point estimate with its percentile bootstrap interval. */
export interface BootstrapInterval {
  /** The estimate on the test set itself; `null` when undefined there (e.g. a class with no examples). */
  estimate: number | null;
  /** `[low, high]`: the (1 - confidence)/2 and (1 + confidence)/2 quantiles of the resampled estimates; `null` when off or undefined. */
  ci: [number, number] | null;
  /** Resamples in which the estimate was undefined (e.g. no example of the class drawn); left out of `ci`. */
  undefinedResamples: number;
}

/** The validated settings that produced a set of intervals (for the report). */
export interface BootstrapSettings {
  resamples: number;
  confidence: number;
  seed: number;
}

/**
 * Validates {@link BootstrapOptions} and fills the defaults.
 * @throws PieAuditError `INVALID_ARGUMENT` naming the option
 * @example
 * bootstrapSettings({ seed: 3 }); // { resamples: 1000, confidence: 0.95, seed: 3 }
 */
export function bootstrapSettings(options: BootstrapOptions = {}): BootstrapSettings {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 0) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `bootstrap.resamples must be a non-negative integer (0 turns intervals off); got ${String(resamples)}.`,
      { name: 'bootstrap.resamples' },
    );
  }
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `bootstrap.confidence must be a number strictly between 0 and 1 (e.g. 0.95); got ${String(confidence)}.`,
      { name: 'bootstrap.confidence' },
    );
  }
  if (!Number.isInteger(seed)) {
    throw new PieAuditError('INVALID_ARGUMENT', `bootstrap.seed must be an integer; got ${String(seed)}.`, { name: 'bootstrap.seed' });
  }
  return { resamples, confidence, seed };
}

/**
 * Fills `out[s]` with statistic s computed from per-example weights (`weights[i]` = how often example i was drawn);
 * NaN marks a statistic undefined for these weights. `resample` is the resample's index (-1 for the point
 * estimate, where every weight is 1), so work that does not change between calls can be kept per resample.
 */
export type WeightedStatistics = (weights: Float64Array, out: Float64Array, resample: number) => void;

/**
 * One family of bootstrapped estimates (e.g. the top-1 intervals): its statistics, and how its intervals become
 * the family's result. Families run together by {@link bootstrapFamilies} share every resample's weights.
 */
export interface BootstrapFamily<T> {
  nStatistics: number;
  statistics: WeightedStatistics;
  finish(intervals: BootstrapInterval[]): T;
}

/**
 * Runs several estimate families in one bootstrap pass: each resample's weights are drawn once and handed to every
 * family in turn. Because every family would draw the same resamples from the same seed and n on its own, the
 * intervals are exactly those of running each family alone.
 *
 * @returns each family's slice of the intervals, in the order given (call the family's `finish` on it)
 * @throws PieAuditError `INVALID_ARGUMENT` (options)
 * @example
 * const [a, b] = bootstrapFamilies(n, { seed: 1 }, [top1, pieRate]);
 * top1.finish(a).drop.ci;
 */
export function bootstrapFamilies(
  nExamples: number,
  options: BootstrapOptions,
  families: readonly Pick<BootstrapFamily<unknown>, 'nStatistics' | 'statistics'>[],
): BootstrapInterval[][] {
  const offsets: number[] = [];
  let total = 0;
  for (const f of families) {
    offsets.push(total);
    total += f.nStatistics;
  }
  let views: Float64Array[] = [];
  let viewsOf: Float64Array | null = null;
  const intervals = bootstrapResample(nExamples, total, options, (w, out, r) => {
    if (viewsOf !== out) {
      viewsOf = out;
      views = families.map((f, j) => out.subarray(offsets[j], offsets[j] + f.nStatistics));
    }
    for (let j = 0; j < families.length; j++) families[j].statistics(w, views[j], r);
  });
  return families.map((f, j) => intervals.slice(offsets[j], offsets[j] + f.nStatistics));
}

/**
 * Runs one estimate family on its own.
 * @example
 * runBootstrapFamily(n, { seed: 1 }, pieRateFamily(isPIE)).ci;
 */
export function runBootstrapFamily<T>(nExamples: number, options: BootstrapOptions, family: BootstrapFamily<T>): T {
  return family.finish(bootstrapResample(nExamples, family.nStatistics, options, family.statistics));
}

/**
 * The shared engine of the bootstrap interval functions: a nonparametric bootstrap over test examples. Resample r
 * draws n example indices with replacement, `floor(u * n)` for the next n numbers u of one mulberry32(seed)
 * stream, and passes their counts as weights to `statistics`; the point estimates use weight 1 everywhere. Each
 * statistic's interval is the percentile interval (NumPy's default linear quantile) of its defined resampled values.
 * Every function that uses the same seed and n sees the same resamples, so baseline and compressed estimates are
 * resampled together (paired over examples), and so are the estimates of different functions.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (options)
 * @example
 * const share = Float64Array.of(1, 0.5, 0, 1);
 * const [mean] = bootstrapResample(4, 1, { seed: 1 }, (w, out) => {
 *   let s = 0, n = 0;
 *   for (let i = 0; i < 4; i++) { s += w[i] * share[i]; n += w[i]; }
 *   out[0] = s / n;
 * });
 * mean.estimate; // 0.625
 */
export function bootstrapResample(
  nExamples: number,
  nStatistics: number,
  options: BootstrapOptions,
  statistics: WeightedStatistics,
): BootstrapInterval[] {
  const { resamples, confidence, seed } = bootstrapSettings(options);
  const weights = new Float64Array(nExamples).fill(1);
  const point = new Float64Array(nStatistics);
  statistics(weights, point, -1);
  const values = new Float64Array(resamples * nStatistics);
  const out = new Float64Array(nStatistics);
  const random = mulberry32(seed);
  for (let r = 0; r < resamples; r++) {
    weights.fill(0);
    for (let j = 0; j < nExamples; j++) weights[Math.floor(random() * nExamples)]++;
    statistics(weights, out, r);
    values.set(out, r * nStatistics);
  }
  const low = (1 - confidence) / 2;
  const high = (1 + confidence) / 2;
  const intervals: BootstrapInterval[] = [];
  const column = new Float64Array(resamples);
  for (let s = 0; s < nStatistics; s++) {
    let k = 0;
    for (let r = 0; r < resamples; r++) {
      const v = values[r * nStatistics + s];
      if (!Number.isNaN(v)) column[k++] = v;
    }
    const sorted = Array.from(column.subarray(0, k).sort());
    const estimate = Number.isNaN(point[s]) ? null : point[s];
    const ci: [number, number] | null = k === 0 || estimate === null ? null : [quantileSorted(sorted, low), quantileSorted(sorted, high)];
    intervals.push({ estimate, ci, undefinedResamples: resamples - k });
  }
  return intervals;
}
