import { PieAuditError } from '../errors.js';
import type { AuditReport, GateEvaluation, GateResult, LevelReport } from '../schema/index.js';
import { matchLevelKey } from '../schema/level-key.js';
import type { GatesConfig } from '../schema/index.js';
import { validateGatesConfig } from './validate-gates.js';

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());

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

/**
 * Checks every threshold of `gates` against a report. Each threshold yields one
 * {@link GateResult} (pass, fail or inconclusive, with a reason); the verdict is `fail` if any
 * failed, else `inconclusive` if any could not be decided (e.g. class tests with one model per
 * level, no labels, a non-binary task for FPR/FNR gates), else `pass`.
 *
 * An attribute over-index above its threshold fails only when Fisher's exact test of that value
 * vs PIE membership is significant at the report's alpha (BH-adjusted across attribute values); a breach resting on too few PIEs to be
 * significant is `inconclusive`, so a handful of PIEs cannot fail a release on noise alone.
 *
 * Invalid configs (unknown gate, level or attribute; threshold out of range) throw a
 * `CONFIG_ERROR` PieAuditError naming the key (exit code 2 in the CLI).
 *
 * @example
 * const { verdict, exitCode, results } = evaluateGates(report, { maxPieRate: { 0.9: 0.05 } });
 * for (const r of results) if (r.status !== 'pass') console.log(r.reason);
 */
