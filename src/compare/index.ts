export { compareAudits } from './compare-audits.js';
export type { CompareAuditsOptions } from './compare-audits.js';
export { evaluateDiffGates, DIFF_GATE_NAMES } from './diff-gates.js';
export { loadAuditForDiff } from './load-audit-for-diff.js';
export type { AuditForDiff } from './load-audit-for-diff.js';
export { readPieSets } from './read-pie-sets.js';
export type { PieSetsRead } from './read-pie-sets.js';
export { pieOverlap } from './pie-overlap.js';
export { renderDiffMarkdown } from './render-diff-markdown.js';
export { renderDiffHtml } from './render-diff-html.js';
export { writeDiff, DIFF_FILES } from './write-diff.js';
export { DIFF_SCHEMA_VERSION } from './types.js';
export type {
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
} from './types.js';
