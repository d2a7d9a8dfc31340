import type { ClassRecallIntervals } from './bootstrap-class-recall-intervals.js';
import type { GroupErrorRateIntervals, RateIntervals } from './bootstrap-error-rate-intervals.js';
import type { OverIndexInterval } from './bootstrap-over-index-intervals.js';
import type { BootstrapInterval, BootstrapOptions } from './bootstrap-resample.js';
import type { Top1Intervals } from './bootstrap-top1-intervals.js';
import type { ModalTieBreak } from './modal-labels.js';
import { groupIndex, type GroupIndex, type GroupValue } from './subgroup-error-rates.js';
import { twoLevelResample } from './two-level-bootstrap.js';

/** Inputs of {@link twoLevelIntervals}: both populations' predictions and what the estimates need. */
export interface TwoLevelIntervalsInput {
  /** True class per example, `null` without labels (then only the PIE rate and over-index ratios). */
  labels: ArrayLike<number> | null;
  nClasses: number;
  /** One predicted label per example per model. */
  baseline: readonly Uint16Array[];
  compressed: readonly Uint16Array[];
  /** Compressed model i was made from baseline model i: resample pairs (see {@link TwoLevelDesign}). */
  paired: boolean;
  tieBreak: ModalTieBreak;
  /** Group attributes (`null` = not recorded) for over-index ratios and FPR/FNR. */
  attributes: Array<{ name: string; values: ArrayLike<GroupValue | null> }>;
  /** Positive class of FPR/FNR; `null` leaves them out. */
  positiveClass: number | null;
}

/** Every interval of one compressed level, over models and examples. */
export interface TwoLevelIntervals {
  top1: Top1Intervals | null;
  pieRate: BootstrapInterval;
  classes: ClassRecallIntervals[] | null;
  overIndex: OverIndexInterval[];
  /** FPR/FNR rows per attribute (empty without a positive class). */
  errorRates: Array<{ attribute: string; rows: GroupErrorRateIntervals[] }>;
}

/** Per group and rest: negatives, baseline FP, compressed FP, positives, baseline FN, compressed FN. */
const CELLS = 6;
/** Per group: 5 FPR statistics then 5 FNR statistics. */
const RATE_STATS = 10;

/**
 * Weighted modal label of each example into `out`, in one pass over the models: counts only grow, so the leader
 * (with the tie rule) can only change to the label just counted. `stamp[label] === i + 1` marks the count of label as
 * belonging to example i, so nothing is reset between examples.
 */
function weightedModal(
  predictions: readonly Uint16Array[],
  weights: Float64Array,
  tieBreak: ModalTieBreak,
  counts: Float64Array,
  stamp: Int32Array,
  out: Int32Array,
): void {
  const preferMax = tieBreak === 'max';
  for (let i = 0; i < out.length; i++) {
    let best = -1;
    let bestCount = 0;
    for (let m = 0; m < predictions.length; m++) {
      const w = weights[m];
      if (w === 0) continue;
      const label = predictions[m][i];
      const c = stamp[label] === i + 1 ? counts[label] + w : w;
      counts[label] = c;
      stamp[label] = i + 1;
      if (c > bestCount || (c === bestCount && (preferMax ? label > best : label < best))) {
        best = label;
        bestCount = c;
      }
    }
    out[i] = best;
  }
}

