import { PieAuditError } from '../errors.js';
import { validateSparsity } from './pruning-schedule.js';

/** How equal magnitudes at the threshold are treated. */
export type MaskTieBreak = 'index' | 'keep';

/** A 0/1 mask with the magnitude threshold it was cut at. */
export interface MagnitudeMask {
  /** 1 keeps the weight, 0 prunes it; same length as the values. */
  readonly mask: Uint8Array;
  /** |w| of the smallest kept weight (tfmot's `threshold` variable). */
  readonly threshold: number;
}

function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Number of weights kept out of `size` at `sparsity`, exactly as tfmot computes it in float32:
 * `max(round_half_to_even(float32(size) * (1 - float32(sparsity))), 1)`.
 *
 * @example
 * keptCount(10, 0.5);  // 5
 * keptCount(5, 0.5);   // 2 (2.5 rounds to even)
 * keptCount(10, 0.99); // 1 (never prunes everything)
 */
export function keptCount(size: number, sparsity: number): number {
  const s = Math.fround(sparsity);
  const product = Math.fround(Math.fround(size) * Math.fround(1 - s));
  return Math.min(size, Math.max(roundHalfToEven(product), 1));
}

/** In-place selection: afterwards a[k] is the k-th smallest and a[<k] <= a[k] <= a[>k]. */
function quickselect(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot, deterministic
    if (a[mid] < a[lo]) [a[mid], a[lo]] = [a[lo], a[mid]];
    if (a[hi] < a[lo]) [a[hi], a[lo]] = [a[lo], a[hi]];
    if (a[hi] < a[mid]) [a[hi], a[mid]] = [a[mid], a[hi]];
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * tfmot's magnitude rule on one tensor: keep the `keptCount(n, sparsity)` largest |w|, prune the rest.
 *
 * tfmot keeps every weight with |w| >= the k-th largest magnitude, so ties at the threshold can keep
 * more than k. With `tieBreak: 'index'` (default) ties are broken deterministically by position (lower
 * flat index kept first), so exactly k weights are kept; `tieBreak: 'keep'` reproduces tfmot's `>=`.
 * The two agree whenever the magnitude at the threshold is unique.
 *
 * @throws PieAuditError `NON_FINITE`
 * @example
 * magnitudeMask(new Float32Array([0.1, -3, 0.5, 2]), 0.5).mask; // Uint8Array [0, 1, 0, 1]
 */
export function magnitudeMask(values: Float32Array, sparsity: number, options: { tieBreak?: MaskTieBreak } = {}): MagnitudeMask {
  validateSparsity(sparsity, 'sparsity');
  const n = values.length;
  const mask = new Uint8Array(n);
  if (n === 0) return { mask, threshold: 0 };
  const abs = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new PieAuditError('NON_FINITE', `weight ${i} is ${v}; magnitude pruning needs finite weights (check training for divergence)`, {
        index: i,
      });
    }
    abs[i] = Math.abs(v);
  }
  const k = keptCount(n, sparsity);
  // threshold = k-th largest |w| = (n-k)-th smallest
  const work = abs.slice();
  const threshold = quickselect(work, n - k);
  if (options.tieBreak === 'keep') {
    for (let i = 0; i < n; i++) mask[i] = abs[i] >= threshold ? 1 : 0;
    return { mask, threshold };
  }
  let above = 0;
  for (let i = 0; i < n; i++) if (abs[i] > threshold) above++;
  let tiesToKeep = k - above;
  for (let i = 0; i < n; i++) {
    if (abs[i] > threshold) mask[i] = 1;
    else if (abs[i] === threshold && tiesToKeep > 0) {
      mask[i] = 1;
      tiesToKeep--;
    }
  }
  return { mask, threshold };
}

/** How the magnitudes inside one block are pooled into the block's score. */
export type BlockPooling = 'AVG' | 'MAX';

/**
 * Block-sparse magnitude mask over a row-major `rows x cols` matrix, as tfmot's block pruning: |w| is
 * pooled (average or max) over `blockSize[0] x blockSize[1]` blocks, whole blocks are kept or pruned by
 * {@link magnitudeMask} on the pooled scores, and the block mask is expanded back.
 *
 * Blocks start at row 0 / column 0; a partial block at the bottom or right edge pools only the weights
 * it covers (as TensorFlow's average pooling ignores padding). tfmot pools with `SAME` padding, which
 * centres the windows, but expands the mask from the top-left corner; the two agree whenever each
 * dimension is a multiple of the block size (or leaves a remainder of one less than it).
 *
 * @throws PieAuditError `SHAPE_MISMATCH`, `NON_FINITE`
 * @example
 * const w = new Float32Array([1, 1, 0.1, 0.1, 1, 1, 0.1, 0.1]); // 2 x 4
 * blockMagnitudeMask(w, 2, 4, [2, 2], 'AVG', 0.5).mask; // [1, 1, 0, 0, 1, 1, 0, 0]
 */
export function blockMagnitudeMask(
  values: Float32Array,
  rows: number,
  cols: number,
  blockSize: readonly [number, number],
  pooling: BlockPooling,
  sparsity: number,
  options: { tieBreak?: MaskTieBreak } = {},
): MagnitudeMask {
  const [bh, bw] = blockSize;
  if (rows * cols !== values.length) {
    throw new PieAuditError('SHAPE_MISMATCH', `values has ${values.length} entries but rows x cols is ${rows} x ${cols}`);
  }
  if (bh === 1 && bw === 1) return magnitudeMask(values, sparsity, options);
  const pr = Math.ceil(rows / bh);
  const pc = Math.ceil(cols / bw);
  const pooled = new Float32Array(pr * pc);
  for (let br = 0; br < pr; br++) {
    for (let bc = 0; bc < pc; bc++) {
      let acc = 0;
      let count = 0;
      for (let r = br * bh; r < Math.min(rows, (br + 1) * bh); r++) {
        for (let c = bc * bw; c < Math.min(cols, (bc + 1) * bw); c++) {
          const v = values[r * cols + c];
          if (!Number.isFinite(v)) {
            throw new PieAuditError('NON_FINITE', `weight [${r}, ${c}] is ${v}; magnitude pruning needs finite weights`, {
              row: r,
              col: c,
            });
          }
          const a = Math.abs(v);
          if (pooling === 'MAX') acc = count === 0 ? a : Math.max(acc, a);
          else acc += a;
          count++;
        }
      }
      pooled[br * pc + bc] = pooling === 'MAX' ? acc : acc / count;
    }
  }
  const blockMask = magnitudeMask(pooled, sparsity, options);
  const mask = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const rowBlock = Math.floor(r / bh) * pc;
    for (let c = 0; c < cols; c++) mask[r * cols + c] = blockMask.mask[rowBlock + Math.floor(c / bw)];
  }
  return { mask, threshold: blockMask.threshold };
}
