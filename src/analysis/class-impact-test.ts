import { PieAuditError } from '../errors.js';
import type { ClassImpactRow, PValueCorrection } from '../schema/index.js';
import { CONSTANT_DIFFERENT_REASON, CONSTANT_EQUAL_REASON, CONSTANT_UNREACHABLE_REASON } from '../schema/report.js';
import { P_VALUE_CORRECTIONS } from '../schema/vocabulary.js';

export type { ClassImpactReason, ClassImpactRow } from '../schema/index.js';
export { CONSTANT_DIFFERENT_REASON, CONSTANT_EQUAL_REASON, CONSTANT_UNREACHABLE_REASON };
import { adjustPValues, welchTTest } from './stats/index.js';
import { constantSamplesPermutationP } from './constant-samples-permutation-p.js';
import { assertFinite } from './validate-finite.js';
import { assertArrayLike, assertLength } from './validate-length.js';

/** Multiple-testing correction applied across the classes that could be tested. */
export type ClassImpactCorrection = PValueCorrection;

/** Inputs of {@link classImpactTest}: per-model recalls and accuracies of both populations (see {@link populationRecall}). */
export interface ClassImpactInput {
  /** `baselineRecall[m][c]`: recall of class c for baseline model m; `null` where the class has no examples. */
  baselineRecall: readonly ArrayLike<number | null>[];
  /** `compressedRecall[m][c]`: recall of class c for compressed model m. */
  compressedRecall: readonly ArrayLike<number | null>[];
  /** Top-1 accuracy of each baseline model (same order as `baselineRecall`). */
  baselineAccuracy: ArrayLike<number>;
  /** Top-1 accuracy of each compressed model. */
  compressedAccuracy: ArrayLike<number>;
}

/** Options of {@link classImpactTest}. */
export interface ClassImpactOptions {
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Correction across the testable classes (default `'none'`, as in Hooker et al. 2019). */
  correction?: ClassImpactCorrection;
}

/** Result of {@link classImpactTest}. */
export interface ClassImpactResult {
  classes: ClassImpactRow[];
  alpha: number;
  correction: ClassImpactCorrection;
  /** Mean top-1 accuracy of each population (the normalizers). */
  baselineMeanAccuracy: number;
  compressedMeanAccuracy: number;
  /** Number of classes significantly hurt / spared (lost less than the model overall), and not testable. */
  nHurt: number;
  nSpared: number;
  nInconclusive: number;
}

const CORRECTIONS: readonly ClassImpactCorrection[] = P_VALUE_CORRECTIONS;

/**
 * Which classes compression affects more than the model overall (Hooker et al. 2019): for each class c,
 * a two-tailed Welch t-test between `{ R_b[m][c] − mean(A_b) }` over the baseline models and
 * `{ R_k[m][c] − mean(A_k) }` over the compressed models, where R is per-class recall and A top-1 accuracy.
 * Subtracting each population's mean accuracy means only change beyond the overall accuracy shift counts.
 *
 * Never invents a p-value: with fewer than 2 models in either population every class is `'inconclusive'`
 * (reason `'need at least 2 models per level'`, p `null`); so is a class without examples. A class whose raw
 * recall is constant within both populations is decided exactly on the raw recall: the same value in both gives
 * p = 1 (unchanged); different values give the exact permutation p over the models (1 / C(M_b + M_k, M_b), twice
 * that with equal sizes: never 0), and the class is `'inconclusive'` when that floor is above alpha (2 + 2 models
 * give p = 1/3 at best). The normalizers alone (the populations' mean accuracies) never make a class significant.
 *
 * @throws PieAuditError `LENGTH_MISMATCH` (accuracies vs recalls, or models with different class counts),
 *   `NON_FINITE`, `INVALID_ARGUMENT` (recall or accuracy outside [0, 1], bad options), `EMPTY_POPULATION`
 * @example
 * const result = classImpactTest({
 *   baselineRecall: [[0.9, 0.8], [0.92, 0.81], [0.91, 0.79]],
 *   compressedRecall: [[0.9, 0.6], [0.91, 0.62], [0.9, 0.58]],
 *   baselineAccuracy: [0.85, 0.865, 0.85],
 *   compressedAccuracy: [0.75, 0.765, 0.74],
 * });
 * result.classes[1].direction; // 'hurt': class 1 lost more recall than the overall accuracy drop
 */
