import { join } from 'node:path';
import type { AuditReport } from '../schema/index.js';
import { REPORT_FORMATS, isOneOf, type ReportFormat } from '../schema/vocabulary.js';
import { PieAuditError } from '../errors.js';
import { renderCsvTables } from './csv.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { writeFilesAtomic } from './write-atomic.js';

/**
 * Renders `report` in the requested formats and writes them into `dir` (created if needed):
 * `report.json`, `report.md`, `report.html` and the CSV tables of {@link renderCsvTables}.
 *
 * Everything is rendered in memory first; then each file is written to a temp file in `dir` and
 * renamed into place only after all were written, `report.json` last. So a failure (bad format
 * name, rendering error, full disk, a folder in the way) leaves no half-written file under a final
 * name, and a `report.json` is present only when the whole set was written.
 *
 * @returns the paths written, in write order.
 * @throws PieAuditError `CONFIG_ERROR` for an unknown format, `IO_ERROR` when writing fails.
 * @example
 * const report = await auditCompression(options);
 * await writeReports(report, 'audit-out'); // report.json, report.md, report.html, *.csv
 * // In GitHub Actions: cat audit-out/report.md >> "$GITHUB_STEP_SUMMARY"
 */
export async function writeReports(report: AuditReport, dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS): Promise<string[]> {
  if (!Array.isArray(formats) || formats.length === 0) {
    throw new PieAuditError('CONFIG_ERROR', `writeReports: formats must be a non-empty array of ${REPORT_FORMATS.join(', ')}.`, { formats });
  }
  for (const f of formats) {
    if (!isOneOf(REPORT_FORMATS, f)) {
      throw new PieAuditError('CONFIG_ERROR', `writeReports: unknown format "${String(f)}"; use one of ${REPORT_FORMATS.join(', ')}.`, { format: f });
    }
  }
  const wanted = new Set(formats);
  const files: Record<string, string> = {};
  if (wanted.has('csv')) Object.assign(files, renderCsvTables(report));
  if (wanted.has('md')) files['report.md'] = renderMarkdown(report);
  if (wanted.has('html')) files['report.html'] = renderHtml(report);
  if (wanted.has('json')) {
    let json: string;
    try {
      json = JSON.stringify(report, null, 2);
    } catch (cause) {
      throw new PieAuditError('INVALID_ARGUMENT', `writeReports: report cannot be serialised as JSON (${(cause as Error).message}).`, {}, { cause });
    }
    files['report.json'] = `${json}\n`;
  }
  await writeFilesAtomic(dir, files);
  return Object.keys(files).map((name) => join(dir, name));
}