export function evaluateGates(report: AuditReport, gates: GatesConfig): GateEvaluation {
  if (typeof report !== 'object' || report === null || !Array.isArray(report.levels) || typeof report.testSet !== 'object' || report.testSet === null) {
    throw new PieAuditError('INVALID_ARGUMENT', 'evaluateGates: report must be an audit report (from auditCompression or loadReport).', { argument: 'report' });
  }
  const levelKeys = report.levels.map((l) => l.key);
  const attributeNames = report.testSet.attributeNames;
  validateGatesConfig(gates, { levels: levelKeys, baseline: report.baselineLevel, attributeNames });
  const byKey = new Map(report.levels.map((l) => [l.key, l]));
  const levelOf = (k: string): LevelReport => byKey.get(matchLevelKey(k, levelKeys) as string) as LevelReport;
  const results: GateResult[] = [];
  const push = (r: Omit<GateResult, 'attribute' | 'value'> & Partial<Pick<GateResult, 'attribute' | 'value'>>) =>
    results.push({ attribute: null, value: null, ...r });

  for (const [k, threshold] of Object.entries(gates.maxPieRate ?? {})) {
    const level = levelOf(k);
    if (level.pies.status !== 'ok') push({ gate: 'maxPieRate', level: level.key, threshold, observed: null, status: 'inconclusive', reason: `PIE rate at level ${level.key} unknown: ${level.pies.reason}` });
    else {
      const ok = level.pies.rate <= threshold;
      push({ gate: 'maxPieRate', level: level.key, threshold, observed: level.pies.rate, status: ok ? 'pass' : 'fail', reason: `PIE rate ${fmt(level.pies.rate)} at level ${level.key} ${ok ? 'is within' : 'exceeds'} ${fmt(threshold)}` });
    }
  }
  for (const [k, threshold] of Object.entries(gates.maxPieCount ?? {})) {
    const level = levelOf(k);
    if (level.pies.status !== 'ok') push({ gate: 'maxPieCount', level: level.key, threshold, observed: null, status: 'inconclusive', reason: `PIE count at level ${level.key} unknown: ${level.pies.reason}` });
    else {
      const ok = level.pies.count <= threshold;
      push({ gate: 'maxPieCount', level: level.key, threshold, observed: level.pies.count, status: ok ? 'pass' : 'fail', reason: `${level.pies.count} PIEs at level ${level.key} ${ok ? 'is within' : 'exceeds'} the limit of ${threshold}` });
    }
  }
  for (const [k, threshold] of Object.entries(gates.maxSignificantlyHurtClasses ?? {})) {
    const level = levelOf(k);
    const impact = level.classImpact;
    if (impact.status !== 'ok') {
      push({ gate: 'maxSignificantlyHurtClasses', level: level.key, threshold, observed: null, status: 'inconclusive', reason: `class tests at level ${level.key} ${impact.status}: ${impact.reason}` });
      continue;
    }
    const hurt = impact.hurtClasses.length;
    const undecided = impact.rows.filter((r) => r.status === 'inconclusive');
    const names = impact.hurtClasses.map((c) => report.classNames[c] ?? String(c)).join(', ');
    if (hurt > threshold) push({ gate: 'maxSignificantlyHurtClasses', level: level.key, threshold, observed: hurt, status: 'fail', reason: `${hurt} classes significantly hurt at level ${level.key} (${names}), more than ${threshold}` });
    else if (undecided.length > 0) push({ gate: 'maxSignificantlyHurtClasses', level: level.key, threshold, observed: hurt, status: 'inconclusive', reason: `${hurt} classes significantly hurt at level ${level.key}, but ${undecided.length} classes could not be tested (${undecided[0].reason})` });
    else push({ gate: 'maxSignificantlyHurtClasses', level: level.key, threshold, observed: hurt, status: 'pass', reason: `${hurt} classes significantly hurt at level ${level.key}${hurt ? ` (${names})` : ''}, within ${threshold}` });
  }
  for (const [k, threshold] of Object.entries(gates.minTop1 ?? {})) {
    const level = levelOf(k);
    if (level.accuracy.status !== 'ok') push({ gate: 'minTop1', level: level.key, threshold, observed: null, status: 'inconclusive', reason: `top-1 accuracy at level ${level.key} ${level.accuracy.status}: ${level.accuracy.reason}` });
    else {
      const ok = level.accuracy.mean >= threshold;
      push({ gate: 'minTop1', level: level.key, threshold, observed: level.accuracy.mean, status: ok ? 'pass' : 'fail', reason: `mean top-1 ${fmt(level.accuracy.mean)} at level ${level.key} is ${ok ? 'at least' : 'below'} ${fmt(threshold)}` });
    }
  }
  for (const [attribute, spec] of Object.entries(gates.attributes ?? {})) {
    const levels = spec.levels ? spec.levels.map((l) => levelOf(String(l))) : report.levels.filter((l) => !l.isBaseline);
    for (const level of levels) {
      if (spec.maxOverIndex !== undefined) checkOverIndex(report, level, attribute, spec.maxOverIndex, push);
      if (spec.maxFprIncrease !== undefined) checkRateIncrease(level, attribute, 'fpr', spec.maxFprIncrease, push);
      if (spec.maxFnrIncrease !== undefined) checkRateIncrease(level, attribute, 'fnr', spec.maxFnrIncrease, push);
    }
  }
  const verdict = results.some((r) => r.status === 'fail') ? 'fail' : results.some((r) => r.status === 'inconclusive') ? 'inconclusive' : 'pass';
  return { verdict, exitCode: verdictExitCode(verdict), results };
}

type Push = (r: Omit<GateResult, 'attribute' | 'value'> & Partial<Pick<GateResult, 'attribute' | 'value'>>) => void;

