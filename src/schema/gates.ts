import type { GateStatus } from './vocabulary.js';

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
 *   attributes: { Blond_Hair: { maxOverIndex: 1.5 } },
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
  /**
   * Per attribute: the largest allowed over-index ratio (share among PIEs / share in the test set)
   * of any value of the attribute, checked at every compressed level (or only `levels` when given).
   */
  attributes?: Record<string, AttributeGate>;
}

/** Thresholds on one group attribute. */
export interface AttributeGate {
  /** Largest allowed over-index ratio of any attribute value among PIEs. */
  maxOverIndex?: number;
  /** Largest allowed absolute increase of the false positive rate of any group (binary tasks). */
  maxFprIncrease?: number;
  /** Largest allowed absolute increase of the false negative rate of any group (binary tasks). */
  maxFnrIncrease?: number;
  /** Levels to check; all compressed levels when omitted. */
  levels?: Array<string | number>;
}

/** The outcome of evaluating gates against a report. */
export interface GateEvaluation {
  verdict: GateStatus;
  exitCode: 0 | 1 | 3;
  /** One row per checked threshold. */
  results: GateResult[];
}

/** One checked threshold. */
export interface GateResult {
  /** Gate name: `maxPieRate`, `maxPieCount`, `maxSignificantlyHurtClasses`, `minTop1`,
   * `attributes.maxOverIndex`, `attributes.maxFprIncrease`, `attributes.maxFnrIncrease`. */
  gate: string;
  /** Level key checked. */
  level: string;
  /** Attribute (and value, for attribute gates), else `null`. */
  attribute: string | null;
  value: string | null;
  threshold: number;
  /** Observed value, `null` when it could not be measured. */
  observed: number | null;
  status: GateStatus;
  /** Human-readable explanation, e.g. `PIE rate 0.071 at level 0.9 exceeds 0.05`. */
  reason: string;
}
