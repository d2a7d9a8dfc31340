import { assertClassCount } from './validate-labels.js';
import { assertPopulation } from './validate-population.js';
import { PieAuditError } from '../errors.js';
import { inferClassCount, modalLabels, type ModalTieBreak } from './modal-labels.js';

/** Options of {@link findPIEs}. */
export interface FindPIEsOptions {
  /** Tie rule for both modal labels (default `'max'`, as the authors' code). See {@link modalLabels}. */
  tieBreak?: ModalTieBreak;
  /** Number of classes; inferred from both populations as (largest label + 1) when omitted. */
  nClasses?: number;
}

/** Result of {@link findPIEs}. */
export interface PIEResult {
  /** 1 where example i is a Pruning Identified Exemplar, else 0. */
  isPIE: Uint8Array;
  /** Number of PIEs (the sum of `isPIE`). */
  count: number;
  /** `count / nExamples` (0 when there are no examples). */
  rate: number;
  /** Number of examples compared. */
  nExamples: number;
  /** Modal label of each example over the baseline population. */
  baselineModal: Uint16Array | Int32Array;
  /** Modal label of each example over the compressed population. */
  compressedModal: Uint16Array | Int32Array;
  /** Number of examples whose modal label was a tie, per population (resolved by `tieBreak`). */
  ties: { baseline: number; compressed: number };
  /** The number of classes used. */
  nClasses: number;
}

/**
 * Pruning Identified Exemplars (Hooker et al. 2019): example i is a PIE when the modal label of the
 * compressed population differs from the modal label of the baseline population. No true labels are needed.
 *
 * Each population is one label array per model, all of the same length; both populations must label the
 * same examples in the same order.
 *
 * @throws PieAuditError `EMPTY_POPULATION`, `LENGTH_MISMATCH` (models or populations differ in length),
 *   `LABEL_OUT_OF_RANGE`, `NON_FINITE`, `INVALID_ARGUMENT`
 * @example
 * const baseline = [Uint8Array.of(0, 1, 2), Uint8Array.of(0, 1, 2), Uint8Array.of(0, 1, 1)];
 * const compressed = [Uint8Array.of(0, 2, 2), Uint8Array.of(0, 2, 2), Uint8Array.of(0, 1, 2)];
 * const pies = findPIEs(baseline, compressed);
 * // pies.isPIE = Uint8Array [0, 1, 0], pies.count = 1, pies.rate = 1/3
 */
export function findPIEs(
  baselinePopulation: readonly ArrayLike<number>[],
  compressedPopulation: readonly ArrayLike<number>[],
  options: FindPIEsOptions = {},
): PIEResult {
  const nBaseline = assertPopulation(baselinePopulation, 'baselinePopulation');
  const nCompressed = assertPopulation(compressedPopulation, 'compressedPopulation');
  if (nBaseline !== nCompressed) {
    throw new PieAuditError(
      'LENGTH_MISMATCH',
      `compressedPopulation labels ${nCompressed} examples but baselinePopulation labels ${nBaseline}; both populations must be evaluated on the same examples in the same order.`,
      { name: 'compressedPopulation', actual: nCompressed, expected: nBaseline },
    );
  }
  let nClasses = options.nClasses;
  if (nClasses === undefined) {
    // One shared class count, so both modal-label arrays have the same type and meaning.
    nClasses = Math.max(
      inferClassCount(baselinePopulation, 'baselinePopulation'),
      inferClassCount(compressedPopulation, 'compressedPopulation'),
    );
  } else {
    assertClassCount(nClasses, 'options.nClasses');
  }
  const tieBreak = options.tieBreak ?? 'max';
  const baseline = modalLabels(baselinePopulation, { tieBreak, nClasses, name: 'baselinePopulation' });
  const compressed = modalLabels(compressedPopulation, { tieBreak, nClasses, name: 'compressedPopulation' });
  const a = baseline.labels;
  const b = compressed.labels;
  const isPIE = new Uint8Array(nBaseline);
  let count = 0;
  for (let i = 0; i < nBaseline; i++) {
    if (a[i] !== b[i]) {
      isPIE[i] = 1;
      count++;
    }
  }
  return {
    isPIE,
    count,
    rate: nBaseline === 0 ? 0 : count / nBaseline,
    nExamples: nBaseline,
    baselineModal: a,
    compressedModal: b,
    ties: { baseline: baseline.ties, compressed: compressed.ties },
    nClasses,
  };
}
