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
import type { AuditCorrection, ModalTieBreak, NoiseFloorDesignOption, PopulationDesignKind, SkipStatus, Verdict } from './vocabulary.js';

export type { AuditCorrection, SkipStatus, Verdict } from './vocabulary.js';

/**
 * Current report schema version; bumped only for breaking changes of the layout.
 * @example
 * if (report.schemaVersion !== REPORT_SCHEMA_VERSION) throw new Error('re-run the audit');
 */
export const REPORT_SCHEMA_VERSION = 1 as const;

/**
 * A percentile bootstrap interval `[low, high]` over the test examples (see {@link BootstrapEcho}) beside its estimate;
 * `null` when intervals are off (`bootstrap.resamples: 0`) or the estimate itself is `null`.
 */
export type ConfidenceInterval = [number, number] | null;

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
  /**
   * Non-fatal remarks made while auditing (e.g. a class absent from the test set), power warnings first:
   * a population with fewer than 5 models, a level whose modal tie rate exceeds 5 %, a noise-floor test that
   * cannot reach alpha.
   */
  warnings: string[];
  /**
   * Sanity checks that fired, shown at the top of every report: identical members within or across levels, measured
   * sparsity far from a level's name, levels that look like percents, PIE counts that change with the tie rule.
   * Absent in reports written before they were checked.
   */
  sanityWarnings?: string[];
  /** How baseline and compressed models relate, which decides the noise floor's permutation design. */
  design: PopulationDesignEcho;
  /**
   * Wall time spent, in seconds; `latencySeconds` (timing the models, part of `analysisSeconds`) is absent in reports
   * written before pie-audit measured latency.
   */
  timings: { evaluationSeconds: number; analysisSeconds: number; totalSeconds: number; latencySeconds?: number };
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
  /** How many models of the whole population ran on each runtime (`tfjs`, `onnx`, `tflite`, `function`, `precomputed`). */
  runtimes: Record<string, number>;
  /** The machine latencies were measured on; absent in reports written before pie-audit measured latency. */
  machine?: MachineEcho;
}

/** The machine an audit ran on, as latencies need it named. */
export interface MachineEcho {
  /** CPU model as the operating system names it (`os.cpus()[0].model`), `'unknown'` when it does not. */
  cpuModel: string;
  /** Logical cores available to the process (`os.availableParallelism()`). */
  cores: number;
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
  /** Correction over classes (`'holm'` by default). */
  correction: AuditCorrection;
  /** Correction over attribute values (`'bh'` by default); absent in older reports (BH). */
  attributeCorrection?: AuditCorrection;
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
  /** Settings of the bootstrap intervals. */
  bootstrap: BootstrapEcho;
  /** Settings of the PIE noise floor (the permutation test of every level's PIE count). */
  noiseFloor: NoiseFloorEcho;
  /** Whether class probabilities were kept for top-5 accuracy and taxicab distances. */
  probabilities: boolean;
  /** How latency was measured; absent in reports written before pie-audit measured latency. */
  latency?: LatencyEcho;
}

/** Settings of the latency measurement (audit option `latency`). */
export interface LatencyEcho {
  /** Whether models that run here were timed (`false`: `latency: false` / `--no-latency`). */
  enabled: boolean;
  /** Timed runs per batch size after one warm-up run; the median is reported. */
  repeats: number;
  /** Most seconds spent timing, all levels together; levels left when it is spent say so. */
  maxSeconds: number;
}

/** Settings of the percentile bootstrap over test examples behind every `ci`. */
export interface BootstrapEcho {
  /** Resamples of the test examples; 0 means intervals are off (every `ci` is `null`). */
  resamples: number;
  /** Coverage of each interval, e.g. 0.95. */
  confidence: number;
  /** Seed of the resampling (the same resamples serve every level and estimate). */
  seed: number;
}

