/**
 * The AuditDiff: what changed between two audits of one test set (`pie-audit diff`, {@link compareAudits}).
 * JSON-serialisable under the report's rules: plain objects, finite numbers and `null` (with a reason) only.
 * @packageDocumentation
 */
import type { ExitCode, GateDecision, GateResult, GateStatus, Verdict } from '../schema/index.js';

/** Layout version of `diff.json`. */
export const DIFF_SCHEMA_VERSION = 1 as const;

/**
 * Regression gates of a diff: each a number for every matching compressed level, or per level key.
 *
 * @example
 * const gates: DiffGatesConfig = { maxNewHurtClasses: 0, maxPieRateIncrease: { '0.9': 0.01 }, decision: 'confident' };
 */
export interface DiffGatesConfig {
  /** Most classes significantly hurt in the candidate that were not hurt before. */
  maxNewHurtClasses?: number | Record<string, number>;
  /** Largest allowed rise of the PIE rate (after minus before, a fraction of the test set). */
  maxPieRateIncrease?: number | Record<string, number>;
  /** Largest allowed rise of the top-1 drop from the baseline (a fraction: 0.01 is 1 pp). */
  maxTop1DropIncrease?: number | Record<string, number>;
  /** Most attribute values significantly over-indexed among PIEs in the candidate that were not before. */
  maxNewOverIndexed?: number | Record<string, number>;
  /** `'point'` (default) compares each change; `'confident'` its interval (see docs/compare.md). */
  decision?: GateDecision;
}

/** One measure before and after, its change (after minus before) and, where both reports have intervals, the change's. */
export interface MeasureChange {
  before: number | null;
  after: number | null;
  /** `after - before`; `null` when either is unknown. */
  change: number | null;
  /**
   * Approximate interval of `change`: `change ± sqrt(h_before² + h_after²)` from the two bootstrap half-widths (conservative
   * when the two estimates are positively correlated over the shared test examples); `null` without both intervals.
   */
  changeCi: [number, number] | null;
}

/** How the two audits' PIE sets at one level overlap. */
export type PieOverlap =
  | {
      status: 'ok';
      /** PIEs before / after / in both / only before / only after. */
      before: number;
      after: number;
      both: number;
      onlyBefore: number;
      onlyAfter: number;
      /** |both| / |either|; 1 when both sets are empty. */
      jaccard: number;
    }
  | { status: 'unavailable'; reason: string };

/** An attribute value over-indexed among PIEs (significant and ratio above 1) in one audit and not the other. */
export interface OverIndexChange {
  attribute: string;
  value: string;
  ratioBefore: number | null;
  ratioAfter: number | null;
  /** Adjusted p of the audit where it is over-indexed. */
  pAdjusted: number | null;
}

/** What changed at one level present in both audits. */
export interface LevelDiff {
  key: string;
  /** Mean top-1 and its drop from each audit's baseline. */
  top1: MeasureChange;
  top1Drop: MeasureChange;
  pieCount: MeasureChange;
  pieRate: MeasureChange;
  /** PIEs beyond the seed-noise floor (`pies.permutation.excess`) and as a rate. */
  excessPies: MeasureChange;
  excessRate: MeasureChange;
  /** Whether the PIE count exceeded the noise floor significantly, before and after (`null`: no noise floor). */
  excessSignificant: { before: boolean | null; after: boolean | null };
  overlap: PieOverlap;
  /** Classes significantly hurt after but not before, and the reverse (class names). */
  classes:
    | { status: 'ok'; newlyHurt: string[]; noLongerHurt: string[]; hurtBefore: string[]; hurtAfter: string[] }
    | { status: 'unavailable' | 'inconclusive'; reason: string };
  attributes:
    | { status: 'ok'; newlyOverIndexed: OverIndexChange[]; noLongerOverIndexed: OverIndexChange[] }
    | { status: 'unavailable' | 'inconclusive'; reason: string };
  /** Why a count-of-significant-results gate at this level has little power (fewer than 5 models), else `null`. */
  underpowered: string | null;
}

/** Which audit a side of the diff is. */
export interface AuditSide {
  /** Where it was read from (the report.json path), `null` for an in-memory report. */
  source: string | null;
  generatedAt: string;
  pieAuditVersion: string;
  verdict: Verdict;
  baselineLevel: string;
  levels: string[];
}

/** The outcome of the diff's regression gates. */
export interface DiffGateEvaluation {
  verdict: GateStatus;
  exitCode: 0 | 1 | 3;
  decision: GateDecision;
  results: GateResult[];
}

/** A finding, in one sentence, for the top of diff.md and diff.html. */
export interface DiffFinding {
  /** Level key, `null` for the whole audit. */
  level: string | null;
  /** `worse` (a regression), `better`, `same`, or `skip` (could not be compared). */
  kind: 'worse' | 'better' | 'same' | 'skip';
  text: string;
}

/** The complete comparison of two audits. */
export interface AuditDiff {
  schemaVersion: typeof DIFF_SCHEMA_VERSION;
  generatedAt: string;
  before: AuditSide;
  after: AuditSide;
  /** What both audits share about the test set. */
  testSet: { n: number; hasLabels: boolean; classNames: string[] };
  /** Compressed levels in both audits, in the candidate's order. */
  levels: LevelDiff[];
  /** Compressed level keys only one audit has. */
  onlyBefore: string[];
  onlyAfter: string[];
  /** Baseline top-1 of each audit (a retrained baseline moves every drop). */
  baselineTop1: MeasureChange;
  /** Warnings the candidate has and the earlier audit had not, and the reverse. */
  newWarnings: string[];
  resolvedWarnings: string[];
  findings: DiffFinding[];
  /** `null` when no gates were given. */
  gates: DiffGateEvaluation | null;
  verdict: Verdict;
  exitCode: ExitCode;
}

/** PIE row indices per level key, as read from a report folder's pies.arrow or pies.csv. */
export type PieSets = Map<string, Set<number>>;
