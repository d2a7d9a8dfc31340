// Row types are re-exported under report-specific names: the statistics core has its own
// ClassImpactRow / AttributeOverIndexRow (inputs to the report, with different fields).
export { REPORT_SCHEMA_VERSION } from '../schema/index.js';
export type {
  AuditReport,
  AuditEnvironment,
  BackendEcho,
  AuditConfigEcho,
  AuditCorrection,
  TestSetSummary,
  LevelReport,
  ModelSummary,
  AccuracySummary,
  PieSummary,
  BaselineAccuracyOnPies,
  ClassImpactSummary,
  ClassImpactRow as ReportClassImpactRow,
  AttributeOverIndexRow as ReportAttributeOverIndexRow,
  SubgroupErrorRow,
  PieExemplar,
  GateEvaluation,
  GateResult,
  Section,
  SkippedSection,
  SkipStatus,
  Verdict,
  ExitCode,
} from '../schema/index.js';
export { auditCompression } from './audit-compression.js';
export type { AuditOptions, AuditTestSet, AuditProgress, PopulationMember, AttributeValues } from './audit-options.js';
