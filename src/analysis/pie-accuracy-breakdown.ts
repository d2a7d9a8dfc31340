import { PieAuditError } from '../errors.js';
import { mulberry32 } from '../random/mulberry32.js';
import { seededPermutation } from '../random/seeded-permutation.js';
import { assertLength } from './validate-length.js';
import { assertMinSamples } from './validate-population.js';
import { assertShares } from './validate-shares.js';

/** Mean accuracy of both populations on one subset of the test examples. */
export interface SubsetAccuracy {
  /** Examples in the subset. */
  n: number;
  /** Mean top-1 over the baseline models on the subset; `null` when it is empty. */
  baselineAccuracy: number | null;
  /** Mean top-1 over the compressed models on the subset. */
  compressedAccuracy: number | null;
}

/** Result of {@link pieAccuracyBreakdown}. */
export interface PieAccuracyBreakdown {
  pies: SubsetAccuracy;
  /** Every example that is not a PIE. */
  rest: SubsetAccuracy;
  /** A seeded uniform sample, without replacement, of as many test examples as there are PIEs: the chance baseline. */
  control: SubsetAccuracy;
  /** PIEs whose compressed modal label is the true label (compression "fixed" them). */
  piesCompressedModalCorrect: number;
  /** PIEs whose baseline modal label is the true label. */
  piesBaselineModalCorrect: number;
  /** Seed of the control sample. */
  seed: number;
}

/** Inputs of {@link pieAccuracyBreakdown}; every array has one entry per example. */
export interface PieAccuracyBreakdownInput {
  labels: ArrayLike<number>;
  isPIE: ArrayLike<number | boolean>;
  /** Per example, the share of baseline models correct ({@link shareCorrect}). */
  baselineShareCorrect: ArrayLike<number>;
  compressedShareCorrect: ArrayLike<number>;
  /** Modal labels (`findPIEs(...).baselineModal` / `.compressedModal`). */
  baselineModal: ArrayLike<number>;
  compressedModal: ArrayLike<number>;
}

/**
 * How hard PIEs are (Hooker et al. 2019, section 3): both populations' mean accuracy on the PIEs, on the rest of
 * the test set, and on a seeded random subset of the same size as the PIEs (the control that shows PIEs are
 * harder than chance), and how many PIEs each population's modal label gets right.
 *
 * @throws PieAuditError `LENGTH_MISMATCH`, `NON_FINITE`, `INVALID_ARGUMENT`, `INSUFFICIENT_SAMPLES`
 * @example
 * const pies = findPIEs(b, k);
 * const r = pieAccuracyBreakdown({ labels, isPIE: pies.isPIE, baselineModal: pies.baselineModal, compressedModal: pies.compressedModal,
 *   baselineShareCorrect: shareCorrect(labels, b), compressedShareCorrect: shareCorrect(labels, k) }, { seed: 1 });
 * r.pies.compressedAccuracy < r.control.compressedAccuracy; // usually true
 */
export function pieAccuracyBreakdown(input: PieAccuracyBreakdownInput, options: { seed?: number } = {}): PieAccuracyBreakdown {
  if (input === null || typeof input !== 'object') {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      'pieAccuracyBreakdown expects { labels, isPIE, baselineShareCorrect, compressedShareCorrect, baselineModal, compressedModal }.',
    );
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed))
    throw new PieAuditError('INVALID_ARGUMENT', `options.seed must be an integer; got ${String(seed)}.`, { name: 'options.seed' });
  const { labels, isPIE, baselineShareCorrect: sb, compressedShareCorrect: sk, baselineModal, compressedModal } = input;
  const n = labels.length;
  assertMinSamples(n, 1, 'labels', 'examples');
  assertLength(isPIE, n, 'isPIE', 'labels');
  assertShares(sb, n, 'baselineShareCorrect', 'labels');
  assertShares(sk, n, 'compressedShareCorrect', 'labels');
  assertLength(baselineModal, n, 'baselineModal', 'labels');
  assertLength(compressedModal, n, 'compressedModal', 'labels');
  const pie = new Uint8Array(n);
  let nPIEs = 0;
  let fixed = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const f = isPIE[i];
    if (f !== 1 && f !== true && f !== 0 && f !== false) {
      throw new PieAuditError('INVALID_ARGUMENT', `isPIE[${i}] is ${String(f)}; PIE flags must be 0/1 or false/true.`, {
        name: 'isPIE',
        index: i,
      });
    }
    if (f === 0 || f === false) continue;
    pie[i] = 1;
    nPIEs++;
    if (compressedModal[i] === labels[i]) fixed++;
    if (baselineModal[i] === labels[i]) kept++;
  }
  const control = new Uint8Array(n);
  const order = seededPermutation(n, mulberry32(seed));
  for (let j = 0; j < nPIEs; j++) control[order[j]] = 1;
  return {
    pies: subsetAccuracy(sb, sk, pie, 1),
    rest: subsetAccuracy(sb, sk, pie, 0),
    control: subsetAccuracy(sb, sk, control, 1),
    piesCompressedModalCorrect: fixed,
    piesBaselineModalCorrect: kept,
    seed,
  };
}

function subsetAccuracy(sb: ArrayLike<number>, sk: ArrayLike<number>, member: Uint8Array, want: number): SubsetAccuracy {
  let count = 0;
  let b = 0;
  let k = 0;
  for (let i = 0; i < member.length; i++) {
    if (member[i] !== want) continue;
    count++;
    b += sb[i];
    k += sk[i];
  }
  return { n: count, baselineAccuracy: count === 0 ? null : b / count, compressedAccuracy: count === 0 ? null : k / count };
}