/** Settings of the PIE noise floor. */
export interface NoiseFloorEcho {
  /** The design asked for: `'auto'` pairs models by member id when it can. */
  design: NoiseFloorDesignOption;
  /** Every split is enumerated when the design has at most this many. */
  maxExactSplits: number;
  /** Seeded random splits otherwise. */
  draws: number;
  seed: number;
}

/** The population design the audit used (`'auto'` resolved). */
export interface PopulationDesignEcho {
  /** `'paired'`: compressed model i was made from baseline model i (same member id at every level); else `'independent'`. */
  design: PopulationDesignKind;
  /** Why, in plain words (e.g. `every compressed level holds exactly the baseline's member ids`). */
  reason: string;
  /** The member id each model was paired by, per level key (e.g. `seed-3`); `null` where a model has none. */
  memberIds: Record<string, Array<string | null>>;
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
  /** For image test sets: how each image became a model input (absent otherwise). */
  preprocess?: PreprocessSummary;
  /**
   * sha256 (hex) of the labels as audited, written as decimal integers one per line (`'3\n1\n4\n'`), `null` without
   * labels; two reports
   * with different hashes were not made on the same test set. Absent in reports written before it was recorded.
   */
  labelsHash?: string | null;
}

/** The preprocessing of an image test set, every default filled in (see docs/evaluation.md). */
export interface PreprocessSummary {
  /** `'torchvision'`, `'keras-inception'`, `'keras-mobilenet'`, or null for the explicit form. */
  preset: string | null;
  /** The shorter side (`resize: 'shorter'`) or `[height, width]` (`'exact'`). */
  size: number | [number, number];
  resize: 'shorter' | 'exact';
  /** Center crop `[height, width]`, or null. */
  crop: [number, number] | null;
  /** Each 0..255 pixel is multiplied by `scale`, then `(x - mean[c]) / std[c]`. */
  scale: number;
  mean: number[];
  std: number[];
  layout: 'nchw' | 'nhwc';
  channels: 1 | 3;
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
  /** Mean `storedWeightBytes` over models that report it (quantized levels), else `null`. */
  meanStoredWeightBytes: number | null;
  /**
   * Mean stored size in bytes over models that report it (see {@link ModelSummary.storedBytes}), else `null`.
   * Absent in reports written before pie-audit measured it.
   */
  meanStoredBytes?: number | null;
  /**
   * Milliseconds per example at batch 1 and at the audit's batch size: measured on one model of the level, or the
   * mean of what the members gave (`latencyMs`); skipped with the reason otherwise (latency off, predictions only,
   * the time cap spent). Absent in reports written before pie-audit measured latency.
   */
  latency?: Section<LevelLatency>;
  /** Examples whose modal label at this level was a tie broken by `tieBreak`. */
  modalTies: { count: number; rate: number };
  /** PIEs of this level against the baseline level; `not-applicable` for the baseline itself. */
  pies: Section<PieSummary>;
  /** Accuracy of the baseline population on this level's PIEs vs the other examples. */
  baselineAccuracyOnPies: Section<BaselineAccuracyOnPies>;
  /** Per-class Welch tests of normalised recall against the baseline level. */
  classImpact: Section<ClassImpactSummary>;
  /** Over-indexing of attribute values among this level's PIEs. */
  attributes: Section<AttributeOverIndexSummary>;
  /** Subgroup false positive / false negative rates and their change vs the baseline (binary tasks). */
  subgroups: Section<{ positiveClass: number; rows: SubgroupErrorRow[] }>;
  /** Up to `maxExemplars` PIEs, for inspection. */
  exemplars: PieExemplar[];
  /** Top-5 accuracy of every model (needs `probabilities: true`, labels and models that give class scores). */
  topK: Section<TopKAccuracySummary>;
  /** [H20]'s taxicab distance between the populations' mean probability vectors; `not-applicable` for the baseline. */
  taxicab: Section<TaxicabSummary>;
  /**
   * What this level's intervals (`ci`, `top1DropCi`, `rateCi`, class and group intervals) cover. Every new report
   * has it; a report saved before pie-audit recorded it lacks it (read as `'examples only'`).
   */
  intervals?: LevelIntervalSource;
  /**
   * One model per level (one baseline, one compressed model): the examples whose prediction changed and McNemar's
   * exact test of the change; `not-applicable` when either level has more than one model, and for the baseline.
   * Absent from reports saved before pie-audit tested flips.
   */
  flips?: Section<FlipSummary>;
  /**
   * Over-indexing among PIEs of intersections of attribute values (pairs by default), with a correction over the
   * whole family of intersections. Present only when the audit ran with `intersections`; `not-applicable` for the
   * baseline.
   */
  intersections?: Section<IntersectionOverIndexSummary>;
}

