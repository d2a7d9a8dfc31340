import { PieAuditError } from '../errors.js';
import { throwBadLabel } from './validate-labels.js';
import type { ModalTieBreak } from './modal-labels.js';
import type { PermutationSplits } from './permutation-splits.js';

/** Examples per block: a block's labels and counts stay in cache while every split passes over them. */
const BLOCK = 512;
/** Local ranks are stored as Uint16; dense per-class counters bound the class count. */
const MAX_POOLED = 65535;
const MAX_CLASSES = 1 << 24;

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
 * never differ and are skipped, which is exact. Each contested example's labels are renumbered to ranks among its
 * distinct pooled labels, so a split costs O(side size + distinct labels) per contested example.
 *
 * @param pooled - every pooled model's labels (`pooled[m][i]`), in the order {@link permutationSplits} numbers them
 * @throws PieAuditError `LABEL_OUT_OF_RANGE`, `NON_FINITE` (a label that is not an integer in `[0, nClasses)`),
 *   `INVALID_ARGUMENT` (a side size outside the pool, more than 65,535 pooled models or 2^24 classes)
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
  if (total > MAX_POOLED || nClasses > MAX_CLASSES) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `The noise floor supports at most ${MAX_POOLED} pooled models and ${MAX_CLASSES} classes; got ${total} and ${nClasses}.`,
      { name: 'pooled', total, nClasses },
    );
  }
  const contested = contestedExamples(pooled, nClasses, Math.max(a, total - a));
  const nContested = contested.length;
  const block = new LocalBlock(Math.min(BLOCK, nContested), total, nClasses, a);
  const side = new Int32Array(total);
  const counts = new Int32Array(splits.nSplits);
  const preferMax = options.tieBreak === 'max';
  for (let start = 0; start < nContested; start += BLOCK) {
    const end = Math.min(nContested, start + BLOCK);
    block.fill(pooled, contested, start, end);
    // Splits are read in place (an offset into `sides`): nothing is allocated per split.
    for (let s = 0; s < splits.nSplits; s++) counts[s] += differences(block, splits.sides, s * a, a, side, end - start, preferMax);
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

/**
 * A block of contested examples with their labels renumbered per example: the d distinct pooled labels of an
 * example become local ranks 0..d-1 in increasing class order, so a side's argmax scans d counters (never more
 * than the pooled models) whatever the number of classes, and "the largest tied class" is the largest rank.
 */
class LocalBlock {
  /** `local[j * total + m]`: rank of model m's label among example j's distinct labels. */
  readonly local: Uint16Array;
  /** `weight[j * total + m]`: `radix ** local[j * total + m]`, model m's packed increment. */
  readonly weight: Float64Array;
  /** A power of two above the side size: one digit of a packed count. */
  readonly radix: number;
  /** Ranks whose packed counts fit in a double's 53-bit integer range. */
  readonly ranksPerWord: number;
  /** `pooled[j * total + r]`: pooled count of example j's label of rank r. */
  readonly pooled: Int32Array;
  /** `distinct[j]`: number of distinct pooled labels of example j. */
  readonly distinct: Int32Array;
  private readonly classCount: Int32Array;
  private readonly rankOf: Int32Array;
  private readonly labels: Int32Array;

  constructor(
    size: number,
    readonly total: number,
    nClasses: number,
    sideSize: number,
  ) {
    const bits = Math.ceil(Math.log2(sideSize + 1));
    this.radix = 2 ** bits;
    this.ranksPerWord = Math.floor(53 / bits);
    this.local = new Uint16Array(size * total);
    this.weight = new Float64Array(size * total);
    this.pooled = new Int32Array(size * total);
    this.distinct = new Int32Array(size);
    this.classCount = new Int32Array(nClasses);
    this.rankOf = new Int32Array(nClasses);
    this.labels = new Int32Array(total);
  }

  fill(models: readonly ArrayLike<number>[], contested: Int32Array, start: number, end: number): void {
    const { total, classCount, rankOf, labels } = this;
    for (let j = 0; j < end - start; j++) {
      const i = contested[start + j];
      let d = 0;
      for (let m = 0; m < total; m++) {
        const v = models[m][i];
        if (classCount[v]++ === 0) labels[d++] = v;
      }
      // Insertion sort: d is at most the number of pooled models and usually 2 or 3.
      for (let r = 1; r < d; r++) {
        const v = labels[r];
        let q = r - 1;
        for (; q >= 0 && labels[q] > v; q--) labels[q + 1] = labels[q];
        labels[q + 1] = v;
      }
      const base = j * total;
      for (let r = 0; r < d; r++) {
        rankOf[labels[r]] = r;
        this.pooled[base + r] = classCount[labels[r]];
      }
      for (let m = 0; m < total; m++) {
        const r = rankOf[models[m][i]];
        this.local[base + m] = r;
        this.weight[base + m] = this.radix ** r;
      }
      for (let r = 0; r < d; r++) classCount[labels[r]] = 0;
      this.distinct[j] = d;
    }
  }
}

/**
 * PIEs of one split over a block. Side A's counts are accumulated packed into one double: rank r adds
 * `2^(bits * r)` (`block.weight`), exact while the packed value stays below 2^53, which holds for up to
 * `block.ranksPerWord` ranks; examples with more distinct labels use one counter per rank.
 */
function differences(
  block: LocalBlock,
  sides: Int32Array,
  at: number,
  a: number,
  side: Int32Array,
  nBlock: number,
  preferMax: boolean,
): number {
  const { local, weight, pooled, distinct, ranksPerWord, radix, total } = block;
  const inverse = 1 / radix;
  const end = at + a;
  let differ = 0;
  for (let j = 0, base = 0; j < nBlock; j++, base += total) {
    const d = distinct[j];
    let bestA = -1;
    let rankA = 0;
    let bestB = -1;
    let rankB = 0;
    // Side B's count is the pooled count minus side A's. Ranks rise with the class: '>=' keeps the largest tied class.
    if (d <= ranksPerWord) {
      let packed = 0;
      for (let q = at; q < end; q++) packed += weight[base + sides[q]];
      for (let r = 0; r < d; r++) {
        // Multiplying by a power of two and flooring is exact on these integers.
        const rest = Math.floor(packed * inverse);
        const na = packed - rest * radix;
        packed = rest;
        const nb = pooled[base + r] - na;
        if (na > bestA || (preferMax && na === bestA)) {
          bestA = na;
          rankA = r;
        }
        if (nb > bestB || (preferMax && nb === bestB)) {
          bestB = nb;
          rankB = r;
        }
      }
    } else {
      for (let q = at; q < end; q++) side[local[base + sides[q]]]++;
      for (let r = 0; r < d; r++) {
        const na = side[r];
        side[r] = 0;
        const nb = pooled[base + r] - na;
        if (na > bestA || (preferMax && na === bestA)) {
          bestA = na;
          rankA = r;
        }
        if (nb > bestB || (preferMax && nb === bestB)) {
          bestB = nb;
          rankB = r;
        }
      }
    }
    if (rankA !== rankB) differ++;
  }
  return differ;
}
