import type { AuditReport, LevelReport, PieExemplar } from '../../schema/index.js';

/** What a PIE did to the answer: the baseline modal label right and the compressed one wrong (`forgotten`),
 * the reverse (`fixed`), neither right (`both wrong`), or unknown without true labels. */
export type PieKind = 'forgotten' | 'fixed' | 'both wrong' | 'unlabelled';

/** The kinds in the order a reviewer reads them. */
export const PIE_KINDS: readonly PieKind[] = ['forgotten', 'fixed', 'both wrong', 'unlabelled'];

/**
 * The kind of one PIE from its two modal labels and its true label.
 *
 * @example
 * pieKind(3, 5, 3); // 'forgotten'
 */
export function pieKind(baselineModal: number, compressedModal: number, trueLabel: number | null): PieKind {
  if (trueLabel === null) return 'unlabelled';
  if (baselineModal === trueLabel) return 'forgotten';
  return compressedModal === trueLabel ? 'fixed' : 'both wrong';
}

/**
 * A level's exemplars in the order every format shows them: forgotten first, then fixed, then both wrong,
 * each by test-set index.
 *
 * @example
 * orderedExemplars(level)[0]; // a forgotten PIE when the level has one
 */
export function orderedExemplars(level: Pick<LevelReport, 'exemplars'>): PieExemplar[] {
  const rank = (e: PieExemplar): number => PIE_KINDS.indexOf(pieKind(e.baselineModal, e.compressedModal, e.trueLabel));
  return [...(level.exemplars ?? [])].sort((a, b) => rank(a) - rank(b) || a.index - b.index);
}

/**
 * Compressed levels that have exemplars, with them in display order.
 *
 * @example
 * exemplarLevels(report).map((x) => x.level.key); // ['0.5', '0.9']
 */
export function exemplarLevels(report: AuditReport): Array<{ level: LevelReport; exemplars: PieExemplar[] }> {
  return report.levels.filter((l) => !l.isBaseline && l.exemplars?.length).map((level) => ({ level, exemplars: orderedExemplars(level) }));
}
