/**
 * The AuditReport: the complete, JSON-serialisable result of {@link auditCompression}.
 *
 * Rules every field follows, so a report survives `JSON.stringify` / `JSON.parse` unchanged:
 * - only plain objects, arrays, strings, finite numbers, booleans and `null` (no typed arrays,
 *   no `NaN`, no `Infinity`, no `undefined`): a number that cannot be computed is `null`, and the
 *   section or row that holds it says why in a `reason` string;
 * - rates and accuracies are fractions in 0..1;
 * - class indices are 0-based and index into {@link AuditReport.classNames};
 * - levels are identified by string keys (`'0'`, `'0.3'`, `'int8'`), kept in the order the
 *   population was given, the baseline level first.
 *
 * Every field is described in docs/report-schema.md.
 * @packageDocumentation
 */
import type { GateEvaluation, GatesConfig } from './gates.js';
import type { AuditCorrection, ModalTieBreak, SkipStatus, Verdict } from './vocabulary.js';

export type { AuditCorrection, SkipStatus, Verdict } from './vocabulary.js';

/**
 * Current report schema version; bumped only for breaking changes of the layout.
 * @example
 * if (report.schemaVersion !== REPORT_SCHEMA_VERSION) throw new Error('re-run the audit');
 */
export const REPORT_SCHEMA_VERSION = 1 as const;

/** A section that could not be computed, with the reason in plain words. */
export interface SkippedSection {
  status: SkipStatus;
  reason: string;
}

/** A report section: either computed (`status: 'ok'` plus its fields) or skipped with a reason. */
export type Section<T> = ({ status: 'ok' } & T) | SkippedSection;

/** Process exit codes used by gates and the CLI: 0 pass (or ungated), 1 a gate failed,
 * 2 usage/config/input error, 3 inconclusive. */
export type ExitCode = 0 | 1 | 2 | 3;

/** The top-level report. */
export interface AuditReport {
  /** Always 1 for this layout. */
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** ISO 8601 UTC time the report was produced. */
  generatedAt: string;
  environment: AuditEnvironment;
  config: AuditConfigEcho;
  testSet: TestSetSummary;
  /** Display name of every class; `classNames.length` is the number of classes. */
  classNames: string[];
  /** Key of the baseline level (also `config.baseline`). */
  baselineLevel: string;
  /** One entry per level, baseline first, then in the order given. */
  levels: LevelReport[];
  /** Gate evaluation; `null` when no gates were configured. */
  gates: GateEvaluation | null;
  /** Release verdict (same as `gates.verdict`, or `'ungated'`). */
  verdict: Verdict;
  /** Exit code matching the verdict (0, 1 or 3). */
  exitCode: ExitCode;
  /** Non-fatal remarks made while auditing (e.g. a class absent from the test set). */
  warnings: string[];
  /** Wall time spent, in seconds. */
  timings: { evaluationSeconds: number; analysisSeconds: number; totalSeconds: number };
}

/** Where and with what the report was made. */
export interface AuditEnvironment {
  /** pie-audit version (from package.json). */
  pieAuditVersion: string;
  /** `process.version`, e.g. `'v20.19.0'`. */
  nodeVersion: string;
  /** `process.platform` and `process.arch`. */
  platform: string;
  arch: string;
  /** TensorFlow.js backend used to run models, `null` when every model was given as predictions. */
  backend: BackendEcho | null;
  /** How many models of the whole population ran on each runtime (`tfjs`, `onnx`, `function`, `precomputed`). */
  runtimes: Record<string, number>;
}

/** TensorFlow.js backend description. */
export interface BackendEcho {
  /** Backend name, e.g. `'wasm'`, `'cpu'`, `'tensorflow'`. */
  name: string;
  /** Further facts the engine reports (SIMD, threads, tfjs version), as strings/numbers/booleans. */
  details: Record<string, string | number | boolean | null>;
}

