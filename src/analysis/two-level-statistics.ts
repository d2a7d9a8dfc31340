import type { ModalTieBreak } from './modal-labels.js';
import { groupIndex, type GroupIndex, type GroupValue } from './subgroup-error-rates.js';
import type { TwoLevelResampleValues, TwoLevelStatistics } from './two-level-bootstrap.js';
import { CLASSES_AT, CORRECT_AT, LevelSums, NEG, PIE, POS, WIDTH, type BaselineMemo } from './two-level-sums.js';

/** Per group: 5 FPR statistics then 5 FNR statistics. */
export const RATE_STATS = 10;

/** What {@link levelStatistics} reads of the two populations (the fields of `TwoLevelIntervalsInput`). */
export interface LevelStatisticsInput {
  labels: ArrayLike<number> | null;
  nClasses: number;
  baseline: readonly Uint16Array[];
  compressed: readonly Uint16Array[];
  tieBreak: ModalTieBreak;
  attributes: Array<{ name: string; values: ArrayLike<GroupValue | null> }>;
  positiveClass: number | null;
}

/** Where each statistic sits in the resampled vector: top-1 (3), classes (4 each), PIE rate, over-index, rates. */
export interface StatisticsLayout {
  classes: number;
  positive: number | null;
  indices: GroupIndex[];
  pieAt: number;
  overOffset: number[];
  rateOffset: number[];
  size: number;
}

/**
 * The statistics' layout of a level's two-level bootstrap.
 * @example
 * statisticsLayout({ labels, nClasses: 2, baseline, compressed, tieBreak: 'max', attributes: [], positiveClass: null }).size; // 12
 */
