import type { GateDecision, GateStatus } from './vocabulary.js';

/**
 * Release-gate configuration: thresholds a compressed model population must meet before release.
 *
 * Level keys are the population's level keys as strings (`'0.9'`, `'int8'`); numeric keys in JSON
 * (`{ "0.9": 0.05 }`) are the same thing. Every threshold is checked independently and each breach
 * yields its own reason.
 *
 * @example
 * const gates: GatesConfig = {
 *   maxPieRate: { 0.9: 0.05 },
 *   maxPieCount: { 0.5: 200 },
 *   maxSignificantlyHurtClasses: { 0.9: 0 },
 *   minTop1: { 0.9: 0.95 },
 *   maxTop1Drop: { 0.9: 0.01 },
 *   maxClassRecallDrop: { 0.9: { default: 0.05, '8': 0.3 } },
 *   maxExcessPieRate: { 0.9: 0.02 },
 *   attributes: { Blond_Hair: { maxOverIndex: 1.5, maxFnrGap: 0.05 } },
 *   decision: 'confident',
 *   waive: { classes: ['8'], reason: 'digit 8 is rare in the test set; tracked in issue 42' },
 * };
 */
export interface GatesConfig {
  /** Largest allowed PIE rate (PIEs / test examples, 0..1) per level. */
  maxPieRate?: Record<string, number>;
  /** Largest allowed PIE count per level. */
  maxPieCount?: Record<string, number>;
  /** Largest allowed number of classes significantly hurt (Welch test after correction) per level. */
  maxSignificantlyHurtClasses?: Record<string, number>;
  /** Smallest allowed mean top-1 accuracy (0..1) of the level's population. */
  minTop1?: Record<string, number>;
  /** Largest allowed drop of mean top-1 (baseline mean minus the level's, a fraction: 0.01 is 1 pp) per level. */
  maxTop1Drop?: Record<string, number>;
  /**
   * Largest allowed drop of any class's mean raw recall (baseline minus level, a fraction) per level: one number
   * for every class, or per class name with a `default` for the others (`{ "default": 0.05, "8": 0.3 }`).
   */
  maxClassRecallDrop?: Record<string, number | ClassThresholds>;
  /** Largest allowed excess PIE rate over the seed-noise floor (`pies.permutation.excessRate`) per level. */
  maxExcessPieRate?: Record<string, number>;
  /**
   * Per attribute: the largest allowed over-index ratio (share among PIEs / share in the test set)
   * of any value of the attribute, checked at every compressed level (or only `levels` when given).
   */
  attributes?: Record<string, AttributeGate>;
  /**
   * `'point'` (default) compares each estimate with its threshold; `'confident'` compares its bootstrap interval:
   * fail only when it lies wholly beyond the threshold, pass only when wholly within, else inconclusive.
   */
  decision?: GateDecision;
  /** Classes and attributes whose breaches are listed as `'waived'` instead of counting toward the verdict. */
  waive?: GateWaiver;
}

/** Per-class thresholds: class names mapped to thresholds, `default` for every class not named. */
export interface ClassThresholds {
  default?: number;
  [className: string]: number | undefined;
}

/** What a gate config waives, and why (the reason is printed beside every waived result). */
export interface GateWaiver {
  /** Class names. */
  classes?: string[];
  /** Attribute names: every attribute gate on them is waived. */
  attributes?: string[];
  /** Why, e.g. a tracking issue; required. */
  reason: string;
}

/** Thresholds on one group attribute. */
export interface AttributeGate {
  /** Largest allowed over-index ratio of any attribute value among PIEs. */
  maxOverIndex?: number;
  /** Largest allowed absolute increase of the false positive rate of any group (binary tasks). A degradation measure:
   * a rise shared by every group fails it too. */
  maxFprIncrease?: number;
  /** Largest allowed absolute increase of the false negative rate of any group (binary tasks); degradation, as above. */
  maxFnrIncrease?: number;
  /** Largest allowed gap between a group's FPR change and the rest of the test set's (a disparity measure). */
  maxFprGap?: number;
  /** Largest allowed gap between a group's FNR change and the rest of the test set's. */
  maxFnrGap?: number;
  /** Levels to check; all compressed levels when omitted. */
  levels?: Array<string | number>;
}

/** The outcome of evaluating gates against a report. */
export interface GateEvaluation {
  verdict: GateStatus;
  exitCode: 0 | 1 | 3;
  /** How estimates were compared (`'point'` unless the config says `'confident'`). */
  decision: GateDecision;
  /** One row per checked threshold (waived classes and attributes included, marked `waived`). */
  results: GateResult[];
  /** The config's waiver, echoed; `null` when none. */
  waived: { classes: string[]; attributes: string[]; reason: string } | null;
}

/** One checked threshold. */
export interface GateResult {
  /** Gate name: `maxPieRate`, `maxPieCount`, `maxSignificantlyHurtClasses`, `minTop1`, `maxTop1Drop`,
   * `maxClassRecallDrop`, `maxExcessPieRate`, `attributes.maxOverIndex`, `attributes.maxFprIncrease`,
   * `attributes.maxFnrIncrease`, `attributes.maxFprGap`, `attributes.maxFnrGap`. */
  gate: string;
  /** Level key checked. */
  level: string;
  /** Attribute (and value, for attribute gates), else `null`. For class gates `value` is the class name. */
  attribute: string | null;
  value: string | null;
  threshold: number;
  /** Observed value, `null` when it could not be measured. */
  observed: number | null;
  /** Bootstrap interval of `observed`, `null` when the gate has none (or intervals are off). */
  interval: [number, number] | null;
  /** What the check found; on a waived result, what it would have been. */
  status: GateStatus;
  /** True for a waived class or attribute: listed with what it measured (the reason starts `waived`), never counted
   * in the verdict. */
  waived: boolean;
  /** Human-readable explanation, e.g. `PIE rate 0.071 at level 0.9 exceeds 0.05`. */
  reason: string;
}
