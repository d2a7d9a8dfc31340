import { PieAuditError } from '../errors.js';
import type { AuditReport, GateEvaluation, GateResult, GatesConfig, LevelReport } from '../schema/index.js';
import { matchLevelKey } from '../schema/level-key.js';
import { examplesOnlyReason } from './interval-source.js';
import { underpoweredReason } from './power.js';
import type { GateInput, NormalizedWaiver } from './gate-entry.js';
import { ATTRIBUTE_GATE_TABLE, LEVEL_GATE_TABLE } from './gate-table.js';
import { runGateEntry } from './run-gate-entry.js';
import { validateGatesConfig } from './validate-gates.js';

/**
 * Exit code of a verdict: 0 pass (or no gates), 1 fail, 3 inconclusive. (2 is reserved for
 * usage, config and input errors.)
 *
 * @example
 * verdictExitCode('fail'); // 1
 */
export function verdictExitCode(verdict: 'pass' | 'fail' | 'inconclusive' | 'ungated'): 0 | 1 | 3 {
  return verdict === 'fail' ? 1 : verdict === 'inconclusive' ? 3 : 0;
}

function normalizeWaiver(gates: GatesConfig): NormalizedWaiver {
  return {
    classes: new Set(gates.waive?.classes ?? []),
    attributes: new Set(gates.waive?.attributes ?? []),
    reason: gates.waive?.reason ?? '',
  };
}

/** Marks the results of a waived attribute: listed with what they found, not counted. */
function waiveAll(results: GateResult[], reason: string): GateResult[] {
  return results.map((r) => ({ ...r, waived: true, reason: r.waived ? r.reason : `waived (${reason}): ${r.reason}` }));
}

/**
 * Checks every threshold of `gates` against a report, entry by entry of the gate table (src/gate/gate-table.ts).
 * Each threshold yields one {@link GateResult} (pass, fail or inconclusive, with a reason and the interval it
 * used); waived classes and attributes yield rows marked `waived` that never count. The verdict is `fail` if any
 * counted result failed, else `inconclusive` if any could not be decided (no labels, too few models, an interval
 * straddling the threshold under `decision: 'confident'`), else `pass`.
 *
 * Invalid configs (unknown gate, level, attribute or class; threshold out of range) throw a
 * `CONFIG_ERROR` PieAuditError naming the key (exit code 2 in the CLI).
 *
 * @throws PieAuditError `CONFIG_ERROR` naming the offending key
 * @example
 * const { verdict, exitCode, results } = evaluateGates(report, { maxPieRate: { 0.9: 0.05 } });
 * for (const r of results) if (r.status !== 'pass') console.log(r.reason);
 */
export function evaluateGates(report: AuditReport, gates: GatesConfig): GateEvaluation {
  if (
    typeof report !== 'object' ||
    report === null ||
    !Array.isArray(report.levels) ||
    typeof report.testSet !== 'object' ||
    report.testSet === null
  ) {
    throw new PieAuditError('INVALID_ARGUMENT', 'evaluateGates: report must be an audit report (from auditCompression or loadReport).', {
      argument: 'report',
    });
  }
  const levelKeys = report.levels.map((l) => l.key);
  validateGatesConfig(gates, {
    levels: levelKeys,
    baseline: report.baselineLevel,
    attributeNames: report.testSet.attributeNames,
    classNames: report.classNames,
  });
  const byKey = new Map(report.levels.map((l) => [l.key, l]));
  const levelOf = (k: string): LevelReport => byKey.get(matchLevelKey(k, levelKeys) as string) as LevelReport;
  const baseline = byKey.get(report.baselineLevel)!;
  const waiver = normalizeWaiver(gates);
  const decision = gates.decision ?? 'point';
  const input = (level: LevelReport, spec: unknown, attribute: string | null): GateInput => ({
    report,
    level,
    spec,
    decision,
    waiver,
    attribute,
    // One model per level is decided by exact paired tests, which need no population.
    underpowered: level.isBaseline || level.flips?.status === 'ok' ? null : underpoweredReason(baseline, level),
    examplesOnly: examplesOnlyReason(level),
  });
  const results: GateResult[] = [];
  for (const [name, entry] of LEVEL_GATE_TABLE) {
    const thresholds = gates[name as keyof GatesConfig] as Record<string, unknown> | undefined;
    for (const [k, spec] of Object.entries(thresholds ?? {})) results.push(...runGateEntry(entry, input(levelOf(k), spec, null)));
  }
  for (const [attribute, spec] of Object.entries(gates.attributes ?? {})) {
    const levels = spec.levels ? spec.levels.map((l) => levelOf(String(l))) : report.levels.filter((l) => !l.isBaseline);
    for (const level of levels) {
      for (const [name, entry] of ATTRIBUTE_GATE_TABLE) {
        const threshold = spec[name as keyof typeof spec];
        if (threshold === undefined) continue;
        const rows = runGateEntry(entry, input(level, threshold, attribute));
        results.push(...(waiver.attributes.has(attribute) ? waiveAll(rows, waiver.reason) : rows));
      }
    }
  }
  const counted = results.filter((r) => !r.waived);
  const verdict = counted.some((r) => r.status === 'fail')
    ? 'fail'
    : counted.some((r) => r.status === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  const waived = gates.waive ? { classes: [...waiver.classes], attributes: [...waiver.attributes], reason: waiver.reason } : null;
  return { verdict, exitCode: verdictExitCode(verdict), decision, results, waived };
}
