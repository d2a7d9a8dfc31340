import { formatNumber, formatPercent } from '../schema/format.js';
import type { AuditReport, GateDecision, GateResult, GateStatus, LevelReport, Section } from '../schema/index.js';

/** The waiver of a gate config with defaults filled. @internal */
export interface NormalizedWaiver {
  classes: ReadonlySet<string>;
  attributes: ReadonlySet<string>;
  reason: string;
}

/** What one gate check is given. @internal */
export interface GateInput {
  report: AuditReport;
  level: LevelReport;
  /** The threshold as configured (a number, or per-class thresholds for `maxClassRecallDrop`). */
  spec: unknown;
  decision: GateDecision;
  waiver: NormalizedWaiver;
  /** Attribute of an attribute gate, else `null`. */
  attribute: string | null;
  /** Why the level's significance tests lack power (fewer than 5 models), or `null`. */
  underpowered: string | null;
  /**
   * Why the level's intervals cannot back a `'confident'` decision (they resample examples only, so they do not cover
   * retraining), or `null` when they can. A candidate it blocks is `inconclusive` with this reason.
   */
  examplesOnly?: string | null;
}

/** One measured quantity a gate compares with its threshold (a class, a group, or the level itself). @internal */
export interface Candidate {
  observed: number;
  /** Bootstrap interval of `observed`, `null` when none. */
  interval: [number, number] | null;
  threshold: number;
  /** Class name or attribute value, else `null`. */
  value: string | null;
  /** Extra evidence for the reason (e.g. a Fisher p-value); the entry's `decide` may use it. */
  significant?: boolean;
  /** Evidence that the quantity is within its threshold (a one-sided test of the threshold); `'confident'` passes on it. */
  establishedWithin?: boolean;
  note?: string;
  /** A waived class: reported as its own waived row. */
  waived?: boolean;
}

/** What `observe` found: candidates to decide, or a decision it made itself (no measurement possible). @internal */
export type Observation =
  | {
      kind: 'candidates';
      candidates: Candidate[];
      threshold: number;
      undecided?: string | null;
      empty?: { status: GateStatus; reason: string };
    }
  | { kind: 'decided'; status: GateStatus; reason: string; observed: number | null; threshold: number };

/** One row of the gate table: what to read, how to compare, how to say it. @internal */
export interface GateEntry {
  /** Gate name as it appears in results (`maxPieRate`, `attributes.maxFnrGap`). */
  name: string;
  /** Words for the measured quantity, e.g. `PIE rate`. */
  label: string;
  /** The report section the gate reads (a skipped section makes the result inconclusive with its reason). */
  section: (level: LevelReport) => Section<object>;
  observe: (input: GateInput) => Observation;
  /** `'atMost'`: pass when the observation is within a maximum; `'atLeast'`: a minimum. */
  compare: 'atMost' | 'atLeast';
  /** Overrides {@link decideCandidate} (e.g. an over-index that must also be significant to fail). */
  decide?: (candidate: Candidate, decision: GateDecision) => GateStatus;
  /** The reason of a decided candidate. */
  describe: (candidate: Candidate, status: GateStatus, input: GateInput) => string;
}

/**
 * The decision rule of one candidate. `'point'`: the estimate against the threshold. `'confident'` (TFMA's way):
 * fail only when the interval lies wholly beyond the threshold, pass only when wholly within, else inconclusive;
 * without an interval, inconclusive.
 * @internal
 * @example
 * decideCandidate({ observed: 0.04, interval: [0.03, 0.06], threshold: 0.05, value: null }, 'atMost', 'confident'); // 'inconclusive'
 */
export function decideCandidate(c: Candidate, compare: 'atMost' | 'atLeast', decision: GateDecision): GateStatus {
  const within = (v: number) => (compare === 'atMost' ? v <= c.threshold : v >= c.threshold);
  if (decision === 'point') return within(c.observed) ? 'pass' : 'fail';
  if (!c.interval) return 'inconclusive';
  const [low, high] = c.interval;
  const [near, far] = compare === 'atMost' ? [low, high] : [high, low];
  if (!within(near)) return 'fail';
  return within(far) ? 'pass' : 'inconclusive';
}

/** A result row with the defaults every gate shares. @internal */
export function gateResult(r: Omit<GateResult, 'attribute' | 'value' | 'interval' | 'waived'> & Partial<GateResult>): GateResult {
  return {
    gate: r.gate,
    level: r.level,
    attribute: r.attribute ?? null,
    value: r.value ?? null,
    threshold: r.threshold,
    observed: r.observed,
    interval: r.interval ?? null,
    status: r.status,
    waived: r.waived ?? false,
    reason: r.reason,
  };
}

/**
 * Number formatting of gate reasons: integers as is, else 4 significant digits.
 * @internal
 * @example
 * fmt(0.071234); // '0.07123'
 */
export const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());

/**
 * An interval for a reason, e.g. ` (95 % CI 0.01 to 0.03)`; empty without one.
 * @internal
 * @example
 * fmtInterval([0.01, 0.03]); // ' (CI 0.01 to 0.03)'
 */
export const fmtInterval = (ci: [number, number] | null | undefined, format: (v: number) => string = fmt) =>
  !ci ? '' : ` (CI ${format(ci[0])} to ${format(ci[1])})`;

/**
 * A rate or accuracy in a reason, as the reports print it.
 * @internal
 * @example
 * pct(0.2615); // '26.15%'
 */
export const pct = (v: number) => formatPercent(v);

/**
 * A change of a rate in a reason, in percentage points with the reports' precision; the reason's verb ("fell",
 * "rose by") carries the direction, so no plus sign.
 * @internal
 * @example
 * pp(0.0123); // '1.23 pp'
 */
export const pp = (v: number) => `${formatNumber(v * 100, 2)} pp`;