export function statisticsLayout(input: LevelStatisticsInput): StatisticsLayout {
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

/**
 * A level's statistics for {@link twoLevelResample}: the estimates, and each resample's four evaluations from shared
 * sums ({@link LevelSums}). The sums with every model once are summed once per resample; the drawn models only change
 * the examples where some models disagree, so their difference from every model once is summed over those alone.
 * With `memo`, the baseline's sums of each resample are kept for the audit's next levels, which draw the same.
 * @example
 * const layout = statisticsLayout(input);
 * twoLevelResample(design, layout.size, { seed: 0 }, levelStatistics(input, layout));
 */
export function levelStatistics(input: LevelStatisticsInput, layout: StatisticsLayout, memo?: BaselineMemo): TwoLevelStatistics {
  const sums = new LevelSums({ ...input, classes: layout.classes, indices: layout.indices, positive: layout.positive });
  const { size } = sums;
  const mb = input.baseline.length;
  const mk = input.compressed.length;
  const groupsAt = CLASSES_AT + 3 * layout.classes;
  const fromSums = (vector: Float64Array, out: Float64Array) => {
    sums.complete(vector);
    statisticsFromSums(vector, layout, sums.groupOffset, groupsAt, mb, mk, out);
  };
  const vector = () => new Float64Array(size);
  const level = [vector(), vector(), vector(), vector()];
  const baselineScratch = new Float64Array(4 * size);
  const total = vector();
  const fixedHalf = [vector(), vector()];
  let fixedFor: Float64Array | null = null;
  const everyModel = (w: Float64Array, target: Float64Array) => {
    sums.baselineExamples(w, target);
    sums.levelExamples(w, target);
  };
  return {
    everyModel: (w, out) => {
      total.fill(0);
      everyModel(w, total);
      fromSums(total, out);
    },
    resample: (r, w, wb, wk, halves, out: TwoLevelResampleValues) => {
      if (fixedFor !== halves[0]) {
        fixedHalf.forEach((target, h) => everyModel(halves[h], target.fill(0)));
        fixedFor = halves[0];
      }
      // Per resample: the baseline's sums with every model once, its drawn models' differences, then per half.
      const fillBaseline = (target: Float64Array) => {
        sums.baselineExamples(w, target.subarray(0, size));
        sums.baselineDifferences(w, wb, target.subarray(size, 2 * size));
        sums.baselineHalfDifferences(wb, halves, [target.subarray(2 * size, 3 * size), target.subarray(3 * size)]);
      };
      let base: Float64Array = baselineScratch;
      if (memo) base = memo.memo.sums(memo.key, r, 4 * size, fillBaseline);
      else fillBaseline(baselineScratch.fill(0));
      for (const v of level) v.fill(0);
      sums.levelExamples(w, level[0]);
      sums.levelDifferences(w, wb, wk, halves, level[1], [level[2], level[3]]);
      sums.levelHalfDifferences(wk, halves, [level[2], level[3]]);
      for (let s = 0; s < size; s++) total[s] = base[s] + level[0][s];
      fromSums(total, out.examplesOnly);
      for (let s = 0; s < size; s++) total[s] = base[s] + level[0][s] + base[size + s] + level[1][s];
      fromSums(total, out.full);
      for (const h of [0, 1]) {
        const at = (2 + h) * size;
        for (let s = 0; s < size; s++) total[s] = fixedHalf[h][s] + base[at + s] + level[2 + h][s];
        fromSums(total, out.halves[h]);
      }
    },
  };
}

/** Every statistic from one set of sums (see the layout above); model counts are divided by the population sizes. */
function statisticsFromSums(
  sums: Float64Array,
  layout: StatisticsLayout,
  groupOffset: Int32Array,
  groupsAt: number,
  mb: number,
  mk: number,
  out: Float64Array,
): void {
  const total = sums[NEG] + sums[POS];
  out[layout.pieAt] = sums[PIE] / total;
  if (layout.pieAt > 0) {
    const b = sums[CORRECT_AT] / mb;
    const k = sums[CORRECT_AT + 1] / mk;
    out[0] = b / total;
    out[1] = k / total;
    out[2] = (b - k) / total;
    const top1Change = (k - b) / total;
    for (let c = 0; c < layout.classes; c++) {
      // 0 / 0 is NaN: the class was not drawn, so its recall is undefined in this resample.
      const at = CLASSES_AT + 3 * c;
      const recallB = sums[at + 1] / mb / sums[at];
      const recallK = sums[at + 2] / mk / sums[at];
      out[3 + 4 * c] = recallB;
      out[3 + 4 * c + 1] = recallK;
      out[3 + 4 * c + 2] = recallK - recallB;
      out[3 + 4 * c + 3] = recallK - recallB - top1Change;
    }
  }
  layout.indices.forEach((index, a) => {
    const k = index.values.length;
    const first = groupsAt + groupOffset[a];
    let recorded = 0;
    let pies = 0;
    for (let g = 0; g < k; g++) {
      recorded += sums[first + g * WIDTH + NEG] + sums[first + g * WIDTH + POS];
      pies += sums[first + g * WIDTH + PIE];
    }
    for (let g = 0; g < k; g++) {
      const cell = first + g * WIDTH;
      const overall = sums[cell + NEG] + sums[cell + POS];
      out[layout.overOffset[a] + g] = pies === 0 ? NaN : (sums[cell + PIE] * recorded) / (pies * overall);
    }
    if (layout.positive === null) return;
    for (let g = 0; g < k; g++) {
      for (let r = 0; r < 2; r++) {
        const side = r === 0 ? NEG : POS;
        const cell = first + g * WIDTH + side;
        const count = sums[cell];
        const rb = sums[cell + 1] / mb / count;
        const rk = sums[cell + 2] / mk / count;
        const restCount = sums[side] - count;
        const restChange = ((sums[side + 2] - sums[cell + 2]) / mk - (sums[side + 1] - sums[cell + 1]) / mb) / restCount;
        const o = layout.rateOffset[a] + g * RATE_STATS + 5 * r;
        out[o] = rb;
        out[o + 1] = rk;
        out[o + 2] = rk - rb;
        out[o + 3] = restChange;
        out[o + 4] = rk - rb - restChange;
      }
    }
  });
}