/**
 * Where an interval's uncertainty comes from. `'models and examples'`: the two-level bootstrap (models resampled
 * within each population, then test examples), covering what retraining the populations would give.
 * `'examples only'`: test examples resampled with the models held fixed, covering another test set for these models.
 */
export type IntervalSource = 'models and examples' | 'examples only';

/** The source of a level's intervals and why. */
export interface LevelIntervalSource {
  source: IntervalSource;
  /** Why, in plain words (e.g. `5 baseline and 5 compressed models: models resampled within each population`). */
  reason: string;
}

/** The flips between one baseline model and one compressed model (a level of one model each). */
export interface FlipSummary {
  /** Examples the baseline model got right and the compressed model wrong. */
  lost: number;
  /** Examples the baseline model got wrong and the compressed model right. */
  gained: number;
  /** Examples whose predicted label changed (the flips: lost, gained, or one wrong label for another). */
  changed: number;
  /** `changed / n`. */
  rate: number;
  /** McNemar's exact two-sided p of the top-1 change (binomial test of `gained` among `lost + gained` at 1/2). */
  p: number;
  alpha: number;
  /** `p < alpha`. */
  significant: boolean;
  /** `(lost - gained) / n`, equal to `accuracy.top1Drop`. */
  top1Drop: number;
  /** Newcombe's paired score interval of `top1Drop` (docs/methodology.md). */
  top1DropCi: ConfidenceInterval;
  /** Up to `maxExemplars` flips, for inspection (the same fields as PIE exemplars). */
  examples: PieExemplar[];
  /** What a population of seeds per level would add to these tests. */
  populationNote: string;
}

/** Top-k accuracy over a population. */
export interface TopKAccuracySummary {
  /** k (5, or the class count when smaller). */
  k: number;
  perModel: number[];
  mean: number;
}

/** The examples compression moved most, by the L1 distance between the two populations' mean probability vectors. */
export interface TaxicabSummary {
  /** Mean distance over the test set (each distance is in [0, 2]). */
  meanDistance: number;
  /** N: the top-N examples by distance counted below (N = the level's PIE count, at least 1). */
  topN: number;
  /** PIEs among the top N, and their share: near 1 when the examples compression moves most are its PIEs. */
  nPIEsInTopN: number;
  pieShareInTopN: number;
  /** The first `maxExemplars` of the top N, largest distance first (ties: smaller index first). */
  top: Array<{ index: number; distance: number; isPIE: boolean }>;
}

/** Inference latency of a level, in milliseconds per example. */
export interface LevelLatency {
  /** `'measured'`: timed here on one model of the level; `'given'`: the mean of the members' own `latencyMs`. */
  source: 'measured' | 'given';
  /** Milliseconds per example with one example per call. */
  batch1Ms: number;
  /** Milliseconds per example with `batchSize` examples per call, `null` when not measured or given. */
  batchMs: number | null;
  /** Examples per call of `batchMs` (the audit's batch size, at most the test set), `null` when unknown. */
  batchSize: number | null;
  /** What ran the model: `'onnx'`, `'tfjs-wasm'`, `'tfjs-cpu'`, `'tfjs-tensorflow'`, `'function'`; `null` when given. */
  runtime: string | null;
  /** Threads the runtime used (ONNX intra-op threads, wasm threads, 1 for tfjs-cpu), `null` when unknown. */
  threads: number | null;
  /** Timed calls per batch size after one warm-up call (each figure is their median), `null` when given. */
  repeats: number | null;
  /** Models the figures come from (1 when measured). */
  models: number;
  /**
   * The machine these figures were measured on, when it is not the report's `environment.machine`: the runner of a
   * distributed evaluate job (`plan` / `run-shard`, `audit --queue`). Absent when measured where the report was written.
   */
  machine?: MachineEcho;
}

