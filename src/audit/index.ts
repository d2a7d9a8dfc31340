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
  ClassImpactRow,
  AttributeOverIndexRow,
  SubgroupErrorRow,
  PieExemplar,
  GateEvaluation,
  GateResult,
  Section,
  SkippedSection,
  SkipStatus,
  Verdict,
  ExitCode,
  ConfidenceInterval,
  PieNoiseFloorSummary,
  BootstrapEcho,
  NoiseFloorEcho,
  PopulationDesignEcho,
  ClassImpactReportRow,
  AttributeOverIndexReportRow,
  TopKAccuracySummary,
  TaxicabSummary,
} from '../schema/index.js';
export { auditCompression, runAudit } from './audit-compression.js';
export { prepareAudit, type PreparedAudit, type PreparedMember, type MemberKind } from './prepare-audit.js';
export type { AuditResult } from '../report/audit-result.js';
export type {
  AuditOptions,
  AuditTestSet,
  AuditProgress,
  PopulationMember,
  AttributeValues,
  AuditBootstrapOptions,
  AuditNoiseFloorOptions,
  AuditIntersectionOptions,
} from './audit-options.js';
export { populationMembers } from './population-members.js';
