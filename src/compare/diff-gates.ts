import { PieAuditError } from '../errors.js';
import { decideCandidate, gateResult } from '../gate/gate-entry.js';
import { verdictExitCode } from '../gate/evaluate-gates.js';
import { GATE_DECISIONS, matchLevelKey, type GateResult, type GateStatus } from '../schema/index.js';
import { formatNumber, formatPp } from '../report/format.js';
import type { DiffGateEvaluation, DiffGatesConfig, LevelDiff, MeasureChange } from './types.js';

/** The diff's regression gates, in the order they are checked. */
export const DIFF_GATE_NAMES = ['maxNewHurtClasses', 'maxPieRateIncrease', 'maxTop1DropIncrease', 'maxNewOverIndexed'] as const;
type DiffGateName = (typeof DIFF_GATE_NAMES)[number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const configError = (message: string, key: string): never => {
  throw new PieAuditError('CONFIG_ERROR', `diff gates: ${message}`, { key });
};

/** Each gate's threshold per matched level key, checked: unknown gates and levels and bad numbers are config errors. */
function thresholdsOf(gates: DiffGatesConfig, levels: readonly string[]): Map<DiffGateName, Map<string, number>> {
  if (!isObject(gates)) configError('gates must be an object such as { "maxNewHurtClasses": 0 }.', 'gates');
  for (const k of Object.keys(gates)) {
    if (k !== 'decision' && !(DIFF_GATE_NAMES as readonly string[]).includes(k))
      configError(`unknown gate '${k}'; use ${DIFF_GATE_NAMES.join(', ')} or decision.`, k);
  }
  if (gates.decision !== undefined && !(GATE_DECISIONS as readonly unknown[]).includes(gates.decision))
    configError(`decision must be ${GATE_DECISIONS.join(' or ')}; got ${JSON.stringify(gates.decision)}.`, 'decision');
  const out = new Map<DiffGateName, Map<string, number>>();
  const checked = (name: string, v: unknown): number => {
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      v < (name.startsWith('maxNew') ? 0 : -1) ||
      v > (name.startsWith('maxNew') ? 1e9 : 1)
    )
      configError(
        `${name} needs ${name.startsWith('maxNew') ? 'a count of at least 0' : 'a fraction from -1 to 1 (0.01 is 1 pp)'}; got ${JSON.stringify(v)}.`,
        name,
      );
    return v as number;
  };
  for (const name of DIFF_GATE_NAMES) {
    const spec = gates[name];
    if (spec === undefined) continue;
    const perLevel = new Map<string, number>();
    if (isObject(spec)) {
      for (const [k, v] of Object.entries(spec)) {
        const key = matchLevelKey(k, levels);
        if (key === null)
          configError(
            `${name} names level '${k}', which is not a compressed level of both audits (${levels.join(', ') || 'none'}).`,
            `${name}.${k}`,
          );
        perLevel.set(key as string, checked(`${name}.${k}`, v));
      }
    } else {
      const v = checked(name, spec);
      for (const key of levels) perLevel.set(key, v);
    }
    out.set(name, perLevel);
  }
  return out;
}

function changeGate(
  name: DiffGateName,
  label: string,
  m: MeasureChange,
  level: string,
  threshold: number,
  decision: 'point' | 'confident',
): GateResult {
  if (m.change === null)
    return gateResult({
      gate: name,
      level,
      threshold,
      observed: null,
      status: 'inconclusive',
      reason: `${label} at level ${level} is unknown in one audit`,
    });
  const status = decideCandidate({ observed: m.change, interval: m.changeCi, threshold, value: null }, 'atMost', decision);
  const ci = m.changeCi ? ` [${formatPp(m.changeCi[0])}, ${formatPp(m.changeCi[1])}]` : '';
  const verb =
    status === 'pass'
      ? 'within'
      : status === 'fail'
        ? 'more than'
        : decision === 'confident' && !m.changeCi
          ? 'with no interval to decide on, against'
          : 'possibly more than (interval straddles)';
  return gateResult({
    gate: name,
    level,
    threshold,
    observed: m.change,
    interval: m.changeCi,
    status,
    reason: `${label} at level ${level} changed ${formatPp(m.change)}${ci} (${formatNumber((m.before ?? 0) * 100, 2)} % → ${formatNumber((m.after ?? 0) * 100, 2)} %), ${verb} ${formatPp(threshold)}`,
  });
}

