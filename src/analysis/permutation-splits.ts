import { PieAuditError } from '../errors.js';
import { mulberry32 } from '../random/mulberry32.js';
import { logGamma } from './stats/index.js';

/** How the models are exchanged under the null: any reassignment of the pool, or swaps within (baseline, compressed) pairs. */
export type PermutationDesign = 'independent' | 'paired';

/** The splits of a permutation test, in the layout {@link pieSplitCounts} reads. */
export interface PermutationSplits {
  /** `sides[s * sideSize + j]`: the j-th pooled model on side A of split s. Split 0 is the observed one. */
  sides: Int32Array;
  /** Models on side A of every split (side B is every other pooled model). */
  sideSize: number;
  /** Number of splits, the observed one included. */
  nSplits: number;
  /** `'exact'`: every split once; `'monteCarlo'`: the observed split, then `draws` seeded random ones. */
  method: 'exact' | 'monteCarlo';
  /** Number of distinct splits the design has (`C(M_b + M_k, M_b)` or `2^M`); may exceed 2^53 (then approximate). */
  designSplits: number;
  /**
   * Smallest p-value the design itself can give (before Monte Carlo): 1 / designSplits, or 2 / designSplits when
   * a split and its mirror image always tie.
   */
  designMinP: number;
}

/** Options of {@link permutationSplits}. */
export interface PermutationSplitsOptions {
  /** Enumerate every split when there are at most this many (default 20,000). */
  maxExactSplits?: number;
  /** Random splits beyond the observed one when enumerating is too costly (default 1,999). */
  draws?: number;
  /** Seed of the Monte Carlo splits (default 0). */
  seed?: number;
}

/**
 * The splits of a permutation test over two populations of models, pooled as `[baseline 0..M_b-1, compressed
 * M_b..M_b+M_k-1]`. Independent design: side A is any `min(M_b, M_k)`-subset of the pool (the observed split
 * puts the smaller population on side A). Paired design (`M_b = M_k = M`, pair p = pooled models p and M + p):
 * side A takes one model of every pair. Exact when the design has at most `maxExactSplits` splits, otherwise the
 * observed split plus `draws` seeded random splits (uniform subsets, or a fair coin per pair).
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (sizes, a paired design with unequal populations, bad options)
 * @example
 * const s = permutationSplits('paired', 3, 3);
 * s.nSplits; // 8 (2^3, exact); s.sides.subarray(0, 3) is [0, 1, 2], the observed baseline side
 */
export function permutationSplits(
  design: PermutationDesign,
  nBaseline: number,
  nCompressed: number,
  options: PermutationSplitsOptions = {},
): PermutationSplits {
  const maxExact = options.maxExactSplits ?? 20_000;
  const draws = options.draws ?? 1_999;
  const seed = options.seed ?? 0;
  checkCount(nBaseline, 1, 'nBaseline');
  checkCount(nCompressed, 1, 'nCompressed');
  checkCount(maxExact, 1, 'options.maxExactSplits');
  checkCount(draws, 1, 'options.draws');
  if (!Number.isInteger(seed)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.seed must be an integer; got ${String(seed)}.`, { name: 'options.seed' });
  }
  if (design === 'paired') {
    if (nBaseline !== nCompressed) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `The paired design needs as many compressed models as baseline models (one per pair); got ${nCompressed} and ${nBaseline}. ` +
          "Use design 'independent'.",
        { name: 'options.design', nBaseline, nCompressed },
      );
    }
    return pairedSplits(nBaseline, maxExact, draws, seed);
  }
  if (design !== 'independent') {
    throw new PieAuditError('INVALID_ARGUMENT', `design must be 'independent' or 'paired'; got ${String(design)}.`, {
      name: 'options.design',
    });
  }
  return independentSplits(nBaseline, nCompressed, maxExact, draws, seed);
}

function checkCount(value: number, min: number, name: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} must be an integer >= ${min}; got ${String(value)}.`, { name, value });
  }
}

function pairedSplits(m: number, maxExact: number, draws: number, seed: number): PermutationSplits {
  const designSplits = 2 ** m;
  // Swapping every pair mirrors the split: the PIE count is symmetric in the sides, so two splits always tie.
  const designMinP = Math.min(1, 2 / designSplits);
  const exact = designSplits <= maxExact;
  const nSplits = exact ? designSplits : draws + 1;
  const sides = new Int32Array(nSplits * m);
  const random = mulberry32(seed);
  for (let s = 0; s < nSplits; s++) {
    for (let p = 0; p < m; p++) {
      // Split 0 (mask 0) is the observed assignment: every baseline model on side A.
      const swapped = exact ? (Math.floor(s / 2 ** p) & 1) === 1 : s > 0 && random() < 0.5;
      sides[s * m + p] = swapped ? m + p : p;
    }
  }
  return { sides, sideSize: m, nSplits, method: exact ? 'exact' : 'monteCarlo', designSplits, designMinP };
}

function independentSplits(nB: number, nK: number, maxExact: number, draws: number, seed: number): PermutationSplits {
  const total = nB + nK;
  const a = Math.min(nB, nK);
  const designSplits = binomial(total, a);
  // With equal sizes, exchanging the two sides is another split with the same PIE count.
  const logSplits = logGamma(total + 1) - logGamma(a + 1) - logGamma(total - a + 1);
  const designMinP = Math.min(1, (nB === nK ? 2 : 1) * (Number.isFinite(designSplits) ? 1 / designSplits : Math.exp(-logSplits)));
  // The side with fewer models is counted; the observed split puts the smaller population there.
  const observedStart = nK < nB ? nB : 0;
  const exact = designSplits <= maxExact;
  const nSplits = exact ? designSplits : draws + 1;
  const sides = new Int32Array(nSplits * a);
  for (let j = 0; j < a; j++) sides[j] = observedStart + j;
  if (exact) {
    const combo = Int32Array.from({ length: a }, (_, j) => j);
    let s = 1;
    for (let more = true; more; more = nextCombination(combo, total)) {
      if (combo[0] === observedStart && combo[a - 1] === observedStart + a - 1) continue;
      sides.set(combo, s * a);
      s++;
    }
  } else {
    const random = mulberry32(seed);
    const pool = Int32Array.from({ length: total }, (_, j) => j);
    for (let s = 1; s < nSplits; s++) {
      // Partial Fisher-Yates: the first a entries become a uniform a-subset (from any starting order).
      for (let j = 0; j < a; j++) {
        const k = j + Math.floor(random() * (total - j));
        const t = pool[j];
        pool[j] = pool[k];
        pool[k] = t;
      }
      sides.set(pool.subarray(0, a), s * a);
    }
  }
  return { sides, sideSize: a, nSplits, method: exact ? 'exact' : 'monteCarlo', designSplits, designMinP };
}

/** Advances `combo` (increasing indices in [0, n)) to the next combination in lexicographic order; false after the last. */
function nextCombination(combo: Int32Array, n: number): boolean {
  const k = combo.length;
  let i = k - 1;
  while (i >= 0 && combo[i] === n - k + i) i--;
  if (i < 0) return false;
  combo[i]++;
  for (let j = i + 1; j < k; j++) combo[j] = combo[j - 1] + 1;
  return true;
}

/** C(n, k) by the multiplicative formula: every partial product is an integer, so it is exact below 2^53 (Infinity on overflow). */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}