/** One model of a level. */
export interface ModelSummary {
  /** Position within the level (0-based). */
  index: number;
  /** Identifier: the id given with the member, a file path as given (relative to the working folder when it lies
   * inside it), a model name, or `'<level>#<index>'`; `pie-audit audit` gives paths relative to the config file. */
  id: string;
  /** Top-1 accuracy, `null` without labels. */
  top1: number | null;
  /** Fraction of zero weights, `null` when unknown (e.g. predictions only). */
  sparsity: number | null;
  /** Size of the gzipped weights in bytes, `null` when unknown. */
  gzippedBytes: number | null;
  /** Bytes the weights take stored in a quantized level's format (int8: 1 per weight plus 4 per scale;
   * float16: 2 per weight), `null` for float32 models or when unknown. */
  storedWeightBytes: number | null;
  /**
   * Stored size in bytes: the model's files on disk (model.json with its weight shards, or the .onnx file); for a
   * tfjs model in memory, its weights as stored (`storedWeightBytes`, else 4 bytes per float32 weight); what the member
   * gave (`storedBytes`); `null` when unknown. Absent in reports written before pie-audit measured it.
   */
  storedBytes?: number | null;
  /** Latency the member gave with its predictions (`latencyMs`), in ms per example; absent when none was given. */
  latencyMs?: { batch1: number; batch: number | null };
  /** sha256 (hex) of the model's file content (a tfjs model.json with its weight shards, an .onnx or a predictions
   * file), so the report names what it audited without the path that held it; `null` for models not given as files. */
  contentHash?: string | null;
  /** Runtime that produced its predictions: `tfjs`, `onnx`, `tflite`, `function` or `precomputed`. */
  runtime: string;
  /** Why a faster runtime was not used, `null` when no fallback happened. */
  fallbackReason: string | null;
}

/** Top-1 accuracy over a population. */
export interface AccuracySummary {
  /** Per model, in order. */
  perModel: number[];
  mean: number;
  /** Bootstrap interval of `mean`. */
  ci: ConfidenceInterval;
  /** Baseline mean top-1 minus this level's (positive: compression lost accuracy); `null` for the baseline. */
  top1Drop: number | null;
  /** Bootstrap interval of `top1Drop` (both populations resampled with the same examples). */
  top1DropCi: ConfidenceInterval;
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
  /** Bootstrap interval of `rate` over test examples, models held fixed (retraining noise is `permutation`'s question). */
  rateCi: ConfidenceInterval;
  /** The seed-noise floor: the PIE count against re-splitting the pooled models (docs/methodology.md). */
  permutation: PieNoiseFloorSummary;
  /** PIEs per true class (length = classNames.length), `null` without labels. */
  byTrueClass: number[] | null;
  /** PIEs per baseline modal class (always available). */
  byBaselineModal: number[];
}

/**
 * The permutation test of a level's PIE count: every split of the pooled baseline and compressed models into two
 * sides (within pairs only under the paired design) gives a PIE count; the observed count is compared with them.
 */
