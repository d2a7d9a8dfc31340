import { PieAuditError } from '../errors.js';

/** What a {@link PruningSchedule} says about one training step. */
export interface PruningDecision {
  /** Whether masks are recomputed at this step (tfmot: `should_prune`). */
  readonly shouldPrune: boolean;
  /** Target fraction of weights set to zero when masks are recomputed, in [0, 1). */
  readonly sparsity: number;
}

/**
 * A pruning schedule in the sense of the TensorFlow Model Optimization Toolkit: given the training
 * step (the optimizer's iteration count), whether to recompute masks and at what sparsity.
 */
export interface PruningSchedule {
  /** The decision for one step (tfmot: `should_prune, sparsity = schedule(step)`). */
  (step: number): PruningDecision;
  readonly kind: 'constantSparsity' | 'polynomialDecay';
  readonly beginStep: number;
  /** Last step at which masks may be recomputed; `-1` means no end (constantSparsity only). */
  readonly endStep: number;
  readonly frequency: number;
  /** The sparsity the schedule ends at (for reports and for deriving one-shot masks). */
  readonly finalSparsity: number;
}

/**
 * tfmot's `_should_prune_in_step`: inside [beginStep, endStep] (or from beginStep on when endStep is
 * -1), every `frequency` steps counted from beginStep.
 *
 * @example
 * shouldPruneInStep(200, 0, 1000, 100); // true
 * shouldPruneInStep(250, 0, 1000, 100); // false
 */
export function shouldPruneInStep(step: number, beginStep: number, endStep: number, frequency: number): boolean {
  const inRange = step >= beginStep && (step <= endStep || endStep < 0);
  // floormod, as tf.math.floormod (non-negative for a positive divisor)
  const offset = step - beginStep;
  const turn = ((offset % frequency) + frequency) % frequency === 0;
  return inRange && turn;
}

/**
 * Checks a sparsity lies in [0, 1), as tfmot's `_validate_sparsity`, throwing `INVALID_SPARSITY`.
 *
 * @throws PieAuditError `INVALID_SPARSITY`
 * @example
 * validateSparsity(0.9, 'sparsity'); // ok
 * validateSparsity(1, 'sparsity');   // throws INVALID_SPARSITY
 */
export function validateSparsity(sparsity: number, name: string): void {
  if (typeof sparsity !== 'number' || !Number.isFinite(sparsity) || sparsity < 0 || sparsity >= 1) {
    throw new PieAuditError(
      'INVALID_SPARSITY',
      `${name} must be a number in [0, 1) (got ${String(sparsity)}); 0.9 means 90% of the weights are set to zero`,
      { [name]: sparsity },
    );
  }
}

/**
 * tfmot's `_validate_step`, throwing `INVALID_ARGUMENT`.
 * @throws PieAuditError `INVALID_ARGUMENT`
 */
export function validateSteps(beginStep: number, endStep: number, frequency: number, allowNoEnd: boolean): void {
  const isInt = (v: number): boolean => Number.isSafeInteger(v);
  if (!isInt(beginStep) || beginStep < 0) {
    throw new PieAuditError('INVALID_ARGUMENT', `beginStep must be an integer >= 0 (got ${beginStep})`);
  }
  if (!isInt(endStep)) throw new PieAuditError('INVALID_ARGUMENT', `endStep must be an integer (got ${endStep})`);
  if (!allowNoEnd && endStep === -1) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      'endStep cannot be -1 for polynomialDecay: the decay needs an end; pass the last training step',
    );
  }
  if (endStep !== -1) {
    if (endStep < 0) throw new PieAuditError('INVALID_ARGUMENT', `endStep must be -1 or >= 0 (got ${endStep})`);
    if (endStep < beginStep) {
      throw new PieAuditError('INVALID_ARGUMENT', `beginStep (${beginStep}) must be <= endStep (${endStep}) when endStep is not -1`);
    }
  }
  if (!isInt(frequency) || frequency <= 0) {
    throw new PieAuditError('INVALID_ARGUMENT', `frequency must be an integer > 0 (got ${frequency})`);
  }
}
