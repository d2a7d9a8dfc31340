import { overIndexThresholdTest } from '../analysis/over-index-threshold-test.js';
import { adjustPValues } from '../analysis/stats/adjust-p-values.js';
import type { SubgroupErrorRow } from '../schema/index.js';
import { decideCandidate, fmt, fmtInterval, pp, type Candidate, type GateEntry, type GateInput, type Observation } from './gate-entry.js';

/**
 * Largest allowed over-index ratio of any value of an attribute among PIEs. Under `'point'` a breach fails only
 * when the exact binomial test of that value's ratio against the threshold ({@link overIndexThresholdTest}, adjusted
 * over the attribute's values by the report's `attributeCorrection`, BH by default) is significant, else it is
 * inconclusive: a handful of PIEs cannot fail a release on noise alone. Under `'confident'` the ratio's interval
 * decides; without one, the same threshold test does (fail when significantly above, pass when every value is
 * significantly below).
 * @internal
 */
export const maxOverIndex: GateEntry = {
  name: 'attributes.maxOverIndex',
  label: 'attribute over-indexing',
  section: (level) => level.attributes,
  compare: 'atMost',
  observe: ({ level, spec, attribute, report }): Observation => {
    const rows = level.attributes.status === 'ok' ? level.attributes.rows.filter((r) => r.attribute === attribute) : [];
    const threshold = spec as number;
    const alpha = report.config.alpha;
    const correction = report.config.attributeCorrection ?? 'bh';
    const measured = rows.filter((r) => r.overIndexRatio !== null);
    const tests = measured.map((r) => overIndexThresholdTest(r.countAmongPIEs, r.nPIEs, r.shareOverall, threshold));
    const adjusted = adjustPValues(
      tests.map((t) => t.pAbove),
      correction,
    );
    const candidates: Candidate[] = measured.map((r, i) => {
      const pAbove = adjusted[i] ?? tests[i].pAbove;
      return {
        observed: r.overIndexRatio as number,
        interval: r.overIndexRatioCi,
        threshold,
        value: r.value,
        significant: pAbove < alpha,
        establishedWithin: tests[i].pBelow < alpha,
        note:
          `${r.countAmongPIEs} of ${r.nPIEs} PIEs have it; exact binomial test of the ratio against ${fmt(threshold)}: ` +
          `${correction === 'none' ? 'p' : `${correction === 'bh' ? 'BH' : correction}-adjusted p`} = ${pAbove.toExponential(2)}, alpha ${alpha}`,
      };
    });
    // "No PIEs" is claimed only when the level has none; an empty or unmeasured table proves nothing.
    const noPies = level.pies.status === 'ok' && level.pies.count === 0;
    const reason = noPies
      ? `no PIEs at level ${level.key}, so no value of ${attribute} is over-represented`
      : rows.length === 0
        ? `the report has no over-indexing rows for attribute ${attribute} at level ${level.key}`
        : `no value of ${attribute} has a measurable over-index at level ${level.key} (${rows[0].reason ?? 'no PIEs where it is recorded'})`;
    const empty = { status: noPies ? ('pass' as const) : ('inconclusive' as const), reason };
    return { kind: 'candidates', candidates, threshold, empty };
  },
  decide: (c, decision) => {
    if (decision === 'confident' && c.interval) return decideCandidate(c, 'atMost', decision);
    if (decision === 'confident') return c.significant ? 'fail' : c.establishedWithin ? 'pass' : 'inconclusive';
    if (c.observed <= c.threshold) return 'pass';
    return c.significant ? 'fail' : 'inconclusive';
  },
  describe: (c, status, { level, attribute }) => {
    const where = `${attribute}=${c.value} at level ${level.key}`;
    if (status === 'pass')
      return `largest over-index ${fmt(c.observed)}×${fmtInterval(c.interval)} (${where}) is within ${fmt(c.threshold)}`;
    if (status === 'fail')
      return `over-index ${fmt(c.observed)}×${fmtInterval(c.interval)} of ${where} exceeds ${fmt(c.threshold)} (${c.note})`;
    return (
      `over-index ${fmt(c.observed)}×${fmtInterval(c.interval)} of ${where} exceeds ${fmt(c.threshold)} but is not established ` +
      `(${c.note})`
    );
  },
};

