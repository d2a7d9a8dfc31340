import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { recoverLeftovers } from '../engine/replace-directory.js';
import { REPORT_SCHEMA_VERSION, type AuditReport } from '../schema/index.js';
import { PieAuditError } from '../errors.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../data/json-depth.js';
import { jsonErrorReason } from '../data/json-error-reason.js';
import { REPORT_SHAPE } from './report-shape.js';

/** Largest report.json read (far above any real report; below V8's string limit). */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Finds the first structural problem of a parsed report, as a path and a description, or null
 * when the report has every field the renderers and `evaluateGates` read, with its type (see
 * {@link REPORT_SHAPE}). Checks types and vocabularies, not statistical sense.
 *
 * @example
 * findReportProblem(JSON.parse(text)); // null, or e.g. 'levels[2].pies.status: expected ...'
 */
export function findReportProblem(report: unknown): string | null {
  if (!isObject(report)) return 'the top level is not a JSON object';
  return REPORT_SHAPE(report, '');
}

/**
 * Reads and validates a `report.json` written by {@link writeReports} (or `JSON.stringify` of an
 * {@link AuditReport}), e.g. to re-render a stored report.
 *
 * @throws PieAuditError `IO_ERROR` when the file cannot be read; `CORRUPT_FILE` when it is not
 *   JSON or lacks required fields (the message names the file and the first bad field);
 *   `CONFIG_ERROR` when its `schemaVersion` is not one this version of pie-audit reads.
 * @example
 * const report = await loadReport('audit-out/report.json');
 * await writeReports(report, 'audit-out', ['html']);
 */
export async function loadReport(file: string): Promise<AuditReport> {
  let text: string;
  try {
    // A writer killed mid-swap leaves the folder beside its place: put it back (see writeReports).
    const s = await stat(file).catch(async (e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !(await recoverLeftovers(dirname(file)))) throw e;
      return stat(file);
    });
    // Only a regular file of a size a report can have: a FIFO would block, a device never end.
    if (!s.isFile() || s.size > MAX_REPORT_BYTES) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `Report file "${file}" is ${s.isFile() ? `${s.size} bytes, more than a report holds` : 'not a regular file'}.`,
        { file },
      );
    }
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if (cause instanceof PieAuditError) throw cause;
    throw new PieAuditError(
      'IO_ERROR',
      `Cannot read report file "${file}": ${(cause as Error).message}. Check the path.`,
      { file },
      { cause },
    );
  }
  let parsed: unknown;
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `Report file "${file}" nests deeper than ${MAX_JSON_DEPTH} levels; it is not a pie-audit report.json.`,
      { file },
    );
  }
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `Report file "${file}" is not valid JSON (${jsonErrorReason(cause)}); it may be truncated. Re-run the audit to regenerate it.`,
      { file },
      { cause },
    );
  }
  if (!isObject(parsed) || !('schemaVersion' in parsed)) {
    throw new PieAuditError('CORRUPT_FILE', `Report file "${file}" has no schemaVersion; it is not a pie-audit report.json.`, { file });
  }
  if (parsed.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new PieAuditError(
      'CONFIG_ERROR',
      `Report file "${file}" has schemaVersion ${JSON.stringify(parsed.schemaVersion)}, but this pie-audit reads schemaVersion ${REPORT_SCHEMA_VERSION}. Use the pie-audit version that wrote it, or re-run the audit.`,
      { file, schemaVersion: parsed.schemaVersion, supported: REPORT_SCHEMA_VERSION },
    );
  }
  const problem = findReportProblem(parsed);
  if (problem) {
    throw new PieAuditError('CORRUPT_FILE', `Report file "${file}" is not a valid pie-audit report: ${problem}.`, { file, problem });
  }
  return parsed as unknown as AuditReport;
}
