import { PieAuditError } from '../errors.js';
import { findPIEs } from './find-pies.js';
import type { ModalTieBreak } from './modal-labels.js';

/** One Pruning Identified Exemplar with both populations' answers. */
export interface PieRecord {
  /** Row index in the test set. */
  index: number;
  baselineModal: number;
  compressedModal: number;
  /** Fraction of baseline / compressed models voting for their modal label. */
  baselineShare: number;
  compressedShare: number;
  /** True class, `null` without labels. */
  trueLabel: number | null;
  /** Whether each modal label is the true label, `null` without labels. */
  baselineCorrect: boolean | null;
  compressedCorrect: boolean | null;
}

/** Options of {@link listPies}. */
export interface ListPiesOptions {
  /** True labels, one per example (optional). */
  labels?: ArrayLike<number> | null;
  /** Tie rule of both modal labels (default `'max'`). */
  tieBreak?: ModalTieBreak;
  /** Number of classes; inferred when omitted. */
  nClasses?: number;
}

function share(population: readonly ArrayLike<number>[], i: number, label: number): number {
  let votes = 0;
  for (const preds of population) if (preds[i] === label) votes++;
  return votes / population.length;
}

/**
 * Every PIE of a compressed population against the baseline population, in test-set order: both modal
 * labels, each side's vote share, the true label and whether each modal label is right. The same PIEs as
 * {@link findPIEs} (same tie rule), listed in full for review rather than summarised.
 *
 * @throws PieAuditError `LENGTH_MISMATCH` when `labels` does not have one entry per example, and whatever
 *   {@link findPIEs} throws for malformed populations.
 * @example
 * const rows = listPies([Uint8Array.of(0, 1), Uint8Array.of(0, 1)], [Uint8Array.of(0, 2), Uint8Array.of(0, 2)], { labels: [0, 1] });
 * // [{ index: 1, baselineModal: 1, compressedModal: 2, baselineShare: 1, compressedShare: 1, trueLabel: 1,
 * //    baselineCorrect: true, compressedCorrect: false }]
 */
export function listPies(
  baseline: readonly ArrayLike<number>[],
  compressed: readonly ArrayLike<number>[],
  options: ListPiesOptions = {},
): PieRecord[] {
  const found = findPIEs(baseline, compressed, { tieBreak: options.tieBreak, nClasses: options.nClasses });
  const labels = options.labels ?? null;
  if (labels && labels.length !== found.nExamples) {
    throw new PieAuditError(
      'LENGTH_MISMATCH',
      `listPies: options.labels has ${labels.length} entries for ${found.nExamples} examples; give one label per example.`,
      {
        name: 'options.labels',
        actual: labels.length,
        expected: found.nExamples,
      },
    );
  }
  const rows: PieRecord[] = [];
  for (let i = 0; i < found.nExamples; i++) {
    if (!found.isPIE[i]) continue;
    const b = found.baselineModal[i];
    const c = found.compressedModal[i];
    const truth = labels ? labels[i] : null;
    rows.push({
      index: i,
      baselineModal: b,
      compressedModal: c,
      baselineShare: share(baseline, i, b),
      compressedShare: share(compressed, i, c),
      trueLabel: truth,
      baselineCorrect: truth === null ? null : b === truth,
      compressedCorrect: truth === null ? null : c === truth,
    });
  }
  return rows;
}
