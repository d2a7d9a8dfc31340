import { shouldPruneInStep, validateSparsity, validateSteps, type PruningDecision, type PruningSchedule } from './pruning-schedule.js';

/** Options for {@link polynomialDecay} (tfmot `PolynomialDecay`). */
export interface PolynomialDecayOptions {
  /** Step at which sparsity starts rising from `initialSparsity` (default 0). */
  readonly beginStep?: number;
  /** Step at which `finalSparsity` is reached; required, must be >= beginStep. */
  readonly endStep: number;
  /** Exponent of the decay (default 3). */
  readonly power?: number;
  /** Recompute masks every `frequency` steps counted from `beginStep` (default 100). */
  readonly frequency?: number;
}

/**
 * Polynomial-decay schedule (Zhu & Gupta 2017), as tfmot's `PolynomialDecay`:
 *
 *   p = clamp((step - beginStep) / (endStep - beginStep), 0, 1)
 *   sparsity = finalSparsity + (initialSparsity - finalSparsity) * (1 - p)^power
 *
 * computed in float32 as tfmot's graph does: `initialSparsity - finalSparsity` is the double difference rounded to
 * float32 once (Python subtracts the floats before TensorFlow sees them), every later step is float32, and
 * `(1 - p)^power` is the double power rounded to float32 (TensorFlow's float32 `pow` can differ from it by one ulp).
 * Masks are recomputed at beginStep, beginStep+frequency, ... up to
 * endStep inclusive. When
 * endStep equals beginStep (tfmot divides by zero there) p is taken as 1 from beginStep on.
 *
 * @example
 * const s = polynomialDecay(0.5, 0.9, { beginStep: 0, endStep: 1000 });
 * s(0).sparsity;    // 0.5
 * s(1000).sparsity; // 0.9
 */
export function polynomialDecay(initialSparsity: number, finalSparsity: number, options: PolynomialDecayOptions): PruningSchedule {
  const beginStep = options.beginStep ?? 0;
  const endStep = options.endStep;
  const power = options.power ?? 3;
  const frequency = options.frequency ?? 100;
  validateSteps(beginStep, endStep, frequency, false);
  validateSparsity(initialSparsity, 'initialSparsity');
  validateSparsity(finalSparsity, 'finalSparsity');
  const decide = (step: number): PruningDecision => {
    const span = endStep - beginStep;
    // float32 throughout, as tfmot's graph computes it, so levels round to the same kept counts
    const f = Math.fround;
    const p = span === 0 ? (step >= beginStep ? 1 : 0) : Math.min(1, Math.max(0, f(f(step - beginStep) / f(span))));
    // tfmot subtracts the two Python floats in double and converts the difference to float32 once.
    const sparsity = f(f(f(initialSparsity - finalSparsity) * f(f(1 - p) ** power)) + f(finalSparsity));
    return { shouldPrune: shouldPruneInStep(step, beginStep, endStep, frequency), sparsity };
  };
  return Object.freeze(Object.assign(decide, { kind: 'polynomialDecay' as const, beginStep, endStep, frequency, finalSparsity }));
}
