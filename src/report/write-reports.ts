import { join, sep } from 'node:path';
import type { AuditReport } from '../schema/index.js';
import { REPORT_FORMATS, isOneOf, type ReportFormat } from '../schema/vocabulary.js';
import { PieAuditError } from '../errors.js';
import { renderCsvTables } from './csv.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { TRADEOFF_CHART_FILE, tradeoffSvgFile } from './tradeoff-chart.js';
import { pieTableOf, type PieTable } from './pie-table.js';
import { isAuditResult, type AuditResult } from './audit-result.js';
import { renderPiesArrow } from './pies-arrow.js';
import { clearReportSet, keptEntries } from './clear-report-set.js';
import { replaceReportFolder } from './replace-report-folder.js';
import { recoverLeftovers } from '../engine/replace-directory.js';
import { realpath } from 'node:fs/promises';
import { lockReportFolder } from './report-lock.js';
import { ensureOutputFolder, writeFilesAtomic } from './write-atomic.js';

/** Options of {@link writeReports}. */
export interface WriteReportsOptions {
  /** Every PIE of every level for pies.csv and the HTML PIE browser; defaults to the table of the given
   * {@link AuditResult} (or the one `auditCompression` attached to the report; none for a report read back from
   * report.json: then only its exemplars). */
  pies?: PieTable | null;
}

/**
 * Renders a report (or an {@link AuditResult} of `runAudit` / `mergePlan`: the report with its full PIE table)
 * in the requested formats and writes them into `dir` (created if needed):
 * `report.json`, `report.md`, `report.html` and the CSV tables of {@link renderCsvTables}. report.json keeps
 * the compact exemplars; the full PIE list goes to pies.csv (and `pies.arrow`, an Arrow IPC file of the same
 * columns, written with the CSV tables when the full PIE table is present) and report.html only.
 *
 * Everything is rendered in memory first. The folder is then locked (`.pie-audit.lock`: a second
 * writer into the same folder is refused) and replaced as a whole: the new set is written and flushed in a
 * sibling folder (`<dir>.tmp-<pid>-<hex>`) together with hard links to the folder's other files (an earlier set's
 * files the new set replaces are left out; an earlier `report.json` is kept only beside a set that does not
 * rewrite it and is identical), and two renames swap it in. So a failure or a kill -9 at any moment leaves
 * the complete earlier set or the complete new one, never a mix and never none: a kill between the two renames
 * leaves the earlier folder beside `dir` (`<dir>.old-<pid>-<hex>`), put back by the next writer or
 * `loadReport`. Where the folder cannot be swapped (a mount point, a parent that is not writable, a FIFO in
 * it, this process's working folder or one above it), the files are written in place instead: the earlier `report.json` removed first, `report.json` renamed
 * in last, so a `report.json` is present only beside the complete set it describes.
 *
 * @returns the paths written, in write order.
 * @throws PieAuditError `CONFIG_ERROR` for an unknown format, `IO_ERROR` when writing fails or another
 *   process is writing into `dir`.
 * @example
 * const report = await auditCompression(options);
 * await writeReports(report, 'audit-out'); // report.json, report.md, report.html, *.csv
 * // In GitHub Actions: cat audit-out/report.md >> "$GITHUB_STEP_SUMMARY"
 */
export async function writeReports(
  reportOrResult: AuditReport | AuditResult,
  dir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  options: WriteReportsOptions = {},
): Promise<string[]> {
  const given = isAuditResult(reportOrResult) ? reportOrResult : null;
  const report = given ? given.report : (reportOrResult as AuditReport);
  if (!Array.isArray(formats) || formats.length === 0) {
    throw new PieAuditError('CONFIG_ERROR', `writeReports: formats must be a non-empty array of ${REPORT_FORMATS.join(', ')}.`, {
      formats,
    });
  }
  for (const f of formats) {
    if (!isOneOf(REPORT_FORMATS, f)) {
      throw new PieAuditError('CONFIG_ERROR', `writeReports: unknown format "${String(f)}"; use one of ${REPORT_FORMATS.join(', ')}.`, {
        format: f,
      });
    }
  }
  const wanted = new Set(formats);
  const files: Record<string, string | Uint8Array> = {};
  const pies = options.pies !== undefined ? options.pies : given ? given.pies : pieTableOf(report);
  if (wanted.has('csv')) Object.assign(files, renderCsvTables(report, pies));
  // The typed form of pies.csv, only beside a full PIE table (a report read back from JSON has none).
  if (wanted.has('csv') && pies) files['pies.arrow'] = renderPiesArrow(report, pies);
  if (wanted.has('md')) {
    files['report.md'] = renderMarkdown(report);
    // report.md links the trade-off chart: it is written beside it, as part of the set.
    const tradeoff = tradeoffSvgFile(report);
    if (tradeoff) files[TRADEOFF_CHART_FILE] = tradeoff;
  }
  if (wanted.has('html')) files['report.html'] = renderHtml(report, { pies });
  let json: string;
  try {
    json = `${JSON.stringify(report, null, 2)}\n`;
  } catch (cause) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `writeReports: report cannot be serialised as JSON (${(cause as Error).message}).`,
      {},
      { cause },
    );
  }
  if (wanted.has('json')) files['report.json'] = json;
  // A folder given through a symbolic link is replaced where it lives; the link stays.
  const target = await realpath(dir).catch(() => dir);
  // A writer killed between its two renames left the folder absent and its complete old copy beside it.
  await recoverLeftovers(target);
  await ensureOutputFolder(target);
  const release = await lockReportFolder(target);
  try {
    const set = { writesJson: wanted.has('json'), json };
    // The working folder (or one above it) is written in place: moving it away would strand this process in a deleted folder.
    const cwd = await realpath(process.cwd()).catch(() => '');
    const inUse = cwd === target || cwd.startsWith(`${target}${sep}`);
    if (inUse || !(await replaceReportFolder(target, files, await keptEntries(target, set)))) {
      // No swap possible here (a mount point, a parent we cannot write): files in place, report.json last.
      await clearReportSet(target, set);
      await writeFilesAtomic(target, files);
    }
  } finally {
    await release();
  }
  return Object.keys(files).map((name) => join(dir, name));
}
