/**
 * pie-audit: audit compressed neural networks for what compression makes them forget.
 *
 * The root entry holds what an audit needs, start to end: build or load a population, compress models,
 * evaluate them, audit, write and gate the report, and the report's types. Everything else lives in a
 * subpath named for its stage:
 * - `pie-audit/analysis`: the pure statistics core (no TensorFlow.js): PIEs, class tests, intervals, special functions;
 * - `pie-audit/compress`: every pruning and quantization building block (schedules, masks, layers) and the ONNX exporter;
 * - `pie-audit/data`: every data reader and codec (MNIST, churn, CelebA, CSV, IDX, NPY, morphometrics);
 * - `pie-audit/evaluate`: predictors, prediction-file parsers, ONNX runtime sessions, cache keys;
 * - `pie-audit/report`: each renderer on its own (Markdown, HTML, CSV, JUnit, Arrow, SVG charts), level keys, word lists;
 * - `pie-audit/distribute`: plans, shards, merges, local workers and the BullMQ queue.
 *
 * This list is explicit on purpose: a new export here is a reviewed change (see etc/api/).
 * @packageDocumentation
 */

// Errors
export { PieAuditError, isPieAuditError, type PieAuditErrorCode } from './errors.js';

// Audit
export { auditCompression, runAudit, prepareAudit, populationMembers } from './audit/index.js';
export type {
  AuditOptions,
  AuditTestSet,
  AuditProgress,
  PopulationMember,
  AttributeValues,
  AuditBootstrapOptions,
  AuditNoiseFloorOptions,
  AuditIntersectionOptions,
  AuditLatencyOptions,
  AuditResult,
  PreparedAudit,
  PreparedMember,
  MemberKind,
} from './audit/index.js';

// Reports
export { writeReports, loadReport, renderMarkdown, renderHtml, writeTensorBoard } from './report/index.js';
export type {
  WriteReportsOptions,
  RenderHtmlOptions,
  RenderMarkdownOptions,
  PieTable,
  PieTableRow,
  TensorBoardStepUnit,
} from './report/index.js';
export { REPORT_SCHEMA_VERSION } from './schema/report.js';
export type {
  AuditReport,
  AuditEnvironment,
  BackendEcho,
  MachineEcho,
  AuditConfigEcho,
  LatencyEcho,
  BootstrapEcho,
  NoiseFloorEcho,
  PopulationDesignEcho,
  TestSetSummary,
  LevelReport,
  TopKAccuracySummary,
  TaxicabSummary,
  LevelLatency,
  ModelSummary,
  AccuracySummary,
  PieSummary,
  PieNoiseFloorSummary,
  BaselineAccuracyOnPies,
  ClassImpactSummary,
  ClassImpactReason,
  ClassImpactRow,
  ClassImpactReportRow,
  AttributeOverIndexRow,
  AttributeOverIndexReportRow,
  IntersectionOverIndexRow,
  IntersectionOverIndexSummary,
  SubgroupErrorRow,
  PieExemplar,
  ConfidenceInterval,
  SkippedSection,
  Section,
  ExitCode,
} from './schema/report.js';
export type {
  AuditCorrection,
  EvaluationRuntime,
  GateDecision,
  GateStatus,
  ModalTieBreak,
  NoiseFloorDesignOption,
  PopulationDesignKind,
  PValueCorrection,
  ReportFormat,
  SkipStatus,
  Verdict,
} from './schema/vocabulary.js';

// Gates
export { evaluateGates, verdictExitCode, validateGatesConfig, type GateContext } from './gate/index.js';
export type { GatesConfig, ClassThresholds, GateWaiver, AttributeGate, GateEvaluation, GateResult } from './schema/gates.js';

