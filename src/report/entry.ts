/**
 * Each renderer on its own (Markdown, HTML, CSV tables, JUnit XML, the Arrow PIE table, SVG charts, PNG
 * thumbnails), report validation, level keys and the closed word lists the report uses:
 * `import { renderCsvTables, buildPieTable, renderPiesArrow } from 'pie-audit/report'`.
 * @packageDocumentation
 */
export * from '../errors.js';
export * from './index.js';
export { compareLevelKeys, levelKey, matchLevelKey, numericLevel } from '../schema/level-key.js';
export {
  AUDIT_CORRECTIONS,
  GATE_DECISIONS,
  GATE_STATUSES,
  MODAL_TIE_BREAKS,
  NOISE_FLOOR_DESIGNS,
  P_VALUE_CORRECTIONS,
  POPULATION_DESIGNS,
  REPORT_FORMATS,
  RUNTIMES,
  SKIP_STATUSES,
  VERDICTS,
} from '../schema/vocabulary.js';
