import { excessThresholdTest } from '../analysis/excess-threshold-test.js';
import type { LevelReport } from '../schema/index.js';
import { fmt, fmtInterval, pct, pp, type Candidate, type GateEntry, type Observation } from './gate-entry.js';

const scale = (ci: [number, number] | null | undefined, by: number): [number, number] | null => (ci ? [ci[0] * by, ci[1] * by] : null);
const one = (c: Omit<Candidate, 'value'>): Observation => ({
  kind: 'candidates',
  candidates: [{ value: null, ...c }],
  threshold: c.threshold,
});
const pies = (l: LevelReport) => l.pies;
const accuracy = (l: LevelReport) => l.accuracy;
const verb = (status: string, ok: string, bad: string) =>
  status === 'pass' ? ok : status === 'fail' ? bad : `may exceed (interval straddles)`;

/** Largest allowed PIE rate. @internal */
export const maxPieRate: GateEntry = {
  name: 'maxPieRate',
  label: 'PIE rate',
  section: pies,
  compare: 'atMost',
  observe: ({ level, spec }) => {
    const p = level.pies.status === 'ok' ? level.pies : null;
    return one({ observed: p!.rate, interval: p!.rateCi, threshold: spec as number });
  },
  describe: (c, status, { level }) =>
    `PIE rate ${pct(c.observed)}${fmtInterval(c.interval, pct)} at level ${level.key} ${verb(status, 'is within', 'exceeds')} ` +
    `${pct(c.threshold)}`,
};

/** Largest allowed PIE count. @internal */
export const maxPieCount: GateEntry = {
  name: 'maxPieCount',
  label: 'PIE count',
  section: pies,
  compare: 'atMost',
  observe: ({ level, spec, report }) => {
    const p = level.pies.status === 'ok' ? level.pies : null;
    return one({ observed: p!.count, interval: scale(p!.rateCi, report.testSet.n), threshold: spec as number });
  },
  describe: (c, status, { level }) =>
    `${c.observed} ${c.observed === 1 ? 'PIE' : 'PIEs'}${fmtInterval(c.interval)} at level ${level.key} ${verb(status, 'is within', 'exceeds')} the limit of ` +
    `${c.threshold}`,
};

/** Smallest allowed mean top-1. @internal */
export const minTop1: GateEntry = {
  name: 'minTop1',
  label: 'top-1 accuracy',
  section: accuracy,
  compare: 'atLeast',
  observe: ({ level, spec }) => {
    const a = level.accuracy.status === 'ok' ? level.accuracy : null;
    return one({ observed: a!.mean, interval: a!.ci, threshold: spec as number });
  },
  describe: (c, status, { level }) =>
    `mean top-1 ${pct(c.observed)}${fmtInterval(c.interval, pct)} at level ${level.key} is ` +
    `${status === 'pass' ? 'at least' : status === 'fail' ? 'below' : 'possibly below'} ${pct(c.threshold)}`,
};

/** Largest allowed drop of mean top-1 from the baseline. @internal */
export const maxTop1Drop: GateEntry = {
  name: 'maxTop1Drop',
  label: 'top-1 drop',
  section: accuracy,
  compare: 'atMost',
  observe: ({ level, spec }) => {
    const a = level.accuracy.status === 'ok' ? level.accuracy : null;
    // `== null`: a report saved before top-1 drops were reported lacks the field.
    if (a!.top1Drop == null)
      return {
        kind: 'decided',
        status: 'inconclusive',
        reason: `no top-1 drop at level ${level.key}`,
        observed: null,
        threshold: spec as number,
      };
    return one({ observed: a!.top1Drop, interval: a!.top1DropCi, threshold: spec as number });
  },
  describe: (c, status, { level }) =>
    `mean top-1 fell ${pp(c.observed)}${fmtInterval(c.interval, pp)} from the baseline at level ${level.key}, ` +
    `${verb(status, 'within', 'more than')} ${pp(c.threshold)}`,
};

/**
 * Largest allowed PIE rate beyond the seed-noise floor. Inconclusive when the permutation test is. `'point'`
 * compares the excess with the threshold. `'confident'` tests the excess against the threshold (the permutation
 * test shifted by `threshold × n` PIEs, {@link excessThresholdTest}): fail when it is significantly above, pass when
 * significantly below, else inconclusive; a report without the null distribution is inconclusive.
 * @internal
 */
export const maxExcessPieRate: GateEntry = {
  name: 'maxExcessPieRate',
  label: 'excess PIE rate',
  section: pies,
  compare: 'atMost',
  observe: ({ level, spec, report }) => {
    const floor = level.pies.status === 'ok' ? level.pies.permutation : null;
    if (!floor) {
      const reason = `level ${level.key} has no noise floor (a report from before pie-audit computed it); re-run the audit`;
      return { kind: 'decided', status: 'inconclusive', reason, observed: null, threshold: spec as number };
    }
    if (floor!.status !== 'ok') {
      return {
        kind: 'decided',
        status: 'inconclusive',
        reason: `PIE noise floor at level ${level.key} inconclusive: ${floor!.reason}`,
        observed: floor!.excessRate,
        threshold: spec as number,
      };
    }
    const threshold = spec as number;
    const alpha = report.config.alpha;
    const base = `${floor!.observed} PIEs vs a null median of ${fmt(floor!.nullMedian)}`;
    if (!floor!.nullDistribution) {
      // Only 'confident' needs the null distribution; 'point' compares the excess itself.
      const note = `${base}; the report has no null distribution to test the threshold with (re-run the audit)`;
      return one({ observed: floor!.excessRate, interval: null, threshold, note });
    }
    const test = excessThresholdTest(floor!.observed, floor!.nullDistribution, threshold, report.testSet.n);
    const note =
      `${base}; permutation test of the excess against ${pct(threshold)} (${fmt(test.allowance)} PIEs): ` +
      `p above = ${fmt(test.pAbove)}, p below = ${fmt(test.pBelow)}, alpha ${alpha}`;
    return one({
      observed: floor!.excessRate,
      interval: null,
      threshold,
      significant: test.pAbove <= alpha,
      establishedWithin: test.pBelow <= alpha,
      note,
    });
  },
  decide: (c, decision) => {
    if (decision === 'point') return c.observed <= c.threshold ? 'pass' : 'fail';
    if (c.significant) return 'fail';
    return c.establishedWithin ? 'pass' : 'inconclusive';
  },
  describe: (c, status, { level, decision }) =>
    `excess PIE rate ${pct(c.observed)} at level ${level.key} (${c.note}) ` +
    `${
      status === 'pass'
        ? decision === 'point'
          ? 'is within'
          : 'is significantly below'
        : status === 'fail'
          ? decision === 'point'
            ? 'exceeds'
            : 'significantly exceeds'
          : 'is not significantly above or below'
    } ` +
    `${pct(c.threshold)}`,
};
