import { readFile } from 'node:fs/promises';
import { REPORT_SCHEMA_VERSION, type AuditReport } from '../schema/index.js';
import { PieAuditError } from '../errors.js';

type Check = (value: unknown) => boolean;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Check = (v) => typeof v === 'boolean';
const orNull = (c: Check): Check => (v) => v === null || c(v);
const isArrayOf = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);

const SECTION_STATUSES = new Set(['ok', 'unavailable', 'inconclusive', 'not-applicable']);
const VERDICTS = new Set(['pass', 'fail', 'inconclusive', 'ungated']);

/**
 * Finds the first structural problem of a parsed report, as a path and a description, or null
 * when the report has the fields the renderers rely on. Checks types, not statistical sense.
 *
 * @example
 * findReportProblem(JSON.parse(text)); // null, or e.g. 'levels[2].pies.status: expected ...'
 */
export function findReportProblem(report: unknown): string | null {
  if (!isObject(report)) return 'the top level is not a JSON object';
  const need = (obj: Record<string, unknown>, path: string, fields: Record<string, Check>): string | null => {
    for (const [name, check] of Object.entries(fields)) {
      if (!check(obj[name])) return `${path}${name}: missing or of the wrong type (got ${JSON.stringify(obj[name]) ?? 'undefined'})`.slice(0, 300);
    }
    return null;
  };
  let problem = need(report, '', {
    generatedAt: isString,
    environment: isObject,
    config: isObject,
    testSet: isObject,
    classNames: isArrayOf(isString),
    baselineLevel: isString,
    levels: isArrayOf(isObject),
    gates: orNull(isObject),
    verdict: (v) => typeof v === 'string' && VERDICTS.has(v),
    warnings: isArrayOf(isString),
  });
  if (problem) return problem;
  problem =
    need(report.environment as Record<string, unknown>, 'environment.', { pieAuditVersion: isString, nodeVersion: isString, platform: isString, arch: isString, backend: orNull(isObject), runtimes: isObject }) ??
    need(report.config as Record<string, unknown>, 'config.', { alpha: isNumber, correction: isString, tieBreak: isString, baseline: isString, levels: isArrayOf(isString), positiveClass: orNull(isNumber), seed: orNull(isNumber), maxExemplars: isNumber }) ??
    need(report.testSet as Record<string, unknown>, 'testSet.', { n: isNumber, hasLabels: isBoolean, attributeNames: isArrayOf(isString) });
  if (problem) return problem;
  const levels = report.levels as Array<Record<string, unknown>>;
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    const path = `levels[${i}].`;
    problem = need(l, path, {
      key: isString,
      isBaseline: isBoolean,
      numericLevel: orNull(isNumber),
      populationSize: isNumber,
      models: isArrayOf(isObject),
      meanSparsity: orNull(isNumber),
      meanGzippedBytes: orNull(isNumber),
      modalTies: isObject,
      exemplars: isArrayOf(isObject),
    });
    if (problem) return problem;
    for (const name of ['accuracy', 'pies', 'baselineAccuracyOnPies', 'classImpact', 'attributes', 'subgroups']) {
      const s = l[name];
      if (!isObject(s) || typeof s.status !== 'string' || !SECTION_STATUSES.has(s.status)) return `${path}${name}.status: expected one of ${[...SECTION_STATUSES].join(', ')}`;
      if (s.status !== 'ok' && typeof s.reason !== 'string') return `${path}${name}.reason: a skipped section needs a reason string`;
    }
    const ci = l.classImpact as Record<string, unknown>;
    if (ci.status === 'ok' && !isArrayOf(isObject)(ci.rows)) return `${path}classImpact.rows: expected an array of rows`;
    for (const name of ['attributes', 'subgroups'] as const) {
      const s = l[name] as Record<string, unknown>;
      if (s.status === 'ok' && !isArrayOf(isObject)(s.rows)) return `${path}${name}.rows: expected an array of rows`;
    }
  }
  if (report.gates !== null) {
    const g = report.gates as Record<string, unknown>;
    if (!isArrayOf(isObject)(g.results)) return 'gates.results: expected an array of gate results';
  }
  return null;
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
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new PieAuditError('IO_ERROR', `Cannot read report file "${file}": ${(cause as Error).message}. Check the path.`, { file }, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PieAuditError('CORRUPT_FILE', `Report file "${file}" is not valid JSON (${(cause as Error).message}); it may be truncated. Re-run the audit to regenerate it.`, { file }, { cause });
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
