import { constantSparsity } from '../compress/constant-sparsity.js';
import { polynomialDecay } from '../compress/polynomial-decay.js';
import type { PruningSchedule } from '../compress/pruning-schedule.js';
import { PieAuditError } from '../errors.js';

/** How sparsity is reached during fine-tuning. */
export type PopulationScheduleKind = 'oneShot' | 'polynomial';

/**
 * The fine-tune regime's schedule for one level over `totalSteps` training steps (steps 1..totalSteps,
 * as tfmot counts them). 'oneShot': masks at the level on the first step, ranked on the baseline's own
 * weights, refreshed every `frequency` steps. 'polynomial': from 0 at step 0 to the level at the last
 * step that is a multiple of `frequency`.
 *
 * @example
 * fineTuneSchedule('polynomial', 0.9, 200, 20).endStep; // 200
 * @throws PieAuditError INVALID_ARGUMENT when the frequency leaves no mask update within the budget
 */
export function fineTuneSchedule(
  kind: PopulationScheduleKind | ((level: number, totalSteps: number) => PruningSchedule),
  level: number,
  totalSteps: number,
  frequency: number,
): PruningSchedule {
  if (typeof kind === 'function') return kind(level, totalSteps);
  if (kind === 'oneShot') return constantSparsity(level, { beginStep: 1, frequency });
  if (kind === 'polynomial') {
    if (frequency > totalSteps) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `fineTune.frequency (${frequency}) exceeds the ${totalSteps} fine-tuning steps, so masks would never update; lower it`,
      );
    }
    return polynomialDecay(0, level, { beginStep: 0, endStep: Math.floor(totalSteps / frequency) * frequency, frequency });
  }
  throw new PieAuditError(
    'INVALID_ARGUMENT',
    `fineTune.schedule must be 'oneShot', 'polynomial' or a function (got ${JSON.stringify(kind)})`,
  );
}

/** Gradual-pruning steps of the from-scratch regime. */
export interface GradualSteps {
  readonly beginStep: number;
  readonly endStep: number;
  readonly frequency: number;
}

/**
 * The from-scratch regime's pruning steps: the given ones, or the proportions of Hooker et al.'s runs
 * (prune from step 5,000 to 8,000 every 500 steps of 32,000) scaled to `totalSteps`, with endStep moved
 * onto a pruning turn so the final sparsity is reached.
 *
 * @example
 * gradualSteps({}, 3200); // { beginStep: 500, endStep: 800, frequency: 50 }
 * @throws PieAuditError INVALID_ARGUMENT when the steps do not fit in the training budget
 */
export function gradualSteps(given: Partial<GradualSteps>, totalSteps: number): GradualSteps {
  const frequency = given.frequency ?? Math.max(1, Math.floor((totalSteps * 500) / 32000));
  const beginStep = given.beginStep ?? Math.max(1, Math.floor((totalSteps * 5000) / 32000));
  const end = given.endStep ?? Math.floor((totalSteps * 8000) / 32000);
  const endStep = given.endStep ?? beginStep + frequency * Math.max(1, Math.round((end - beginStep) / frequency));
  if (endStep > totalSteps) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `fromScratch pruning ends at step ${endStep} but training runs ${totalSteps} steps; ` +
        `add epochs or pass fromScratch.endStep <= ${totalSteps}`,
      { endStep, totalSteps },
    );
  }
  return { beginStep, endStep, frequency };
}