export interface PieNoiseFloorSummary {
  /** `'inconclusive'` when the design cannot reach alpha (`minAchievableP > alpha`); `reason` says what would. */
  status: 'ok' | 'inconclusive';
  design: PopulationDesignKind;
  /** `'exact'`: every split; `'monteCarlo'`: `draws` seeded random splits plus the observed one. */
  method: 'exact' | 'monteCarlo';
  /** Splits evaluated, the observed one included. */
  splits: number;
  /** The level's PIE count (equals `pies.count`). */
  observed: number;
  /** Median and 95th percentile of the null split counts (linear quantiles). */
  nullMedian: number;
  nullP95: number;
  /** `observed - nullMedian`: PIEs beyond what re-splitting the same models gives. */
  excess: number;
  /** `excess / n`. */
  excessRate: number;
  /** Exact: share of splits with a count >= observed; Monte Carlo: (1 + draws >= observed) / (1 + draws). */
  p: number;
  /** Smallest p the design and method can give. */
  minAchievableP: number;
  /** `status === 'ok' && p <= alpha`. */
  significant: boolean;
  /**
   * The null splits other than the observed one as `[PIE count, splits]` pairs, ascending (at most one pair per
   * possible count): `maxExcessPieRate` shifts them by its threshold to test the excess against it. Absent in
   * reports written before it was recorded.
   */
  nullDistribution?: Array<[number, number]>;
  /** Why the test is inconclusive (naming how many models per level are needed); `null` when ok. */
  reason: string | null;
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
  /** Mean accuracy of this level's (compressed) models on its PIEs / on the other examples. */
  compressedOnPies: number | null;
  compressedOnNonPies: number | null;
  /** PIEs whose compressed modal label is the true label (compression "fixed" them). */
  compressedModalCorrectOnPies: number;
  /** The control: the same accuracies on a seeded random subset of `nPies` examples (PIEs are harder than chance when
   * `onPies` is well below `control.baselineOnSubset`); `null` when there are no PIEs. */
  control: { size: number; seed: number; baselineOnSubset: number; compressedOnSubset: number } | null;
}

/** The family a multiple-testing correction runs over, and what no correction costs. */
export interface TestFamily {
  /** Tests in the family the correction runs over (the tested classes, or every tested attribute value). Absent in
   * reports written before it was recorded. */
  familySize?: number;
  /** With correction `'none'`: `familySize × alpha`, the number of false positives expected when nothing changed;
   * `null` when a correction ran. */
  expectedFalsePositives?: number | null;
}

/** Attribute over-indexing of one level: one row per attribute value. */
export interface AttributeOverIndexSummary extends TestFamily {
  /** Correction across every tested value of every attribute (`'bh'` by default); absent in older reports (BH). */
  correction?: AuditCorrection;
  rows: AttributeOverIndexReportRow[];
}

/** Result of the per-class impact tests of one level. */
export interface ClassImpactSummary extends TestFamily {
  /**
   * `'welch'`: Welch tests of per-model normalised recall (populations of 2 or more models). `'mcnemar-exact'`:
   * one model per level, McNemar's exact test of each class's flips (raw recall; `t`, `df` are `null`). Absent
   * from reports saved before pie-audit had single-model tests (read as `'welch'`).
   */
  test?: 'welch' | 'mcnemar-exact';
  /** Significance level used. */
  alpha: number;
  correction: AuditCorrection;
  /** Classes significantly hurt (normalised recall lower at this level, adjusted p < alpha). */
  hurtClasses: number[];
  /** Classes significantly spared: they lost less recall than the model as a whole (normalised change > 0,
   * adjusted p < alpha). Their raw recall may still have fallen. */
  sparedClasses: number[];
  /** One row per class. */
  rows: ClassImpactReportRow[];
}

/** Reason of a class whose raw recall is one value in every model of both populations. */
export const CONSTANT_EQUAL_REASON = 'recall constant and equal in both populations: unchanged (p = 1)';
/** Reason of a class whose raw recall is constant within each population but differs between them. */
export const CONSTANT_DIFFERENT_REASON =
  'recall constant within each population but different between them: exact permutation p over the models';
/** Reason of such a class when too few models make even the most extreme split's exact p exceed alpha. */
export const CONSTANT_UNREACHABLE_REASON =
  'recall constant within each population but different between them: too few models for the exact permutation p to reach alpha';

