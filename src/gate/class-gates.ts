import type { ClassImpactReportRow, ClassThresholds } from '../schema/index.js';
import { fmt, fmtInterval, pp, type Candidate, type GateEntry } from './gate-entry.js';

/** The threshold of one class: its own, else `default`, else the single number; `null` when not gated. */
function classThreshold(spec: number | ClassThresholds, className: string): number | null {
  if (typeof spec === 'number') return spec;
  const own = Object.hasOwn(spec, className) ? spec[className] : undefined;
  return own ?? spec.default ?? null;
}

/** '1 class', '2 classes'. */
const classes = (n: number) => `${n} ${n === 1 ? 'class' : 'classes'}`;

const rowsOf = (level: Parameters<GateEntry['observe']>[0]['level']): ClassImpactReportRow[] =>
  level.classImpact.status === 'ok' ? level.classImpact.rows : [];

/**
 * Largest allowed number of significantly hurt classes. Waived classes are listed, not counted; an untested class
 * (e.g. no test examples) or a level with fewer than 5 models per population turns a pass into inconclusive.
 * @internal
 */
export const maxSignificantlyHurtClasses: GateEntry = {
  name: 'maxSignificantlyHurtClasses',
  label: 'class tests',
  section: (level) => level.classImpact,
  compare: 'atMost',
  observe: ({ level, spec, waiver, underpowered }) => {
    const rows = rowsOf(level);
    const threshold = spec as number;
    const counted = rows.filter((r) => !waiver.classes.has(r.className));
    const hurt = counted.filter((r) => r.direction === 'hurt').map((r) => r.className);
    const untested = counted.filter((r) => r.status === 'inconclusive');
    const waived: Candidate[] = rows
      .filter((r) => waiver.classes.has(r.className) && (r.direction === 'hurt' || r.status === 'inconclusive'))
      .map((r) => ({
        observed: r.direction === 'hurt' ? 1 : 0,
        interval: null,
        threshold,
        value: r.className,
        waived: true,
        note:
          r.direction === 'hurt'
            ? `class '${r.className}' significantly hurt (adjusted p = ${fmt(r.pAdjusted ?? 0)})`
            : `class ${r.className} untested (${r.reason})`,
      }));
    const names = untested.map((r) => r.className).join(', ');
    const undecided =
      untested.length > 0
        ? `${classes(untested.length)} could not be tested (${names}: ${untested[0].reason}); waive them to gate the rest`
        : underpowered;
    return {
      kind: 'candidates',
      threshold,
      undecided,
      candidates: [{ observed: hurt.length, interval: null, threshold, value: null, note: hurt.join(', ') }, ...waived],
    };
  },
  // A count of significant tests is decided the same way under both rules; a waived class's row says what it was:
  // hurt (counted 1, 'fail') or untested ('inconclusive').
  decide: (c) => (c.value !== null ? (c.observed === 1 ? 'fail' : 'inconclusive') : c.observed <= c.threshold ? 'pass' : 'fail'),
  describe: (c, status, { level }) => {
    if (c.value !== null) return c.note ?? '';
    const named = c.note ? ` (${c.note})` : '';
    return status === 'fail'
      ? `${classes(c.observed)} significantly hurt at level ${level.key}${named}, more than ${c.threshold}`
      : `${classes(c.observed)} significantly hurt at level ${level.key}${named}, within ${c.threshold}`;
  },
};

/**
 * Largest allowed drop of each class's mean raw recall (baseline minus level), per class or one for all.
 * A class without test examples cannot be measured: a pass is then inconclusive unless it is waived.
 * @internal
 */
export const maxClassRecallDrop: GateEntry = {
  name: 'maxClassRecallDrop',
  label: 'class recall',
  section: (level) => level.classImpact,
  compare: 'atMost',
  observe: ({ level, spec, waiver }) => {
    const thresholds = spec as number | ClassThresholds;
    const candidates: Candidate[] = [];
    const unmeasured: string[] = [];
    for (const r of rowsOf(level)) {
      const threshold = classThreshold(thresholds, r.className);
      if (threshold === null) continue;
      const isWaived = waiver.classes.has(r.className);
      if (r.rawRecallChange == null) {
        if (!isWaived) unmeasured.push(r.className);
        continue;
      }
      const ci = r.rawRecallChangeCi;
      candidates.push({
        observed: -r.rawRecallChange,
        interval: ci ? [-ci[1], -ci[0]] : null,
        threshold,
        value: r.className,
        waived: isWaived,
      });
    }
    const undecided =
      unmeasured.length > 0 ? `class(es) ${unmeasured.join(', ')} have no test examples; waive them to gate the rest` : null;
    const first = candidates[0]?.threshold ?? (typeof thresholds === 'number' ? thresholds : (thresholds.default ?? 0));
    return { kind: 'candidates', threshold: first, candidates, undecided };
  },
  describe: (c, status, { level }) =>
    `class '${c.value}' recall fell ${pp(c.observed)}${fmtInterval(c.interval, pp)} at level ${level.key}, ` +
    `${status === 'pass' ? 'within' : status === 'fail' ? 'more than' : 'possibly more than'} ${pp(c.threshold)}`,
};
