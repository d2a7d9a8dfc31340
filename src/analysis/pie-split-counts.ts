import { PieAuditError } from '../errors.js';
import { throwBadLabel } from './validate-labels.js';
import type { ModalTieBreak } from './modal-labels.js';
import type { PermutationSplits } from './permutation-splits.js';

/** Examples per block: a block's labels and counts stay in cache while every split passes over them. */
const BLOCK = 512;

/** What {@link pieSplitCounts} needs to know beyond the models and splits. */
export interface PieSplitCountsOptions {
  /** Number of classes; every label must lie in `[0, nClasses)`. */
  nClasses: number;
  /** Tie rule of both sides' modal labels (as {@link modalLabels}). */
  tieBreak: ModalTieBreak;
}

/** Result of {@link pieSplitCounts}. */
export interface PieSplitCounts {
  /** `counts[s]`: PIEs between the modal labels of the two sides of split s (split 0 is the observed one). */
  counts: Int32Array;
  /** Examples that can be a PIE in some split; the rest have a majority no split can overturn and were skipped. */
  nContested: number;
}

/**
 * The PIE count of every split of a permutation test: for split s, the number of examples whose modal label over
 * side A differs from that over side B (every pooled model not on side A), with the same tie rule and class
 * count on both sides. Only side A is counted per split; side B's counts are the pooled counts minus side A's.
 * Examples whose pooled majority is out of reach (top count minus the larger side's size still beats the runner-up)
 * never differ and are skipped, which is exact.
 *
 * @param pooled - every pooled model's labels (`pooled[m][i]`), in the order {@link permutationSplits} numbers them
 * @throws PieAuditError `LABEL_OUT_OF_RANGE`, `NON_FINITE` (a label that is not an integer in `[0, nClasses)`)
 * @example
 * const splits = permutationSplits('independent', 2, 2);
 * pieSplitCounts([[0, 1], [0, 1], [0, 2], [0, 2]], splits, { nClasses: 3, tieBreak: 'max' }).counts[0]; // 1
 */
export function pieSplitCounts(
  pooled: readonly ArrayLike<number>[],
  splits: PermutationSplits,
  options: PieSplitCountsOptions,
): PieSplitCounts {
  const { nClasses } = options;
  const total = pooled.length;
  const a = splits.sideSize;
  if (a < 1 || a >= total) {
    throw new PieAuditError('INVALID_ARGUMENT', `splits.sideSize is ${a}; it must lie in [1, ${total - 1}] for ${total} pooled models.`, {
      name: 'splits',
    });
  }
  const contested = contestedExamples(pooled, nClasses, Math.max(a, total - a));
  const nContested = contested.length;
  const lab =
    nClasses <= 65536 ? new Uint16Array(Math.min(BLOCK, nContested) * total) : new Int32Array(Math.min(BLOCK, nContested) * total);
  // Scan the class counters when that is cheaper than revisiting the pooled labels.
  const scan = nClasses <= 2 * a + total;
  const pooledCounts = new Int32Array(Math.min(BLOCK, nContested) * (scan ? nClasses : total));
  const side = new Int32Array(nClasses);
  const counts = new Int32Array(splits.nSplits);
  const preferMax = options.tieBreak === 'max';
  for (let start = 0; start < nContested; start += BLOCK) {
    const end = Math.min(nContested, start + BLOCK);
    fillBlock(pooled, contested, start, end, lab, pooledCounts, scan, nClasses);
    for (let s = 0; s < splits.nSplits; s++) {
      const sideA = splits.sides.subarray(s * a, s * a + a);
      counts[s] += scan
        ? differencesByScan(lab, pooledCounts, sideA, side, end - start, total, nClasses, preferMax)
        : differencesByLabels(lab, pooledCounts, sideA, side, end - start, total, preferMax);
    }
  }
  return { counts, nContested };
}

/** Indices of the examples whose modal labels could differ in some split (validates every label on the way). */
function contestedExamples(pooled: readonly ArrayLike<number>[], nClasses: number, largerSide: number): Int32Array {
  const n = pooled[0].length;
  const total = pooled.length;
  const counts = new Int32Array(nClasses);
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < total; m++) {
      const v = pooled[m][i];
      if (v >>> 0 !== v || v >= nClasses) throwBadLabel(v, i, nClasses, `pooled model ${m}`);
      counts[v]++;
    }
    let top = 0;
    let second = 0;
    for (let m = 0; m < total; m++) {
      const v = pooled[m][i];
      const c = counts[v];
      if (c === 0) continue;
      counts[v] = 0;
      if (c > top) {
        second = top;
        top = c;
      } else if (c > second) second = c;
    }
    // Side A holds at least top - (other side's size) of the leader and at most `second` of any other class.
    if (top - largerSide <= second) out[k++] = i;
  }
  return out.slice(0, k);
}