function countGate(name: DiffGateName, level: LevelDiff, threshold: number): GateResult {
  const section = name === 'maxNewHurtClasses' ? level.classes : level.attributes;
  const noun = name === 'maxNewHurtClasses' ? 'newly hurt class(es)' : 'newly over-indexed attribute value(s)';
  if (section.status !== 'ok')
    return gateResult({
      gate: name,
      level: level.key,
      threshold,
      observed: null,
      status: 'inconclusive',
      reason: `${noun} at level ${level.key}: ${section.reason}`,
    });
  const names =
    section.status === 'ok' && 'newlyHurt' in section
      ? section.newlyHurt.map((c) => `'${c}'`)
      : (section as { newlyOverIndexed: Array<{ attribute: string; value: string }> }).newlyOverIndexed.map(
          (r) => `${r.attribute}=${r.value}`,
        );
  const named = names.length ? ` (${names.join(', ')})` : '';
  let status: GateStatus = names.length <= threshold ? 'pass' : 'fail';
  let reason = `${names.length} ${noun} at level ${level.key}${named}, ${status === 'pass' ? 'within' : 'more than'} the limit of ${threshold}`;
  // Counts of significant tests: with few models "not newly significant" is weak evidence, as in `gate`.
  if (status === 'pass' && level.underpowered) {
    status = 'inconclusive';
    reason += `, but ${level.underpowered}`;
  }
  return gateResult({
    gate: name,
    level: level.key,
    value: names.length ? names.join(', ') : null,
    threshold,
    observed: names.length,
    status,
    reason,
  });
}

/**
 * Checks a diff's regression gates at every matched level they name: `maxNewHurtClasses` and `maxNewOverIndexed` count
 * what became significant; `maxPieRateIncrease` and `maxTop1DropIncrease` bound a change, compared as a point or, under
 * `decision: 'confident'`, by its interval (fail only when wholly beyond, pass only when wholly within). The verdict is
 * `fail` if any gate failed, else `inconclusive` if any could not be decided, else `pass`.
 *
 * @throws PieAuditError `CONFIG_ERROR` naming an unknown gate or level, or a threshold out of range
 * @example
 * evaluateDiffGates(diff.levels, { maxNewHurtClasses: 0 }).verdict; // 'fail' when a class is newly hurt
 */
export function evaluateDiffGates(levels: readonly LevelDiff[], gates: DiffGatesConfig): DiffGateEvaluation {
  const thresholds = thresholdsOf(
    gates,
    levels.map((l) => l.key),
  );
  const decision = gates.decision ?? 'point';
  const byKey = new Map(levels.map((l) => [l.key, l]));
  const results: GateResult[] = [];
  for (const [name, perLevel] of thresholds) {
    for (const [key, threshold] of perLevel) {
      const level = byKey.get(key)!;
      if (name === 'maxPieRateIncrease') results.push(changeGate(name, 'PIE rate', level.pieRate, key, threshold, decision));
      else if (name === 'maxTop1DropIncrease') results.push(changeGate(name, 'top-1 drop', level.top1Drop, key, threshold, decision));
      else results.push(countGate(name, level, threshold));
    }
  }
  const verdict: GateStatus = results.some((r) => r.status === 'fail')
    ? 'fail'
    : results.some((r) => r.status === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  return { verdict, exitCode: verdictExitCode(verdict), decision, results };
}
