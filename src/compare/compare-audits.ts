import { PieAuditError } from '../errors.js';
import { findReportProblem } from '../report/load-report.js';
import { okSection } from '../report/labels.js';
import { pieTableOf } from '../report/pie-table.js';
import type { AuditReport } from '../schema/index.js';
import { assertSameTestSet } from './assert-same-test-set.js';
import { diffFindings } from './diff-findings.js';
import { evaluateDiffGates } from './diff-gates.js';
import { levelDiff } from './level-diff.js';
import { measureChange } from './measure-change.js';
import { DIFF_SCHEMA_VERSION, type AuditDiff, type AuditSide, type DiffGatesConfig, type PieSets } from './types.js';

/** Options of {@link compareAudits}. */
export interface CompareAuditsOptions {
  /** PIE indices per level of each audit (from {@link readPieSets}); default: the full PIE table an in-memory report carries. */
  beforePies?: PieSets | null;
  afterPies?: PieSets | null;
  /** Which file each set came from, for messages (e.g. `'pies.arrow'`). */
  beforePiesFile?: string | null;
  afterPiesFile?: string | null;
  /** Where each report was read from, echoed in the diff. */
  beforeSource?: string | null;
  afterSource?: string | null;
  /** Time stamp of the diff (default now), for reproducible output. */
  generatedAt?: string;
}

function checkReport(report: unknown, argument: 'before' | 'after'): AuditReport {
  const problem = findReportProblem(report);
  if (problem)
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `compareAudits: ${argument} is not an audit report (${problem}); pass one from auditCompression or loadReport.`,
      {
        argument,
      },
    );
  return report as AuditReport;
}

function piesOf(report: AuditReport): PieSets | null {
  const table = pieTableOf(report);
  if (!table) return null;
  const sets: PieSets = new Map();
  for (const l of report.levels) if (!l.isBaseline) sets.set(l.key, new Set());
  for (const r of table.rows) sets.get(r.level)?.add(r.index);
  return sets;
}

function side(report: AuditReport, source: string | null): AuditSide {
  return {
    source,
    generatedAt: report.generatedAt,
    pieAuditVersion: report.environment?.pieAuditVersion ?? 'unknown',
    verdict: report.verdict,
    baselineLevel: report.baselineLevel,
    levels: report.levels.map((l) => l.key),
  };
}

const warningsOf = (report: AuditReport): string[] => {
  const extra = (report as unknown as { sanityWarnings?: unknown }).sanityWarnings;
  const all = [...(Array.isArray(report.warnings) ? report.warnings : []), ...(Array.isArray(extra) ? extra : [])];
  return all.filter((w): w is string => typeof w === 'string');
};

/**
 * Compares two audits of the same test set (the last release against a candidate; int8 against 50 % pruning; a recipe
 * retrained): per compressed level both have, the change of top-1 drop, PIE count and rate and the excess over the noise
 * floor (with intervals where both reports have them), the overlap of the two PIE sets (counts and Jaccard), classes
 * newly hurt or no longer hurt, attribute values newly over-indexed, and the candidate's new warnings. With `gates`, the
 * regression gates decide a verdict and exit code (0 pass, 1 fail, 3 inconclusive); without, the verdict is `ungated`.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` when either is not a report or they audited different test sets (n, labels,
 *   class names); `CONFIG_ERROR` for a bad gate
 * @example
 * const diff = compareAudits(await loadReport('v1/report.json'), await loadReport('v2/report.json'), { maxNewHurtClasses: 0 });
 * if (diff.exitCode !== 0) console.log(diff.findings.map((f) => f.text).join('\n'));
 */
export function compareAudits(
  before: AuditReport,
  after: AuditReport,
  gates?: DiffGatesConfig | null,
  options: CompareAuditsOptions = {},
): AuditDiff {
  checkReport(before, 'before');
  checkReport(after, 'after');
  assertSameTestSet(before, after);
  const beforePies = options.beforePies === undefined ? piesOf(before) : options.beforePies;
  const afterPies = options.afterPies === undefined ? piesOf(after) : options.afterPies;
  const compressedB = new Map(before.levels.filter((l) => !l.isBaseline).map((l) => [l.key, l]));
  const compressedA = after.levels.filter((l) => !l.isBaseline);
  const levels = compressedA
    .filter((l) => compressedB.has(l.key))
    .map((l) =>
      levelDiff({
        before: { report: before, level: compressedB.get(l.key)!, pies: beforePies, piesFile: options.beforePiesFile ?? null },
        after: { report: after, level: l, pies: afterPies, piesFile: options.afterPiesFile ?? null },
      }),
    );
  const keysA = new Set(compressedA.map((l) => l.key));
  const baseB = okSection(before.levels.find((l) => l.key === before.baselineLevel)?.accuracy);
  const baseA = okSection(after.levels.find((l) => l.key === after.baselineLevel)?.accuracy);
  const warnB = new Set(warningsOf(before));
  const warnA = new Set(warningsOf(after));
  const core = {
    schemaVersion: DIFF_SCHEMA_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    before: side(before, options.beforeSource ?? null),
    after: side(after, options.afterSource ?? null),
    testSet: { n: after.testSet.n, hasLabels: after.testSet.hasLabels, classNames: [...after.classNames] },
    levels,
    onlyBefore: [...compressedB.keys()].filter((k) => !keysA.has(k)),
    onlyAfter: compressedA.map((l) => l.key).filter((k) => !compressedB.has(k)),
    baselineTop1: measureChange(baseB?.mean, baseA?.mean, baseB?.ci, baseA?.ci),
    newWarnings: [...warnA].filter((w) => !warnB.has(w)),
    resolvedWarnings: [...warnB].filter((w) => !warnA.has(w)),
  };
  if (gates?.maxNewOverIndexed !== undefined && !(before.testSet.attributeNames?.length && after.testSet.attributeNames?.length))
    throw new PieAuditError(
      'CONFIG_ERROR',
      'diff gates: maxNewOverIndexed needs group attributes in both audits (testSet.attributes); remove the gate or audit with attributes.',
      {
        key: 'maxNewOverIndexed',
      },
    );
  const evaluation = gates ? evaluateDiffGates(levels, gates) : null;
  return {
    ...core,
    findings: diffFindings(core),
    gates: evaluation,
    verdict: evaluation?.verdict ?? 'ungated',
    exitCode: evaluation?.exitCode ?? 0,
  };
}
