import { quantileSorted } from 'simple-statistics';
import { PieAuditError } from '../errors.js';
import type { PieNoiseFloorSummary } from '../schema/report.js';
import { inferClassCount, type ModalTieBreak } from './modal-labels.js';
import { resolveNoiseFloorDesign, type NoiseFloorDesignChoice } from './noise-floor-design.js';
import { permutationSplits, type PermutationDesign, type PermutationSplits } from './permutation-splits.js';
import { pieSplitCounts } from './pie-split-counts.js';
import { assertClassCount, assertLabels } from './validate-labels.js';
import { assertMinSamples, assertPopulation } from './validate-population.js';

/** Options of {@link pieNoiseFloor}. */
export interface PieNoiseFloorOptions {
  /** `'auto'` (default): paired when the compressed member ids are exactly the baseline ids, else independent. */
  design?: NoiseFloorDesignChoice;
  /** Member id of each baseline model (e.g. `seed-3`), used by `'auto'` and to pair models. */
  baselineIds?: readonly string[];
  /** Member id of each compressed model. */
  compressedIds?: readonly string[];
  /** Enumerate every split when the design has at most this many (default 20,000). */
  maxExactSplits?: number;
  /** Seeded random splits when it has more (default 1,999). */
  draws?: number;
  /** Seed of the random splits (default 0). */
  seed?: number;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Tie rule of every modal label (default `'max'`, as {@link findPIEs}). */
  tieBreak?: ModalTieBreak;
  /** Number of classes; inferred from both populations as (largest label + 1) when omitted, as {@link findPIEs}. */
  nClasses?: number;
}

/**
 * Result of {@link pieNoiseFloor}: the PIE count against what re-splitting the same models gives. The report's
 * `level.pies.permutation` holds the same fields, less the ones below that only describe the call.
 */
export interface PieNoiseFloor extends PieNoiseFloorSummary {
  alpha: number;
  /** Why this design was used (e.g. member ids matched). */
  designReason: string;
  nExamples: number;
  nBaseline: number;
  nCompressed: number;
  /** Examples whose pooled majority some split could overturn (the others cannot be a PIE in any split). */
  nContested: number;
  /** The seed of the random splits (`null` when exact). */
  seed: number | null;
}

/**
 * A seed-noise floor for the PIE count: a permutation test of whether the baseline and compressed populations
 * disagree on more examples than two groups of models drawn from the pool of both do. Each split of the pooled
 * models into two sides gives a PIE count (modal label of one side vs the other, same tie rule and class count
 * as {@link findPIEs}); the observed count is compared with that null distribution. Designs, formulas and limits:
 * docs/methodology.md ("Seed-noise floor").
 *
 * @throws PieAuditError `EMPTY_POPULATION`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`,
 *   `INSUFFICIENT_SAMPLES` (no examples), `INVALID_ARGUMENT` (options, ids)
 * @example
 * const floor = pieNoiseFloor(baselineLabels, compressedLabels, { baselineIds, compressedIds, seed: 1 });
 * if (floor.status === 'ok' && floor.significant) console.log(`${floor.excess} PIEs beyond seed noise (p = ${floor.p})`);
 */