/** The audit options as they were applied (after defaults). */
export interface AuditConfigEcho {
  /** Significance level of the per-class tests. */
  alpha: number;
  correction: AuditCorrection;
  /** How a tied modal vote is broken: `'max'` keeps the larger tied class index, `'min'` the smaller. */
  tieBreak: ModalTieBreak;
  /** Baseline level key. */
  baseline: string;
  /** Level keys in report order. */
  levels: string[];
  /** Positive class index for subgroup FPR/FNR, `null` when the task is not binary or none was set. */
  positiveClass: number | null;
  /** Seed used for any random choice (exemplar sampling), `null` when none was needed. */
  seed: number | null;
  /** Most PIE exemplars listed per level. */
  maxExemplars: number;
  /** Gate thresholds as given, `null` when none. */
  gates: GatesConfig | null;
}

/** Facts about the evaluation data. */
export interface TestSetSummary {
  /** Number of test examples. */
  n: number;
  /** Shape of one input (e.g. `[28, 28, 1]`), `null` when only predictions were given. */
  inputShape: number[] | null;
  /** Whether true labels were given (accuracy, per-class tests and subgroup rates need them). */
  hasLabels: boolean;
  /** Examples per true class (length = classNames.length), `null` without labels. */
  labelCounts: number[] | null;
  /** Names of the group attributes given (e.g. `['Blond_Hair', 'Male']`). */
  attributeNames: string[];
}

/** Everything measured for one level of the population. */
export interface LevelReport {
  /** Level key, e.g. `'0'`, `'0.9'`, `'int8'`. */
  key: string;
  /** True for the baseline level. */
  isBaseline: boolean;
  /** The key read as a number when it is one (a target sparsity), else `null`. */
  numericLevel: number | null;
  /** Number of models at this level. */
  populationSize: number;
  /** One row per model, in the order given. */
  models: ModelSummary[];
  /** Top-1 accuracy over the population's models. */
  accuracy: Section<AccuracySummary>;
  /** Mean measured sparsity (fraction of zero weights) over models that report it, else `null`. */
  meanSparsity: number | null;
  /** Mean gzipped weight size in bytes over models that report it, else `null`. */
  meanGzippedBytes: number | null;
  /** Examples whose modal label at this level was a tie broken by `tieBreak`. */
  modalTies: { count: number; rate: number };
  /** PIEs of this level against the baseline level; `not-applicable` for the baseline itself. */
  pies: Section<PieSummary>;
  /** Accuracy of the baseline population on this level's PIEs vs the other examples. */
  baselineAccuracyOnPies: Section<BaselineAccuracyOnPies>;
  /** Per-class Welch tests of normalised recall against the baseline level. */
  classImpact: Section<ClassImpactSummary>;
  /** Over-indexing of attribute values among this level's PIEs. */
  attributes: Section<{ rows: AttributeOverIndexRow[] }>;
  /** Subgroup false positive / false negative rates and their change vs the baseline (binary tasks). */
  subgroups: Section<{ positiveClass: number; rows: SubgroupErrorRow[] }>;
  /** Up to `maxExemplars` PIEs, for inspection. */
  exemplars: PieExemplar[];
}

/** One model of a level. */
export interface ModelSummary {
  /** Position within the level (0-based). */
  index: number;
  /** Identifier: file path, model name, or `'<level>#<index>'`. */
  id: string;
  /** Top-1 accuracy, `null` without labels. */
  top1: number | null;
  /** Fraction of zero weights, `null` when unknown (e.g. predictions only). */
  sparsity: number | null;
  /** Size of the gzipped weights in bytes, `null` when unknown. */
  gzippedBytes: number | null;
  /** Runtime that produced its predictions: `tfjs`, `onnx`, `function` or `precomputed`. */
  runtime: string;
  /** Why a faster runtime was not used, `null` when no fallback happened. */
  fallbackReason: string | null;
}

