import { shouldPruneInStep, validateSparsity, validateSteps, type PruningDecision, type PruningSchedule } from './pruning-schedule.js';

/** Options for {@link constantSparsity} (tfmot `ConstantSparsity`). */
export interface ConstantSparsityOptions {
  /** First step at which masks are computed (default 0). */
  readonly beginStep?: number;
  /** Last step at which masks may be recomputed; -1 (default) prunes until training ends. */
  readonly endStep?: number;
  /** Recompute masks every `frequency` steps counted from `beginStep` (default 100). */
  readonly frequency?: number;
}

/**
 * Constant-sparsity schedule, as tfmot's `ConstantSparsity`: at steps beginStep, beginStep+frequency, ...
 * (up to endStep inclusive, or forever when endStep is -1) masks are recomputed at `targetSparsity`.
 *
 * @example
 * const s = constantSparsity(0.9, { beginStep: 0, frequency: 100 });
 * s(0);   // { shouldPrune: true, sparsity: 0.9 }
 * s(50);  // { shouldPrune: false, sparsity: 0.9 }
 */
export function constantSparsity(targetSparsity: number, options: ConstantSparsityOptions = {}): PruningSchedule {
  const beginStep = options.beginStep ?? 0;
  const endStep = options.endStep ?? -1;
  const frequency = options.frequency ?? 100;
  validateSteps(beginStep, endStep, frequency, true);
  validateSparsity(targetSparsity, 'targetSparsity');
  const decide = (step: number): PruningDecision => ({
    shouldPrune: shouldPruneInStep(step, beginStep, endStep, frequency),
    sparsity: targetSparsity,
  });
  return Object.freeze(
    Object.assign(decide, { kind: 'constantSparsity' as const, beginStep, endStep, frequency, finalSparsity: targetSparsity }),
  );
}