export function pieNoiseFloor(
  baseline: readonly ArrayLike<number>[],
  compressed: readonly ArrayLike<number>[],
  options: PieNoiseFloorOptions = {},
): PieNoiseFloor {
  const n = assertPopulation(baseline, 'baseline');
  const nK = assertPopulation(compressed, 'compressed');
  if (nK !== n) {
    throw new PieAuditError(
      'LENGTH_MISMATCH',
      `compressed labels ${nK} examples but baseline labels ${n}; both must label the same examples in the same order.`,
      { name: 'compressed', actual: nK, expected: n },
    );
  }
  assertMinSamples(n, 1, 'baseline[0]', 'examples');
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.alpha must be a number strictly between 0 and 1; got ${String(alpha)}.`, {
      name: 'options.alpha',
    });
  }
  const tieBreak = options.tieBreak ?? 'max';
  if (tieBreak !== 'max' && tieBreak !== 'min') {
    throw new PieAuditError('INVALID_ARGUMENT', `options.tieBreak must be 'max' or 'min'; got ${String(tieBreak)}.`, {
      name: 'options.tieBreak',
    });
  }
  let nClasses = options.nClasses;
  if (nClasses === undefined) nClasses = Math.max(inferClassCount(baseline, 'baseline'), inferClassCount(compressed, 'compressed'));
  else {
    // Validate here so an error names the population and model (`compressed[3]`), not a pooled index.
    assertClassCount(nClasses, 'options.nClasses');
    for (let m = 0; m < baseline.length; m++) assertLabels(baseline[m], nClasses, `baseline[${m}]`);
    for (let m = 0; m < compressed.length; m++) assertLabels(compressed[m], nClasses, `compressed[${m}]`);
  }
  const resolved = resolveNoiseFloorDesign(
    options.design ?? 'auto',
    baseline.length,
    compressed.length,
    options.baselineIds,
    options.compressedIds,
  );
  const pooled =
    resolved.pairOf === null ? [...baseline, ...compressed] : [...baseline, ...Array.from(resolved.pairOf, (j) => compressed[j])];
  const splits = permutationSplits(resolved.design, baseline.length, compressed.length, {
    maxExactSplits: options.maxExactSplits,
    draws: options.draws,
    seed: options.seed,
  });
  const { counts, nContested } = pieSplitCounts(pooled, splits, { nClasses, tieBreak });
  return summarise(counts, splits, resolved.design, alpha, {
    designReason: resolved.why,
    nExamples: n,
    nBaseline: baseline.length,
    nCompressed: compressed.length,
    nContested,
    seed: splits.method === 'exact' ? null : (options.seed ?? 0),
  });
}

type Context = Pick<PieNoiseFloor, 'designReason' | 'nExamples' | 'nBaseline' | 'nCompressed' | 'nContested' | 'seed'>;

function summarise(
  counts: Int32Array,
  splits: PermutationSplits,
  design: PermutationDesign,
  alpha: number,
  context: Context,
): PieNoiseFloor {
  const observed = counts[0];
  const exact = splits.method === 'exact';
  // Exact: the null distribution is every split, the observed one included. Monte Carlo: the random draws.
  const nullCounts = Float64Array.from(exact ? counts : counts.subarray(1)).sort();
  let atLeast = 0;
  for (let s = exact ? 0 : 1; s < counts.length; s++) if (counts[s] >= observed) atLeast++;
  const draws = counts.length - 1;
  const p = exact ? atLeast / counts.length : (1 + atLeast) / (1 + draws);
  const minAchievableP = exact ? splits.designMinP : Math.max(splits.designMinP, 1 / (1 + draws));
  const sorted = Array.from(nullCounts);
  const nullMedian = quantileSorted(sorted, 0.5);
  const nullP95 = quantileSorted(sorted, 0.95);
  const excess = observed - nullMedian;
  // The splits other than the observed one, as [count, splits] pairs: what a threshold test shifts (gates).
  const histogram = new Map<number, number>();
  for (let s = 1; s < counts.length; s++) histogram.set(counts[s], (histogram.get(counts[s]) ?? 0) + 1);
  const nullDistribution = [...histogram.entries()].sort((a, b) => a[0] - b[0]);
  const status = minAchievableP > alpha ? 'inconclusive' : 'ok';
  return {
    status,
    design,
    method: splits.method,
    splits: counts.length,
    observed,
    nullMedian,
    nullP95,
    excess,
    excessRate: excess / context.nExamples,
    p,
    minAchievableP,
    alpha,
    significant: status === 'ok' && p <= alpha,
    nullDistribution,
    reason: status === 'ok' ? null : unreachableReason(design, context, minAchievableP, alpha, draws, splits.designMinP),
    ...context,
  };
}

/** Says why alpha cannot be reached and what would reach it. */
function unreachableReason(
  design: PermutationDesign,
  context: Context,
  minP: number,
  alpha: number,
  draws: number,
  designMinP: number,
): string {
  const base = `the smallest p-value this test can give is ${formatP(minP)}, above alpha ${alpha}`;
  if (designMinP > alpha) {
    const sizes =
      design === 'paired'
        ? `${context.nBaseline} model pairs`
        : `${context.nBaseline} baseline and ${context.nCompressed} compressed models`;
    return `${base} with ${sizes} (${design} design): need at least ${modelsNeeded(design, alpha)} models per level`;
  }
  return `${base} with ${draws} random splits: use at least ${Math.ceil(1 / alpha - 1)} draws`;
}

/**
 * Smallest number of models per level (equal sizes) whose design can give p <= alpha: the paired design needs
 * 2 / 2^M <= alpha, the independent one 2 / C(2M, M) <= alpha.
 * @example
 * modelsNeeded('paired', 0.05);      // 6 (5 pairs give at best 0.0625)
 * modelsNeeded('independent', 0.05); // 4 (2 / C(8, 4) = 0.029)
 */
export function modelsNeeded(design: PermutationDesign, alpha: number): number {
  for (let m = 1; ; m++) {
    let splits = 2 ** m;
    if (design === 'independent') {
      splits = 1;
      for (let i = 1; i <= m; i++) splits = (splits * (m + i)) / i;
    }
    if (2 / splits <= alpha) return m;
  }
}

function formatP(p: number): string {
  return Number(p.toPrecision(4)).toString();
}