/** Top-1 accuracy over a population. */
export interface AccuracySummary {
  /** Per model, in order. */
  perModel: number[];
  mean: number;
  /** Sample standard deviation (n - 1), `null` for a single model. */
  sd: number | null;
  min: number;
  max: number;
}

/** Pruning Identified Exemplars of one level. */
export interface PieSummary {
  /** Number of PIEs: examples whose modal label differs from the baseline modal label. */
  count: number;
  /** count / number of test examples. */
  rate: number;
  /** PIEs per true class (length = classNames.length), `null` without labels. */
  byTrueClass: number[] | null;
  /** PIEs per baseline modal class (always available). */
  byBaselineModal: number[];
}

/** Top-1 accuracy of the baseline population (mean over its models) on PIEs vs non-PIEs. */
export interface BaselineAccuracyOnPies {
  /** Mean accuracy of baseline models on this level's PIEs, `null` when there are none. */
  onPies: number | null;
  /** Mean accuracy of baseline models on the other examples, `null` when there are none. */
  onNonPies: number | null;
  /** Accuracy of the baseline modal label on PIEs / non-PIEs. */
  modalOnPies: number | null;
  modalOnNonPies: number | null;
  nPies: number;
  nNonPies: number;
}

/** Result of the per-class impact tests of one level. */
export interface ClassImpactSummary {
  /** Significance level used. */
  alpha: number;
  correction: AuditCorrection;
  /** Classes significantly hurt (normalised recall lower at this level, adjusted p < alpha). */
  hurtClasses: number[];
  /** Classes significantly helped. */
  helpedClasses: number[];
  /** One row per class. */
  rows: ClassImpactReportRow[];
}

/** Reason of a class whose raw recall is one value in every model of both populations. */
export const CONSTANT_EQUAL_REASON = 'recall constant and equal in both populations: unchanged (p = 1)';
/** Reason of a class whose raw recall is constant within each population but differs between them. */
export const CONSTANT_DIFFERENT_REASON = 'recall constant within each population but different between them: an exact difference (p = 0)';

/** Why a class could not be tested, or how a constant class was decided (printable as is). */
export type ClassImpactReason =
  | 'need at least 2 models per level'
  | 'class has no examples'
  | 'need at least 2 models with examples of this class per level'
  | typeof CONSTANT_EQUAL_REASON
  | typeof CONSTANT_DIFFERENT_REASON;

/**
 * Welch test of one class's normalised recall, baseline level vs a compressed level: the row
 * `classImpactTest` returns, and (with {@link ClassImpactReportRow}'s name and support) the report's row.
 */
export interface ClassImpactRow {
  classIndex: number;
  /** Mean raw recall over the baseline / compressed models (`null` when the class has no examples). */
  baselineMeanRecall: number | null;
  compressedMeanRecall: number | null;
  /** Mean over the population's models of (class recall - the population's mean top-1 accuracy). */
  baselineNormalizedRecall: number | null;
  compressedNormalizedRecall: number | null;
  /**
   * `compressedNormalizedRecall - baselineNormalizedRecall`, a fraction (x100 for percentage points): the
   * change in recall beyond the change in overall accuracy. Negative: compression cost this class more
   * recall than it cost the model overall.
   */
  normalizedRecallChange: number | null;
  /** Welch t statistic (compressed minus baseline); `null` when inconclusive or degenerate. */
  t: number | null;
  /** Welch-Satterthwaite degrees of freedom; `null` when inconclusive or degenerate. */
  df: number | null;
  /** Two-sided p-value; `null` when inconclusive. */
  p: number | null;
  /** p after the correction across the `ok` classes; `null` when inconclusive. */
  pAdjusted: number | null;
  /** `pAdjusted < alpha` (false when inconclusive). */
  significant: boolean;
  /** `'hurt'` / `'helped'` when significant (by the sign of the normalised change), else `'unchanged'`;
   * `null` when inconclusive. */
  direction: 'hurt' | 'helped' | 'unchanged' | null;
  /** `'ok'` when tested, `'inconclusive'` when the data cannot support a test (see `reason`). */
  status: 'ok' | 'inconclusive';
  /** Why the class is inconclusive, or how a constant class was decided (printable as is); `null` otherwise. */
  reason: ClassImpactReason | null;
  /** True when raw recall was constant within both populations (decided without a t statistic; see docs/methodology.md). */
  degenerate: boolean;
  /** Models entering the test per population (those with examples of the class). */
  nBaseline: number;
  nCompressed: number;
}