/** Per example, the weighted share of models whose indicator is 1. */
function weightedShare(indicators: readonly Uint8Array[], weights: Float64Array, out: Float64Array): void {
  out.fill(0);
  let total = 0;
  for (let m = 0; m < indicators.length; m++) {
    const w = weights[m];
    if (w === 0) continue;
    total += w;
    const flags = indicators[m];
    for (let i = 0; i < out.length; i++) out[i] += w * flags[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= total;
}

/** Per model, 1 where its prediction passes `hit`. */
const indicatorsOf = (predictions: readonly Uint16Array[], hit: (label: number, i: number) => boolean): Uint8Array[] =>
  predictions.map((p) => Uint8Array.from(p, (label, i) => (hit(label, i) ? 1 : 0)));

const allOnes = (w: Float64Array) => w.every((v) => v === 1);
const sameWeights = (a: Float64Array, b: Float64Array) => a.every((v, i) => v === b[i]);

/** What one set of model weights gives, kept while the weights stay the same (a resample evaluates several example weights). */
interface ModelCache {
  ready: boolean;
  baselineWeights: Float64Array;
  compressedWeights: Float64Array;
  modalB: Int32Array;
  modalK: Int32Array;
  flags: Uint8Array;
  /** Per example: share of models correct, and share predicting the positive class, per population. */
  sb: Float64Array;
  sk: Float64Array;
  pb: Float64Array;
  pk: Float64Array;
}

function modelCache(n: number): ModelCache {
  return {
    ready: false,
    baselineWeights: new Float64Array(0),
    compressedWeights: new Float64Array(0),
    modalB: new Int32Array(n),
    modalK: new Int32Array(n),
    flags: new Uint8Array(n),
    sb: new Float64Array(n),
    sk: new Float64Array(n),
    pb: new Float64Array(n),
    pk: new Float64Array(n),
  };
}

/**
 * Every interval the audit reports for one compressed level (mean top-1 and its drop, each class's recall change,
 * the PIE rate, each attribute value's over-index ratio, each group's FPR/FNR change and gap), from the two-level
 * bootstrap {@link twoLevelResample}: models resampled within each population, then examples. The estimates are
 * those of the examples-only functions (e.g. {@link bootstrapTop1Intervals}); only the intervals differ: they cover
 * what retraining the populations would give, not only another draw of test examples. PIE flags are recomputed
 * from the resampled populations' modal labels.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (fewer than 3 models per population, options)
 * @example
 * const intervals = twoLevelIntervals({ labels, nClasses: 10, baseline, compressed, paired: true, tieBreak: 'max',
 *   attributes: [], positiveClass: null }, { seed: 0 });
 * intervals.top1?.drop.ci; // e.g. [0.004, 0.031]: wider than the examples-only interval
 */
export function twoLevelIntervals(input: TwoLevelIntervalsInput, options: BootstrapOptions): TwoLevelIntervals {
  const { labels, baseline, compressed } = input;
  const n = baseline[0].length;
  const layout = statisticsLayout(input);
  const { indices, positive } = layout;
  const drawn = modelCache(n);
  const everyModel = modelCache(n);
  const fill = cacheFiller(input, positive);
  const maxGroups = Math.max(0, ...indices.map((x) => x.values.length));
  const classSums = new Float64Array(3 * layout.classes);
  const cells = new Float64Array(CELLS * (maxGroups + 1));
  const overall = new Float64Array(maxGroups);
  const among = new Float64Array(maxGroups);
  const intervals = twoLevelResample(
    { nExamples: n, baselineModels: baseline.length, compressedModels: compressed.length, paired: input.paired },
    layout.size,
    options,
    (w, wb, wk, out) => {
      const cache = allOnes(wb) && allOnes(wk) ? everyModel : drawn;
      if (!cache.ready || !sameWeights(cache.baselineWeights, wb) || !sameWeights(cache.compressedWeights, wk)) fill(cache, wb, wk);
      let total = 0;
      let pies = 0;
      for (let i = 0; i < n; i++) {
        total += w[i];
        pies += w[i] * cache.flags[i];
      }
      out[layout.pieAt] = pies / total;
      if (labels) accuracyStatistics(labels, layout.classes, w, cache.sb, cache.sk, classSums, out);
      indices.forEach((index, a) => overIndexStatistics(index, w, cache.flags, overall, among, out, layout.overOffset[a]));
      if (positive !== null && labels) {
        indices.forEach((index, a) => rateStatisticsOf(index, labels, positive, w, cache.pb, cache.pk, cells, out, layout.rateOffset[a]));
      }
    },
  );
  return assemble(input, layout, intervals);
}

/** Where each statistic sits in the resampled vector: top-1 (3), classes (4 each), PIE rate, over-index, rates. */
interface StatisticsLayout {
  classes: number;
  positive: number | null;
  indices: GroupIndex[];
  pieAt: number;
  overOffset: number[];
  rateOffset: number[];
  size: number;
}

function statisticsLayout(input: TwoLevelIntervalsInput): StatisticsLayout {
  const { labels } = input;
  const classes = labels ? input.nClasses : 0;
  const positive = labels && input.positiveClass !== null ? input.positiveClass : null;
  const indices = input.attributes.map((a) => groupIndex(a.values, `attributes.${a.name}`));
  const overOffset: number[] = [];
  const rateOffset: number[] = [];
  let next = labels ? 3 + 4 * classes + 1 : 1;
  for (const index of indices) {
    overOffset.push(next);
    next += index.values.length;
  }
  for (const index of indices) {
    rateOffset.push(next);
    if (positive !== null) next += RATE_STATS * index.values.length;
  }
  return { classes, positive, indices, pieAt: labels ? 3 + 4 * classes : 0, overOffset, rateOffset, size: next };
}

/** Fills a cache with what depends on the models only: modal labels, PIE flags, per-example shares. */
function cacheFiller(input: TwoLevelIntervalsInput, positive: number | null) {
  const { labels, baseline, compressed, tieBreak } = input;
  const counts = new Float64Array(Math.max(input.nClasses, 1));
  const stamp = new Int32Array(counts.length);
  const correct = (label: number, i: number) => label === labels![i];
  const predictsPositive = (label: number) => label === positive;
  const correctB = labels ? indicatorsOf(baseline, correct) : [];
  const correctK = labels ? indicatorsOf(compressed, correct) : [];
  const positiveB = positive !== null ? indicatorsOf(baseline, predictsPositive) : [];
  const positiveK = positive !== null ? indicatorsOf(compressed, predictsPositive) : [];
  return (cache: ModelCache, wb: Float64Array, wk: Float64Array) => {
    cache.baselineWeights = Float64Array.from(wb);
    cache.compressedWeights = Float64Array.from(wk);
    // A fresh stamp per call: stamps of the previous call would look current for the same example.
    stamp.fill(0);
    weightedModal(baseline, wb, tieBreak, counts, stamp, cache.modalB);
    stamp.fill(0);
    weightedModal(compressed, wk, tieBreak, counts, stamp, cache.modalK);
    for (let i = 0; i < cache.flags.length; i++) cache.flags[i] = cache.modalB[i] !== cache.modalK[i] ? 1 : 0;
    if (labels) {
      weightedShare(correctB, wb, cache.sb);
      weightedShare(correctK, wk, cache.sk);
    }
    if (positive !== null) {
      weightedShare(positiveB, wb, cache.pb);
      weightedShare(positiveK, wk, cache.pk);
    }
    cache.ready = true;
  };
}

/** Mean top-1 of both populations and the drop (slots 0-2), then each class's recalls and changes (4 per class). */
function accuracyStatistics(
  labels: ArrayLike<number>,
  nClasses: number,
  w: Float64Array,
  sb: Float64Array,
  sk: Float64Array,
  classSums: Float64Array,
  out: Float64Array,
): void {
  classSums.fill(0);
  let total = 0;
  let b = 0;
  let k = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const c = 3 * labels[i];
    classSums[c] += wi;
    classSums[c + 1] += wi * sb[i];
    classSums[c + 2] += wi * sk[i];
    total += wi;
    b += wi * sb[i];
    k += wi * sk[i];
  }
  out[0] = b / total;
  out[1] = k / total;
  out[2] = (b - k) / total;
  const top1Change = (k - b) / total;
  for (let c = 0; c < nClasses; c++) {
    // 0 / 0 is NaN: the class was not drawn, so its recall is undefined in this resample.
    const nc = classSums[3 * c];
    const recallB = classSums[3 * c + 1] / nc;
    const recallK = classSums[3 * c + 2] / nc;
    out[3 + 4 * c] = recallB;
    out[3 + 4 * c + 1] = recallK;
    out[3 + 4 * c + 2] = recallK - recallB;
    out[3 + 4 * c + 3] = recallK - recallB - top1Change;
  }
}

/** The intervals in the result's shape. */
function assemble(input: TwoLevelIntervalsInput, layout: StatisticsLayout, intervals: BootstrapInterval[]): TwoLevelIntervals {
  const { labels } = input;
  const n = input.baseline[0].length;
  // The stretched model part can carry an endpoint past what the statistic can take (a rate below 0): clip to its
  // range, by slot: rates and recalls [0, 1], changes and gaps [-1, 1], over-index ratios [0, inf).
  const range = (s: number): [number, number] => {
    if (s < layout.pieAt) return s === 2 || (s >= 3 && (s - 3) % 4 >= 2) ? [-1, 1] : [0, 1];
    if (s === layout.pieAt) return [0, 1];
    if (layout.rateOffset.length > 0 && s >= layout.rateOffset[0]) return (s - layout.rateOffset[0]) % 5 < 2 ? [0, 1] : [-1, 1];
    return [0, Infinity];
  };
  const at = (s: number): BootstrapInterval => {
    const ci = intervals[s].ci;
    if (!ci) return intervals[s];
    const [low, high] = range(s);
    return { ...intervals[s], ci: [Math.min(Math.max(ci[0], low), high), Math.min(Math.max(ci[1], low), high)] };
  };
  const classes: ClassRecallIntervals[] | null = labels
    ? Array.from({ length: layout.classes }, (_, c) => {
        let support = 0;
        for (let i = 0; i < n; i++) if (labels[i] === c) support++;
        return {
          classIndex: c,
          support,
          baselineRecall: at(3 + 4 * c),
          compressedRecall: at(3 + 4 * c + 1),
          rawChange: at(3 + 4 * c + 2),
          normalizedChange: at(3 + 4 * c + 3),
        };
      })
    : null;
  const overIndex: OverIndexInterval[] = [];
  const errorRates: TwoLevelIntervals['errorRates'] = [];
  layout.indices.forEach((index, a) => {
    const attribute = input.attributes[a].name;
    index.values.forEach((value, g) => overIndex.push({ attribute, value, overIndexRatio: at(layout.overOffset[a] + g) }));
    if (layout.positive === null) return;
    const rows = index.values.map((group, g): GroupErrorRateIntervals => {
      const o = layout.rateOffset[a] + g * RATE_STATS;
      const rate = (r: number): RateIntervals => ({
        baseline: at(o + r),
        compressed: at(o + r + 1),
        change: at(o + r + 2),
        restChange: at(o + r + 3),
        gap: at(o + r + 4),
      });
      let size = 0;
      for (let i = 0; i < n; i++) if (index.codes[i] === g) size++;
      return { group, n: size, fpr: rate(0), fnr: rate(5) };
    });
    errorRates.push({ attribute, rows });
  });
  return {
    top1: labels ? { baseline: at(0), compressed: at(1), drop: at(2) } : null,
    pieRate: at(layout.pieAt),
    classes,
    overIndex,
    errorRates,
  };
}

/** Over-index ratios of one attribute's values, as {@link bootstrapOverIndexIntervals} computes them. */
function overIndexStatistics(
  index: GroupIndex,
  w: Float64Array,
  flags: Uint8Array,
  overall: Float64Array,
  among: Float64Array,
  out: Float64Array,
  at: number,
): void {
  overall.fill(0);
  among.fill(0);
  let recorded = 0;
  let pies = 0;
  for (let i = 0; i < w.length; i++) {
    const g = index.codes[i];
    if (g < 0) continue;
    const wi = w[i];
    recorded += wi;
    overall[g] += wi;
    if (flags[i]) {
      pies += wi;
      among[g] += wi;
    }
  }
  for (let g = 0; g < index.values.length; g++) out[at + g] = pies === 0 ? NaN : (among[g] * recorded) / (pies * overall[g]);
}

/** FPR/FNR statistics of one attribute's groups, as {@link bootstrapErrorRateIntervals} computes them. */
function rateStatisticsOf(
  index: GroupIndex,
  labels: ArrayLike<number>,
  positiveClass: number,
  w: Float64Array,
  sb: Float64Array,
  sk: Float64Array,
  cells: Float64Array,
  out: Float64Array,
  at: number,
): void {
  const k = index.values.length;
  cells.fill(0);
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const isPositive = labels[i] === positiveClass;
    const slot = isPositive ? 3 : 0;
    const b = isPositive ? wi * (1 - sb[i]) : wi * sb[i];
    const c = isPositive ? wi * (1 - sk[i]) : wi * sk[i];
    const all = k * CELLS + slot;
    cells[all] += wi;
    cells[all + 1] += b;
    cells[all + 2] += c;
    const g = index.codes[i];
    if (g >= 0) {
      const own = g * CELLS + slot;
      cells[own] += wi;
      cells[own + 1] += b;
      cells[own + 2] += c;
    }
  }
  for (let g = 0; g < k; g++) {
    for (let r = 0; r < 2; r++) {
      const slot = 3 * r;
      const gBase = g * CELLS + slot;
      const aBase = k * CELLS + slot;
      const count = cells[gBase];
      const rb = cells[gBase + 1] / count;
      const rk = cells[gBase + 2] / count;
      const restCount = cells[aBase] - count;
      const restChange = (cells[aBase + 2] - cells[gBase + 2] - (cells[aBase + 1] - cells[gBase + 1])) / restCount;
      const o = at + g * RATE_STATS + 5 * r;
      out[o] = rb;
      out[o + 1] = rk;
      out[o + 2] = rk - rb;
      out[o + 3] = restChange;
      out[o + 4] = rk - rb - restChange;
    }
  }
}
