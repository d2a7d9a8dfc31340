import { PieAuditError } from '../errors.js';
import { assertArrayLike, assertLength } from './validate-length.js';
import { assertPopulation } from './validate-population.js';
import { checkPositiveClass, countRates, groupIndex, type GroupValue, type SubgroupErrorRates } from './subgroup-error-rates.js';

/** FPR, FNR and error rate side by side; `null` where the quantity is undefined (see each field's source). */
export interface ErrorRateTriple {
  fpr: number | null;
  fnr: number | null;
  errorRate: number | null;
}

/** One subgroup's error rates before and after compression. */
export interface SubgroupComparison {
  /** The subgroup's value (`null` on the `overall` row). */
  group: GroupValue | null;
  /** Number of examples in the subgroup. */
  n: number;
  /** Examples whose true label is the positive class. */
  positives: number;
  /** Examples whose true label is another class. */
  negatives: number;
  /** Mean over the baseline models of each rate. */
  baseline: ErrorRateTriple;
  /** Mean over the compressed models of each rate. */
  compressed: ErrorRateTriple;
  /** Absolute change `compressed - baseline` (a fraction; multiply by 100 for percentage points). */
  absoluteChange: ErrorRateTriple;
  /** Relative change `(compressed - baseline) / baseline`; `null` when the baseline rate is 0. */
  relativeChange: ErrorRateTriple;
  /**
   * How much more (> 1) or less (< 1) the subgroup's rate grew than the whole population's:
   * `(compressed_g / baseline_g) / (compressed_all / baseline_all)`. 1 on the `overall` row;
   * `null` when any of the four rates is 0 or undefined. See docs/methodology.md for why this form.
   */
  normalizedChange: ErrorRateTriple;
  /** Absolute change beyond the overall one: `(compressed_g - baseline_g) - (compressed_all - baseline_all)`. */
  excessChange: ErrorRateTriple;
}

/** Result of {@link compareSubgroupErrorRates}. */
export interface SubgroupErrorRateComparison {
  /** One row per distinct non-null group value, sorted as in {@link subgroupErrorRates}. */
  subgroups: SubgroupComparison[];
  /** The same over every example (its `normalizedChange` is 1 wherever defined). */
  overall: SubgroupComparison;
  nBaselineModels: number;
  nCompressedModels: number;
  /** Examples whose group was null/undefined: left out of `subgroups`, kept in `overall`. */
  nMissingGroup: number;
}

/** Inputs of {@link compareSubgroupErrorRates}. */
export interface CompareSubgroupErrorRatesInput {
  /** True class index of each example. */
  labels: ArrayLike<number>;
  /** Subgroup of each example (`null` = missing). */
  groups: ArrayLike<GroupValue | null | undefined>;
  /** One prediction array per baseline model. */
  baselinePredictions: readonly ArrayLike<number>[];
  /** One prediction array per compressed model. */
  compressedPredictions: readonly ArrayLike<number>[];
  /** The class that counts as positive; all others are negative. */
  positiveClass: number;
}

/**
 * Subgroup FPR, FNR and error rate of a baseline population vs a compressed population of models
 * (Hooker et al. 2020, "Characterising Bias in Compressed Models"), averaged over the models of each
 * population, with the absolute, relative and overall-normalized change per subgroup.
 *
 * @throws PieAuditError `EMPTY_POPULATION`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INVALID_ARGUMENT`
 * @example
 * const cmp = compareSubgroupErrorRates({
 *   labels: [1, 1, 0, 0],
 *   groups: ['F', 'M', 'F', 'M'],
 *   baselinePredictions: [[1, 1, 0, 0], [1, 1, 0, 1]],
 *   compressedPredictions: [[1, 0, 0, 1], [1, 0, 0, 1]],
 *   positiveClass: 1,
 * });
 * cmp.subgroups[1].baseline.fnr;       // 0   (group 'M')
 * cmp.subgroups[1].compressed.fnr;     // 1
 * cmp.subgroups[1].absoluteChange.fnr; // 1
 */