function checkOverIndex(report: AuditReport, level: LevelReport, attribute: string, threshold: number, push: Push): void {
  const gate = 'attributes.maxOverIndex';
  if (level.attributes.status !== 'ok') {
    push({ gate, level: level.key, attribute, threshold, observed: null, status: 'inconclusive', reason: `attribute over-indexing at level ${level.key} ${level.attributes.status}: ${level.attributes.reason}` });
    return;
  }
  const rows = level.attributes.rows.filter((r) => r.attribute === attribute);
  const measured = rows.filter((r) => r.overIndexRatio !== null);
  if (measured.length === 0) {
    // "No PIEs" is claimed only when the level has none; an empty or unmeasured table proves nothing.
    const noPies = level.pies.status === 'ok' && level.pies.count === 0;
    const reason = noPies
      ? `no PIEs at level ${level.key}, so no value of ${attribute} is over-represented`
      : rows.length === 0
        ? `the report has no over-indexing rows for attribute ${attribute} at level ${level.key}`
        : `no value of ${attribute} has a measurable over-index at level ${level.key} (${rows[0].reason ?? 'no PIEs where it is recorded'})`;
    push({ gate, level: level.key, attribute, threshold, observed: null, status: noPies ? 'pass' : 'inconclusive', reason });
    return;
  }
  const worst = measured.reduce((a, b) => ((b.overIndexRatio as number) > (a.overIndexRatio as number) ? b : a));
  const observed = worst.overIndexRatio as number;
  const where = `${attribute}=${worst.value} at level ${level.key}`;
  if (observed <= threshold) {
    push({ gate, level: level.key, attribute, value: worst.value, threshold, observed, status: 'pass', reason: `largest over-index ${fmt(observed)} (${where}) is within ${fmt(threshold)}` });
  } else if (worst.significant && worst.pAdjusted !== null) {
    push({ gate, level: level.key, attribute, value: worst.value, threshold, observed, status: 'fail', reason: `over-index ${fmt(observed)} of ${where} exceeds ${fmt(threshold)} (Fisher test, BH-adjusted p = ${worst.pAdjusted.toExponential(2)}; ${worst.countAmongPIEs} PIEs have it)` });
  } else {
    const p = worst.pAdjusted === null ? 'not computable' : `adjusted p = ${fmt(worst.pAdjusted)} >= alpha ${report.config.alpha}`;
    push({ gate, level: level.key, attribute, value: worst.value, threshold, observed, status: 'inconclusive', reason: `over-index ${fmt(observed)} of ${where} exceeds ${fmt(threshold)} but rests on ${worst.countAmongPIEs} PIEs and is not significant (${p})` });
  }
}

function checkRateIncrease(level: LevelReport, attribute: string, rate: 'fpr' | 'fnr', threshold: number, push: Push): void {
  const gate = rate === 'fpr' ? 'attributes.maxFprIncrease' : 'attributes.maxFnrIncrease';
  const name = rate.toUpperCase();
  if (level.subgroups.status !== 'ok') {
    push({ gate, level: level.key, attribute, threshold, observed: null, status: 'inconclusive', reason: `subgroup ${name} at level ${level.key} ${level.subgroups.status}: ${level.subgroups.reason}` });
    return;
  }
  const rows = level.subgroups.rows.filter((r) => r.attribute === attribute);
  const changes = rows.map((r) => ({ value: r.value, change: rate === 'fpr' ? r.fprChange : r.fnrChange }));
  const known = changes.filter((c): c is { value: string; change: number } => c.change !== null);
  if (known.length === 0) {
    push({ gate, level: level.key, attribute, threshold, observed: null, status: 'inconclusive', reason: `no group of ${attribute} has the examples needed to measure its ${name} at level ${level.key}` });
    return;
  }
  const worst = known.reduce((a, b) => (b.change > a.change ? b : a));
  const ok = worst.change <= threshold;
  const status = !ok ? 'fail' : known.length < changes.length ? 'inconclusive' : 'pass';
  const reason = !ok
    ? `${name} of ${attribute}=${worst.value} rose by ${fmt(worst.change)} at level ${level.key}, more than ${fmt(threshold)}`
    : status === 'inconclusive'
      ? `${name} rises at most ${fmt(worst.change)} at level ${level.key}, but ${changes.length - known.length} group(s) of ${attribute} could not be measured`
      : `largest ${name} increase ${fmt(worst.change)} (${attribute}=${worst.value}) at level ${level.key} is within ${fmt(threshold)}`;
  push({ gate, level: level.key, attribute, value: worst.value, threshold, observed: worst.change, status, reason });
}
