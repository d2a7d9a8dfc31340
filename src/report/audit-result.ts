import type { AuditReport } from '../schema/index.js';
import type { PieTable } from './pie-table.js';

/**
 * What one audit produces for its writers: the report (what report.json holds) and, beside it in plain
 * sight, every PIE of every compressed level (what pies.csv, pies.arrow and the HTML PIE browser list).
 * In-process audits, `merge` and the queue all return this shape, so each writes the same report set.
 *
 * @example
 * const { report, pies } = await runAudit(options);
 * await writeReports({ report, pies }, 'audit-out');
 */
export interface AuditResult {
  readonly report: AuditReport;
  readonly pies: PieTable;
}

/**
 * Whether `value` is an {@link AuditResult} (a report with its PIE table) rather than a bare report.
 *
 * @example
 * isAuditResult({ report, pies }); // true
 * isAuditResult(report); // false
 */
export function isAuditResult(value: unknown): value is AuditResult {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return !('schemaVersion' in v) && typeof v.report === 'object' && v.report !== null && typeof v.pies === 'object' && v.pies !== null;
}