/** A {@link ClassImpactRow} in a report: the same fields, plus the class's name and test support. */
export interface ClassImpactReportRow extends ClassImpactRow {
  className: string;
  /** Test examples of this class. */
  support: number;
}

/**
 * How one attribute value is represented among PIEs compared with the whole test set: the row
 * `attributeOverIndex` returns and the report holds.
 */
export interface AttributeOverIndexRow {
  /** Attribute name, e.g. `'Blond_Hair'`. */
  attribute: string;
  /** The attribute value as a string (e.g. `'1'`, `'-1'`, `'Female'`). */
  value: string;
  /** PIEs with this value. */
  countAmongPIEs: number;
  /** PIEs whose attribute is recorded (not null). */
  nPIEs: number;
  /** Examples with this value. */
  countOverall: number;
  /** Examples whose attribute is recorded. */
  nOverall: number;
  /** Examples left out because this attribute is null/undefined for them. */
  nMissing: number;
  /** `countAmongPIEs / nPIEs`; `null` when there are no PIEs. */
  shareAmongPIEs: number | null;
  /** `countOverall / nOverall`. */
  shareOverall: number;
  /** `shareAmongPIEs / shareOverall`: > 1 means over-represented among PIEs; `null` without PIEs. */
  overIndexRatio: number | null;
  /** `shareAmongPIEs - shareOverall`, a fraction; `null` when there are no PIEs. */
  shareDifference: number | null;
  /** Conditional maximum-likelihood odds ratio of the 2x2 table (R's `fisher.test` estimate); `null` when
   * inconclusive. Infinite with a zero cell: `Infinity` from `attributeOverIndex`, `null` in a report. */
  oddsRatio: number | null;
  /** Fisher's exact two-sided p-value; `null` when inconclusive. */
  p: number | null;
  /** Benjamini-Hochberg adjusted p across all testable values of all attributes; `null` when inconclusive. */
  pAdjusted: number | null;
  /** `pAdjusted < alpha`. */
  significant: boolean;
  status: 'ok' | 'inconclusive';
  /** Why the row is inconclusive; `null` otherwise. */
  reason: string | null;
}

/** False positive / false negative rates of one group, baseline vs this level. */
export interface SubgroupErrorRow {
  attribute: string;
  value: string;
  /** Examples in the group, how many are truly positive / negative. */
  n: number;
  positives: number;
  negatives: number;
  /** Mean over models of each population; `null` when the group has no negatives (FPR) or positives (FNR). */
  baselineFpr: number | null;
  compressedFpr: number | null;
  baselineFnr: number | null;
  compressedFnr: number | null;
  /** compressed - baseline. */
  fprChange: number | null;
  fnrChange: number | null;
  /** Welch test p-values of the per-model rates, `null` when fewer than 2 models per level. */
  fprPValue: number | null;
  fnrPValue: number | null;
}

/** One Pruning Identified Exemplar. */
export interface PieExemplar {
  /** Row index in the test set. */
  index: number;
  baselineModal: number;
  compressedModal: number;
  /** True class, `null` without labels. */
  trueLabel: number | null;
  /** Fraction of baseline / compressed models voting for their modal label. */
  baselineAgreement: number;
  compressedAgreement: number;
  /** PNG data URI of the input when it is an image, else `null`. */
  thumbnail: string | null;
}