export function classImpactTest(input: ClassImpactInput, options: ClassImpactOptions = {}): ClassImpactResult {
  const { alpha, correction } = checkOptions(options, input);
  const { baselineRecall, compressedRecall, baselineAccuracy, compressedAccuracy } = input;
  const nClasses = checkRecalls(baselineRecall, 'baselineRecall', -1);
  checkRecalls(compressedRecall, 'compressedRecall', nClasses);
  assertLength(baselineAccuracy, baselineRecall.length, 'baselineAccuracy', 'baselineRecall (one accuracy per model)');
  assertLength(compressedAccuracy, compressedRecall.length, 'compressedAccuracy', 'compressedRecall (one accuracy per model)');
  checkUnitInterval(baselineAccuracy, 'baselineAccuracy', false);
  checkUnitInterval(compressedAccuracy, 'compressedAccuracy', false);

  const meanAccB = mean(baselineAccuracy);
  const meanAccK = mean(compressedAccuracy);
  const tooFewModels = baselineRecall.length < 2 || compressedRecall.length < 2;
  const rows: ClassImpactRow[] = [];
  for (let c = 0; c < nClasses; c++) {
    const rawB = column(baselineRecall, c);
    const rawK = column(compressedRecall, c);
    const normB = rawB.map((r) => r - meanAccB);
    const normK = rawK.map((r) => r - meanAccK);
    const row: ClassImpactRow = {
      classIndex: c,
      baselineMeanRecall: rawB.length === 0 ? null : mean(rawB),
      compressedMeanRecall: rawK.length === 0 ? null : mean(rawK),
      baselineNormalizedRecall: rawB.length === 0 ? null : mean(normB),
      compressedNormalizedRecall: rawK.length === 0 ? null : mean(normK),
      normalizedRecallChange: rawB.length === 0 || rawK.length === 0 ? null : mean(normK) - mean(normB),
      t: null,
      df: null,
      p: null,
      pAdjusted: null,
      significant: false,
      direction: null,
      status: 'inconclusive',
      reason: null,
      degenerate: false,
      nBaseline: rawB.length,
      nCompressed: rawK.length,
    };
    if (tooFewModels) row.reason = 'need at least 2 models per level';
    else if (rawB.length === 0 || rawK.length === 0) row.reason = 'class has no examples';
    else if (rawB.length < 2 || rawK.length < 2) row.reason = 'need at least 2 models with examples of this class per level';
    else {
      // Compressed minus baseline, so a negative t means the class lost more than the average class.
      // Constancy is judged on the raw recall: normalizing subtracts one constant per population, so a constant
      // raw recall gives two zero-variance samples whose means differ whenever top-1 moved. A normalized sample
      // can also be constant up to an ulp; either way the t statistic would divide by rounding noise.
      const constant = (isConstant(rawK) || isConstant(normK)) && (isConstant(rawB) || isConstant(normB));
      const test = constant ? null : welchTTest(normK, normB, { alternative: 'two-sided', confLevel: 0.95 });
      row.status = 'ok';
      if (test === null || test.degenerate) {
        row.degenerate = true;
        const same = Math.abs(mean(rawK) - mean(rawB)) <= 1e-12;
        // Every model of one population beats every model of the other: only the observed split of the pooled
        // models (and its mirror image with equal sizes) is as extreme, so the exact permutation p is its floor.
        row.p = same ? 1 : constantSamplesPermutationP(rawB.length, rawK.length);
        row.reason = same ? CONSTANT_EQUAL_REASON : CONSTANT_DIFFERENT_REASON;
        if (!same && row.p > alpha) {
          row.status = 'inconclusive';
          row.reason = CONSTANT_UNREACHABLE_REASON;
        }
      } else {
        row.t = test.t;
        row.df = test.df;
        row.p = test.p;
      }
    }
    rows.push(row);
  }

  const okRows = rows.filter((r) => r.status === 'ok');
  adjustAndDecide(okRows, correction, alpha);
  return {
    classes: rows,
    alpha,
    correction,
    baselineMeanAccuracy: meanAccB,
    compressedMeanAccuracy: meanAccK,
    nHurt: rows.filter((r) => r.direction === 'hurt').length,
    nSpared: rows.filter((r) => r.direction === 'spared').length,
    nInconclusive: rows.length - okRows.length,
  };
}