// Populations
export {
  buildPopulation,
  addQuantizedLevels,
  savePopulation,
  loadPopulation,
  scanPopulationFolder,
  disposePopulation,
} from './population/index.js';
export type {
  BuildPopulationOptions,
  PopulationFineTune,
  PopulationFromScratch,
  PopulationProgress,
  PopulationScheduleKind,
  Population,
  PopulationManifest,
  PopulationDesign,
  PopulationVariant,
  QuantizedLevelName,
  GradualSteps,
  PopulationScan,
  ScannedLevel,
  ScannedMember,
  ScanOptions,
} from './population/index.js';

// Evaluation
export { evaluatePopulation, predictionsOf, probabilitiesOf, createPredictor, loadPredictions } from './evaluate/index.js';
export type {
  ModelSource,
  TestSet,
  EvaluatePopulationOptions,
  EvaluationProgress,
  PopulationPredictions,
  PerModelEvaluation,
  PredictFunctionSource,
  PrecomputedPredictionsSource,
  PrecomputedProbabilitiesSource,
  DeferredProbabilitiesSource,
  PredictionsFileSource,
  PredictionsFileFormat,
  Predictor,
  SourcePredictor,
  CreatePredictorOptions,
  LoadedPredictions,
  CsvPredictionsOptions,
} from './evaluate/index.js';

// Backends and model files
export {
  initBackend,
  getBackendInfo,
  saveLayersModel,
  loadLayersModelFromFile,
  loadGraphModelFromFile,
  loadKerasModel,
  fileSystemIO,
  registerWasmGradientKernels,
} from './engine/index.js';
export type { BackendInfo, BackendRequest, InitBackendOptions, FileSystemIOOptions, LoadKerasModelOptions } from './engine/index.js';

// Compression (the building blocks: pie-audit/compress)
export {
  pruneLowMagnitude,
  pruneOneShot,
  polynomialDecay,
  constantSparsity,
  fineTunePruned,
  stripPruning,
  compressionStats,
  quantizeModel,
  quantizeWeights,
} from './compress/index.js';
export type {
  PrunedModel,
  PruneLowMagnitudeOptions,
  PruneOneShotOptions,
  OneShotPruningResult,
  PruningSchedule,
  PolynomialDecayOptions,
  ConstantSparsityOptions,
  FineTuneOptions,
  FineTuneResult,
  BatchEndInfo,
  TrainingData,
  CompressionStats,
  WeightStats,
  QuantizeModelMode,
  QuantizeModelOptions,
  QuantizedModel,
  ActivationQuantization,
  RepresentativeData,
  QuantizationMode,
  QuantizationResult,
  QuantizedWeightReport,
} from './compress/index.js';
export { exportLayersModelToOnnx, onnxSupport } from './onnx/index.js';
export type { OnnxExportOptions, OnnxSupport, OnnxUnsupportedLayer } from './onnx/index.js';

// Data (every reader and codec: pie-audit/data)
export {
  loadMnist,
  loadChurn,
  standardizeColumns,
  readCelebaAttributes,
  readCelebaPartition,
  selectCelebaSplit,
  measureDigits,
  morphoGroups,
  longTailIndices,
  takeRows,
  encodeNpy,
  parseNpy,
} from './data/index.js';
export type {
  MnistSplit,
  ChurnData,
  CelebaAttributes,
  CelebaPartition,
  DigitMorphometrics,
  MeasureDigitsOptions,
  MorphoGroupsOptions,
  NpyArray,
  Preprocess,
  PreprocessSpec,
  ImageSource,
  ImageTestSet,
} from './data/index.js';

// Comparing two audits (pie-audit diff)
export { compareAudits, loadAuditForDiff, writeDiff } from './compare/index.js';
export type {
  CompareAuditsOptions,
  AuditForDiff,
  AuditDiff,
  AuditSide,
  DiffFinding,
  DiffGateEvaluation,
  DiffGatesConfig,
  LevelDiff,
  MeasureChange,
  OverIndexChange,
  PieOverlap,
  PieSets,
} from './compare/index.js';
