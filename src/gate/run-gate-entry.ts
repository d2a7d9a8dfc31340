import type { GateResult, GateStatus } from '../schema/index.js';
import { decideCandidate, gateResult, type Candidate, type GateEntry, type GateInput } from './gate-entry.js';

/**
 * The threshold a result shows when no candidate supplied one: the number itself, or a per-class map's
 * `default` (else its smallest value).
 * @internal
 * @example
 * nominalThreshold({ default: 0.05, '8': 0.3 }); // 0.05
 */
export function nominalThreshold(spec: unknown): number {
  if (typeof spec === 'number') return spec;
  const values = Object.entries(spec as Record<string, number>);
  const fallback = values.find(([k]) => k === 'default');
  return fallback ? fallback[1] : Math.min(...values.map(([, v]) => v));
}

/** The candidate a result reports: the worst failing one, else an undecided one, else the worst passing one. */
function pick(decided: Array<[Candidate, GateStatus]>, compare: 'atMost' | 'atLeast'): [Candidate, GateStatus] {
  const worse = (a: Candidate, b: Candidate) =>
    compare === 'atMost' ? b.observed - b.threshold > a.observed - a.threshold : b.observed - b.threshold < a.observed - a.threshold;
  for (const status of ['fail', 'inconclusive', 'pass'] as const) {
    const of = decided.filter(([, s]) => s === status);
    if (of.length > 0) return of.reduce((a, b) => (worse(a[0], b[0]) ? b : a));
  }
  throw new Error('no candidates');
}

/**
 * Checks one gate entry at one level (and attribute): reads its section, observes its candidates, decides each
 * with the entry's rule and reports the worst, plus one waived row per waived class. A pass that left something
 * untested (`undecided`) is inconclusive, never a silent pass.
 * @internal
 * @example
 * runGateEntry(GATE_TABLE.maxPieRate, input); // [{ gate: 'maxPieRate', status: 'pass', ... }]
 */
export function runGateEntry(entry: GateEntry, input: GateInput): GateResult[] {
  const { level } = input;
  const base = { gate: entry.name, level: level.key, attribute: input.attribute };
  const section = entry.section(level);
  if (section.status !== 'ok') {
    const reason = `${entry.label} at level ${level.key} ${section.status}: ${(section as { reason: string }).reason}`;
    return [gateResult({ ...base, threshold: nominalThreshold(input.spec), observed: null, status: 'inconclusive', reason })];
  }
  const o = entry.observe(input);
  if (o.kind === 'decided')
    return [gateResult({ ...base, threshold: o.threshold, observed: o.observed, status: o.status, reason: o.reason })];
  const decideOwn = (c: Candidate) => (entry.decide ? entry.decide(c, input.decision) : decideCandidate(c, entry.compare, input.decision));
  // 'confident' decides from an interval only when it covers retraining (or the level is one exact model pair).
  const held = new Map<Candidate, GateStatus>();
  const decide = (c: Candidate): GateStatus => {
    const status = decideOwn(c);
    if (input.decision !== 'confident' || !input.examplesOnly || c.interval === null || status === 'inconclusive') return status;
    held.set(c, status);
    return 'inconclusive';
  };
  const describe = (c: Candidate, status: GateStatus) => {
    const own = held.get(c);
    return own === undefined ? entry.describe(c, status, input) : `${entry.describe(c, own, input)}, but ${input.examplesOnly}`;
  };
  const row = (c: Candidate, status: GateStatus, reason: string, waived = false) =>
    gateResult({ ...base, value: c.value, threshold: c.threshold, observed: c.observed, interval: c.interval, status, reason, waived });
  const waivedRows = o.candidates
    .filter((c) => c.waived)
    .map((c) => {
      const status = decide(c);
      return row(c, status, `waived (${input.waiver.reason}): ${describe(c, status)}`, true);
    });
  const live = o.candidates.filter((c) => !c.waived).map((c): [Candidate, GateStatus] => [c, decide(c)]);
  if (live.length === 0) {
    const empty = o.empty ?? { status: 'inconclusive' as const, reason: `nothing to measure for ${entry.label} at level ${level.key}` };
    return [gateResult({ ...base, threshold: o.threshold, observed: null, ...empty }), ...waivedRows];
  }
  const [chosen, status] = pick(live, entry.compare);
  let reason = describe(chosen, status);
  const failing = live
    .filter(([c, s]) => s === 'fail' && c !== chosen)
    .map(([c]) => c.value)
    .filter((v) => v !== null);
  if (status === 'fail' && failing.length > 0) reason += `; also beyond: ${failing.join(', ')}`;
  if (status === 'pass' && o.undecided) return [row(chosen, 'inconclusive', `${reason}, but ${o.undecided}`), ...waivedRows];
  return [row(chosen, status, reason), ...waivedRows];
}