/** Adjusts the tested classes' p-values across classes and sets `significant` and `direction`. */
function adjustAndDecide(okRows: ClassImpactRow[], correction: ClassImpactCorrection, alpha: number): void {
  const adjusted = adjustPValues(
    okRows.map((r) => r.p as number),
    correction,
  );
  okRows.forEach((r, i) => {
    const q = adjusted[i];
    r.pAdjusted = q === null || q === undefined ? null : q;
    r.significant = r.pAdjusted !== null && r.pAdjusted < alpha;
    const d = r.normalizedRecallChange as number;
    r.direction = r.significant && d < 0 ? 'hurt' : r.significant && d > 0 ? 'spared' : 'unchanged';
    // An exact p = 1 stays 'unchanged' under any correction (an adjusted p never falls below the raw one).
  });
}

/** Validates the options (and that `input` is an object), applying the defaults. */
function checkOptions(options: ClassImpactOptions, input: unknown): { alpha: number; correction: ClassImpactCorrection } {
  const alpha = options.alpha ?? 0.05;
  const correction = options.correction ?? 'none';
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.alpha must be a number strictly between 0 and 1; got ${String(alpha)}.`, {
      name: 'options.alpha',
    });
  }
  if (!CORRECTIONS.includes(correction)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.correction must be one of ${CORRECTIONS.join(', ')}; got ${String(correction)}.`, {
      name: 'options.correction',
    });
  }
  if (input === null || typeof input !== 'object') {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      'classImpactTest expects { baselineRecall, compressedRecall, baselineAccuracy, compressedAccuracy }.',
    );
  }
  return { alpha, correction };
}

function checkRecalls(recall: readonly ArrayLike<number | null>[], name: string, nClasses: number): number {
  if (!Array.isArray(recall)) {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} must be an array with one per-class recall array per model.`, { name });
  }
  if (recall.length === 0) {
    throw new PieAuditError('EMPTY_POPULATION', `${name} has no models; pass one per-class recall array per model.`, { name });
  }
  let n = nClasses;
  for (let m = 0; m < recall.length; m++) {
    if (n < 0) {
      assertArrayLike(recall[m], `${name}[${m}]`);
      n = recall[m].length;
    } else {
      assertLength(
        recall[m],
        n,
        `${name}[${m}]`,
        nClasses < 0 ? `${name}[0] (one recall per class)` : 'baselineRecall[0] (one recall per class)',
      );
    }
    checkUnitInterval(recall[m], `${name}[${m}]`, true);
  }
  return n;
}

function checkUnitInterval(values: ArrayLike<number | null>, name: string, allowNull: boolean): void {
  assertFinite(values, name, { allowNull });
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && (v < 0 || v > 1)) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `${name}[${i}] is ${v}; recalls and accuracies are fractions in [0, 1] (divide percentages by 100).`,
        { name, index: i, value: v },
      );
    }
  }
}

function column(recall: readonly ArrayLike<number | null>[], c: number): number[] {
  const out: number[] = [];
  for (const row of recall) {
    const v = row[c];
    if (v !== null) out.push(v);
  }
  return out;
}

function isConstant(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}