/** Why a class could not be tested, or how a constant class was decided (printable as is). */
export type ClassImpactReason =
  | 'need at least 2 models per level'
  | 'class has no examples'
  | 'need at least 2 models with examples of this class per level'
  | typeof CONSTANT_EQUAL_REASON
  | typeof CONSTANT_DIFFERENT_REASON
  | typeof CONSTANT_UNREACHABLE_REASON;

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
  /** Two-sided p-value; `null` when inconclusive, except a constant class whose exact permutation p (shown) cannot
   * reach alpha. */
  p: number | null;
  /** p after the correction across the `ok` classes; `null` when inconclusive. */
  pAdjusted: number | null;
  /** `pAdjusted < alpha` (false when inconclusive). */
  significant: boolean;
  /** `'hurt'` (lost more recall than the model as a whole) / `'spared'` (lost less, or gained) when
   * significant, by the sign of the normalised change, else `'unchanged'`;
   * `null` when inconclusive. */
  direction: 'hurt' | 'spared' | 'unchanged' | null;
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
  /** `compressedMeanRecall - baselineMeanRecall` (negative: the class lost recall); `null` without examples. */
  rawRecallChange: number | null;
  /** Bootstrap interval of `rawRecallChange`. */
  rawRecallChangeCi: ConfidenceInterval;
  /** Bootstrap interval of `normalizedRecallChange`. */
  normalizedRecallChangeCi: ConfidenceInterval;
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
  /** Adjusted p across all testable values of all attributes (Benjamini-Hochberg by default); `null` when inconclusive. */
  pAdjusted: number | null;
  /** `pAdjusted < alpha`. */
  significant: boolean;
  status: 'ok' | 'inconclusive';
  /** Why the row is inconclusive; `null` otherwise. */
  reason: string | null;
}

/** One intersection of attribute values (e.g. `Male=-1 & Young=1`), tested as an {@link AttributeOverIndexRow}. */
export interface IntersectionOverIndexRow extends AttributeOverIndexRow {
  /** The attributes joined, in the order given (`attribute` is them joined by ' & '). */
  attributes: string[];
  /** Their values, one per attribute (`value` reads `Male=-1 & Young=1`). */
  values: string[];
}

/** Over-indexing of intersections of attribute values among a level's PIEs (audit option `intersections`). */
export interface IntersectionOverIndexSummary extends TestFamily {
  /** Largest number of attributes joined (2: pairs). */
  maxOrder: number;
  /** Fewest examples an intersection needed to be tested. */
  minSupport: number;
  /** Intersections with fewer examples: not tested and outside the family. */
  belowSupport: number;
  /** Correction over every tested intersection (the audit's `attributeCorrection`, `'bh'` by default). */
  correction: AuditCorrection;
  rows: IntersectionOverIndexRow[];
}

/** An {@link AttributeOverIndexRow} in a report, with the interval of its ratio. */
export interface AttributeOverIndexReportRow extends AttributeOverIndexRow {
  /** Bootstrap interval of `overIndexRatio` (PIE flags held fixed, examples resampled). */
  overIndexRatioCi: ConfidenceInterval;
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
  /** Bootstrap intervals of the rates and their changes. */
  baselineFprCi: ConfidenceInterval;
  compressedFprCi: ConfidenceInterval;
  baselineFnrCi: ConfidenceInterval;
  compressedFnrCi: ConfidenceInterval;
  fprChangeCi: ConfidenceInterval;
  fnrChangeCi: ConfidenceInterval;
  /** The same change over every test example outside the group. */
  restFprChange: number | null;
  restFnrChange: number | null;
  /** `fprChange - restFprChange`: the disparity (degradation shared by every group is no gap). */
  fprGap: number | null;
  fnrGap: number | null;
  fprGapCi: ConfidenceInterval;
  fnrGapCi: ConfidenceInterval;
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