function fillBlock(
  pooled: readonly ArrayLike<number>[],
  contested: Int32Array,
  start: number,
  end: number,
  lab: Uint16Array | Int32Array,
  pooledCounts: Int32Array,
  scan: boolean,
  nClasses: number,
): void {
  const total = pooled.length;
  pooledCounts.fill(0);
  for (let j = 0; j < end - start; j++) {
    const i = contested[start + j];
    for (let m = 0; m < total; m++) lab[j * total + m] = pooled[m][i];
    if (scan) {
      for (let m = 0; m < total; m++) pooledCounts[j * nClasses + lab[j * total + m]]++;
    } else {
      // Per (example, model): how many pooled models share that model's label.
      const scratch = pooledCounts.subarray(j * total, j * total + total);
      for (let m = 0; m < total; m++) {
        let c = 0;
        const v = lab[j * total + m];
        for (let q = 0; q < total; q++) if (lab[j * total + q] === v) c++;
        scratch[m] = c;
      }
    }
  }
}

function differencesByScan(
  lab: Uint16Array | Int32Array,
  pooledCounts: Int32Array,
  sideA: Int32Array,
  side: Int32Array,
  nBlock: number,
  total: number,
  nClasses: number,
  preferMax: boolean,
): number {
  const a = sideA.length;
  let differ = 0;
  for (let j = 0, base = 0, pb = 0; j < nBlock; j++, base += total, pb += nClasses) {
    for (let q = 0; q < a; q++) side[lab[base + sideA[q]]]++;
    let bestA = -1;
    let labelA = 0;
    let bestB = -1;
    let labelB = 0;
    // Classes in increasing order: '>=' keeps the largest tied class, '>' the smallest (two loops keep the test out).
    if (preferMax) {
      for (let c = 0; c < nClasses; c++) {
        const na = side[c];
        const nb = pooledCounts[pb + c] - na;
        side[c] = 0;
        if (na >= bestA) {
          bestA = na;
          labelA = c;
        }
        if (nb >= bestB) {
          bestB = nb;
          labelB = c;
        }
      }
    } else {
      for (let c = 0; c < nClasses; c++) {
        const na = side[c];
        const nb = pooledCounts[pb + c] - na;
        side[c] = 0;
        if (na > bestA) {
          bestA = na;
          labelA = c;
        }
        if (nb > bestB) {
          bestB = nb;
          labelB = c;
        }
      }
    }
    if (labelA !== labelB) differ++;
  }
  return differ;
}

function differencesByLabels(
  lab: Uint16Array | Int32Array,
  pooledOf: Int32Array,
  sideA: Int32Array,
  side: Int32Array,
  nBlock: number,
  total: number,
  preferMax: boolean,
): number {
  const a = sideA.length;
  let differ = 0;
  for (let j = 0, base = 0; j < nBlock; j++, base += total) {
    for (let q = 0; q < a; q++) side[lab[base + sideA[q]]]++;
    let bestA = 0;
    let labelA = -1;
    for (let q = 0; q < a; q++) {
      const v = lab[base + sideA[q]];
      const n = side[v];
      if (n > bestA || (n === bestA && (preferMax ? v > labelA : v < labelA))) {
        bestA = n;
        labelA = v;
      }
    }
    // Side B's count of a label is the pooled count minus side A's; labels only on side A count 0 and never win.
    let bestB = 0;
    let labelB = -1;
    for (let m = 0; m < total; m++) {
      const v = lab[base + m];
      const n = pooledOf[base + m] - side[v];
      if (n > bestB || (n === bestB && n > 0 && (preferMax ? v > labelB : v < labelB))) {
        bestB = n;
        labelB = v;
      }
    }
    for (let q = 0; q < a; q++) side[lab[base + sideA[q]]] = 0;
    if (labelA !== labelB) differ++;
  }
  return differ;
}