export function compareSubgroupErrorRates(input: CompareSubgroupErrorRatesInput): SubgroupErrorRateComparison {
  if (input === null || typeof input !== 'object') {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      'compareSubgroupErrorRates expects one object { labels, groups, baselinePredictions, compressedPredictions, positiveClass }.',
    );
  }
  const { labels, groups, baselinePredictions, compressedPredictions } = input;
  const positiveClass = checkPositiveClass(input);
  assertArrayLike(labels, 'labels');
  assertLength(groups, labels.length, 'groups', 'labels');
  assertPopulation(baselinePredictions, 'baselinePredictions');
  assertPopulation(compressedPredictions, 'compressedPredictions');
  assertLength(baselinePredictions[0], labels.length, 'baselinePredictions[0]', 'labels');
  assertLength(compressedPredictions[0], labels.length, 'compressedPredictions[0]', 'labels');
  const index = groupIndex(groups, 'groups');
  const perModel = (population: readonly ArrayLike<number>[], name: string): SubgroupErrorRates[] =>
    population.map((predicted, m) => countRates(labels, predicted, index, positiveClass, `${name}[${m}]`));
  const baseline = perModel(baselinePredictions, 'baselinePredictions');
  const compressed = perModel(compressedPredictions, 'compressedPredictions');
  return compareModelRates(baseline, compressed, index.nMissing);
}

/**
 * The comparison of {@link compareSubgroupErrorRates} from each model's own counts (`countRates` of every model
 * with one group index), for a caller that has counted the models already.
 * @internal
 * @example
 * const index = groupIndex(groups, 'groups');
 * const rates = (population) => population.map((p) => countRates(labels, p, index, 1, 'predicted'));
 * compareModelRates(rates(baseline), rates(compressed), index.nMissing).overall.absoluteChange.fpr;
 */
export function compareModelRates(
  baseline: readonly SubgroupErrorRates[],
  compressed: readonly SubgroupErrorRates[],
  nMissingGroup: number,
): SubgroupErrorRateComparison {
  const overallBaseline = meanRates(baseline.map((r) => r.overall));
  const overallCompressed = meanRates(compressed.map((r) => r.overall));
  const build = (rowsB: SubgroupErrorRates['overall'][], rowsC: SubgroupErrorRates['overall'][]): SubgroupComparison => {
    const b = meanRates(rowsB);
    const c = meanRates(rowsC);
    const first = rowsB[0];
    return {
      group: first.group,
      n: first.n,
      positives: first.positives,
      negatives: first.negatives,
      baseline: b,
      compressed: c,
      absoluteChange: combine(b, c, (x, y) => y - x),
      relativeChange: combine(b, c, (x, y) => (x === 0 ? null : (y - x) / x)),
      normalizedChange: combine4(b, c, overallBaseline, overallCompressed, (xb, xc, ob, oc) =>
        xb === 0 || ob === 0 || oc === 0 ? null : xc / xb / (oc / ob),
      ),
      excessChange: combine4(b, c, overallBaseline, overallCompressed, (xb, xc, ob, oc) => xc - xb - (oc - ob)),
    };
  };
  return {
    subgroups: baseline[0].subgroups.map((_, g) =>
      build(
        baseline.map((r) => r.subgroups[g]),
        compressed.map((r) => r.subgroups[g]),
      ),
    ),
    overall: build(
      baseline.map((r) => r.overall),
      compressed.map((r) => r.overall),
    ),
    nBaselineModels: baseline.length,
    nCompressedModels: compressed.length,
    nMissingGroup,
  };
}

const KEYS = ['fpr', 'fnr', 'errorRate'] as const;

/** Mean over models of each rate; a rate undefined for one model is undefined for all (same labels), so null stays null. */
function meanRates(rows: { fpr: number | null; fnr: number | null; errorRate: number | null }[]): ErrorRateTriple {
  const out: ErrorRateTriple = { fpr: null, fnr: null, errorRate: null };
  for (const key of KEYS) {
    let sum = 0;
    let n = 0;
    for (const r of rows) {
      const v = r[key];
      if (v !== null) {
        sum += v;
        n++;
      }
    }
    out[key] = n === 0 ? null : sum / n;
  }
  return out;
}

function combine(b: ErrorRateTriple, c: ErrorRateTriple, f: (b: number, c: number) => number | null): ErrorRateTriple {
  const out: ErrorRateTriple = { fpr: null, fnr: null, errorRate: null };
  for (const key of KEYS) {
    const x = b[key];
    const y = c[key];
    out[key] = x === null || y === null ? null : f(x, y);
  }
  return out;
}

function combine4(
  b: ErrorRateTriple,
  c: ErrorRateTriple,
  ob: ErrorRateTriple,
  oc: ErrorRateTriple,
  f: (b: number, c: number, ob: number, oc: number) => number | null,
): ErrorRateTriple {
  const out: ErrorRateTriple = { fpr: null, fnr: null, errorRate: null };
  for (const key of KEYS) {
    const vals = [b[key], c[key], ob[key], oc[key]];
    out[key] = vals.some((v) => v === null) ? null : f(vals[0] as number, vals[1] as number, vals[2] as number, vals[3] as number);
  }
  return out;
}
