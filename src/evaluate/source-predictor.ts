import type { Predictor } from './predictor.js';

/**
 * A {@link Predictor} built by {@link createPredictor}, with what evaluation checks against the test set.
 */
export interface SourcePredictor extends Predictor {
  /** Width of each output row, when known before the first batch. */
  readonly nClasses?: number;
  /** The per-example input shape the predictor feeds its model, when it has one. */
  readonly inputShape?: readonly number[];
  /** For tfjs predictors: which kind of tfjs model runs. */
  readonly modelKind?: 'layers' | 'graph';
  /** The tfjs backend in use (for runtime 'tfjs'). */
  readonly backend?: string;
}