type RateField = { value: (r: SubgroupErrorRow) => number | null; ci: (r: SubgroupErrorRow) => [number, number] | null };

/** Candidates of a subgroup-rate gate: every group whose quantity is measured; the rest make a pass inconclusive. */
function rateObservation({ level, spec, attribute }: GateInput, field: RateField, name: string): Observation {
  const rows = level.subgroups.status === 'ok' ? level.subgroups.rows.filter((r) => r.attribute === attribute) : [];
  const threshold = spec as number;
  const candidates: Candidate[] = rows
    .filter((r) => field.value(r) != null)
    .map((r) => ({ observed: field.value(r) as number, interval: field.ci(r), threshold, value: r.value }));
  const missing = rows.length - candidates.length;
  const empty = {
    status: 'inconclusive' as const,
    reason: `no group of ${attribute} has the examples needed to measure its ${name} at level ${level.key}`,
  };
  return {
    kind: 'candidates',
    candidates,
    threshold,
    empty,
    undecided: missing > 0 ? `${missing} group(s) of ${attribute} could not be measured` : null,
  };
}

/** A gate on the rise of a group's FPR or FNR: degradation (a rise shared by every group counts too). */
function increaseGate(rate: 'fpr' | 'fnr'): GateEntry {
  const name = rate.toUpperCase();
  const field: RateField =
    rate === 'fpr' ? { value: (r) => r.fprChange, ci: (r) => r.fprChangeCi } : { value: (r) => r.fnrChange, ci: (r) => r.fnrChangeCi };
  return {
    name: rate === 'fpr' ? 'attributes.maxFprIncrease' : 'attributes.maxFnrIncrease',
    label: `subgroup ${name}`,
    section: (level) => level.subgroups,
    compare: 'atMost',
    observe: (input) => rateObservation(input, field, name),
    describe: (c, status, { level, attribute }) =>
      status === 'fail'
        ? `${name} of ${attribute}=${c.value} rose by ${pp(c.observed)}${fmtInterval(c.interval, pp)} at level ${level.key}, more than ` +
          `${pp(c.threshold)}`
        : `largest ${name} increase ${pp(c.observed)}${fmtInterval(c.interval, pp)} (${attribute}=${c.value}) at level ${level.key} ` +
          `${status === 'pass' ? 'is within' : 'may exceed'} ${pp(c.threshold)}`,
  };
}

/** A gate on the gap between a group's FPR or FNR change and the rest of the test set's: disparity. */
function gapGate(rate: 'fpr' | 'fnr'): GateEntry {
  const name = rate.toUpperCase();
  const field: RateField =
    rate === 'fpr' ? { value: (r) => r.fprGap, ci: (r) => r.fprGapCi } : { value: (r) => r.fnrGap, ci: (r) => r.fnrGapCi };
  return {
    name: rate === 'fpr' ? 'attributes.maxFprGap' : 'attributes.maxFnrGap',
    label: `subgroup ${name} gap`,
    section: (level) => level.subgroups,
    compare: 'atMost',
    observe: (input) => rateObservation(input, field, `${name} gap`),
    describe: (c, status, { level, attribute }) =>
      `${name} of ${attribute}=${c.value} changed ${pp(c.observed)}${fmtInterval(c.interval, pp)} more than the rest of the test set at ` +
      `level ${level.key}, ${status === 'pass' ? 'within' : status === 'fail' ? 'more than' : 'possibly more than'} ${pp(c.threshold)}`,
  };
}

/** @internal */
export const maxFprIncrease = increaseGate('fpr');
/** @internal */
export const maxFnrIncrease = increaseGate('fnr');
/** @internal */
export const maxFprGap = gapGate('fpr');
/** @internal */
export const maxFnrGap = gapGate('fnr');
