/**
 * The closed sets of words the API, the reports and the CLI share, as `as const` lists from which the
 * union types derive: one list to validate against, one to print in an error, one type.
 * @packageDocumentation
 */

/** Where a population's predictions may come from: `'auto'` prefers onnxruntime when it can run the model. */
export const RUNTIMES = ['auto', 'tfjs', 'onnx'] as const;
/** @see {@link RUNTIMES} */
export type EvaluationRuntime = (typeof RUNTIMES)[number];

/** Multiple-comparison corrections the audit applies to per-class p-values. */
export const AUDIT_CORRECTIONS = ['none', 'holm', 'bh'] as const;
/** @see {@link AUDIT_CORRECTIONS} */
export type AuditCorrection = (typeof AUDIT_CORRECTIONS)[number];

/** Every p-value adjustment `adjustPValues` knows (R's `p.adjust` names; `'bh'` is Benjamini-Hochberg). */
export const P_VALUE_CORRECTIONS = ['none', 'holm', 'bh', 'by', 'bonferroni', 'hochberg'] as const;
/** @see {@link P_VALUE_CORRECTIONS} */
export type PValueCorrection = (typeof P_VALUE_CORRECTIONS)[number];

/** How a tied modal vote is broken: `'max'` keeps the larger tied class index, `'min'` the smaller. */
export const MODAL_TIE_BREAKS = ['max', 'min'] as const;
/** @see {@link MODAL_TIE_BREAKS} */
export type ModalTieBreak = (typeof MODAL_TIE_BREAKS)[number];

/** Release verdicts; `'ungated'` when no gates were configured. */
export const VERDICTS = ['pass', 'fail', 'inconclusive', 'ungated'] as const;
/** @see {@link VERDICTS} */
export type Verdict = (typeof VERDICTS)[number];

/** Outcomes of one gate check. */
export const GATE_STATUSES = ['pass', 'fail', 'inconclusive'] as const;
/** @see {@link GATE_STATUSES} */
export type GateStatus = (typeof GATE_STATUSES)[number];

/** Why a section holds no results: `unavailable` (input missing, e.g. no labels), `inconclusive`
 * (too few models or samples to decide) or `not-applicable` (e.g. PIEs of the baseline level itself). */
export const SKIP_STATUSES = ['unavailable', 'inconclusive', 'not-applicable'] as const;
/** @see {@link SKIP_STATUSES} */
export type SkipStatus = (typeof SKIP_STATUSES)[number];

/** Files `writeReports` can write: report.json, report.md, report.html and the CSV tables. */
export const REPORT_FORMATS = ['json', 'md', 'html', 'csv'] as const;
/** @see {@link REPORT_FORMATS} */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * True when `value` is one of `list`: the type guard every validator of these words uses.
 *
 * @example
 * isOneOf(RUNTIMES, 'onnx'); // true
 */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
