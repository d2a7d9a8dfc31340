import { PieAuditError } from '../../errors.js';
import type { PerModelEvaluation, PopulationPredictions } from '../types.js';

/**
 * The result buffers of one population evaluation, filled model by model: the top-1 labels of every
 * model, the score rows when asked for, the class count the models agree on, and a row per model.
 * One object owns them, so each evaluation path (precomputed, cached, in this thread, in a worker)
 * writes its model's share the same way.
 * @internal
 */
export class PopulationBuffers {
  readonly predictions: Uint16Array;
  readonly perModel: PerModelEvaluation[] = [];
  private probabilities: Float32Array | undefined;
  private nClasses: number | undefined;
  private nClassesFrom = '';
  private maxLabel = -1;

  constructor(
    private readonly nModels: number,
    readonly n: number,
    private readonly returnProbabilities: boolean,
  ) {
    this.predictions = new Uint16Array(nModels * n);
  }

  /** Model `m`'s slice of the label buffer. */
  labelsOf(m: number): Uint16Array {
    return this.predictions.subarray(m * this.n, (m + 1) * this.n);
  }

  /**
   * Checks a model's output width against the others' and returns its slice of the score buffer
   * (allocated on first use), or `undefined` when scores were not asked for.
   * @throws PieAuditError `SHAPE_MISMATCH` when models score different numbers of classes
   */
  scoreRowsOf(m: number, width: number, what: string): Float32Array | undefined {
    if (this.nClasses === undefined) {
      this.nClasses = width;
      this.nClassesFrom = what;
    } else if (this.nClasses !== width) {
      throw new PieAuditError(
        'SHAPE_MISMATCH',
        `${what} outputs ${width} classes but ${this.nClassesFrom} outputs ${this.nClasses}; every model of a population must score the same classes.`,
        { model: m, nClasses: width, expected: this.nClasses },
      );
    }
    if (!this.returnProbabilities) return undefined;
    this.probabilities ??= new Float32Array(this.nModels * this.n * width);
    return this.probabilities.subarray(m * this.n * width, (m + 1) * this.n * width);
  }

  /** Records the largest label of model `m` (for the final class-count check). */
  noteLabelsOf(m: number): void {
    const out = this.labelsOf(m);
    for (let i = 0; i < out.length; i++) if (out[i] > this.maxLabel) this.maxLabel = out[i];
  }

  /** Records the largest label of a label array (precomputed labels, true labels). */
  noteMaxLabel(label: number): void {
    if (label > this.maxLabel) this.maxLabel = label;
  }

  /**
   * The finished result, after checking every label against the class count.
   * @throws PieAuditError `LABEL_OUT_OF_RANGE` when a label or prediction is beyond the models' classes
   */
  result(labels: ArrayLike<number> | undefined): PopulationPredictions {
    if (labels) for (let i = 0; i < labels.length; i++) this.noteMaxLabel(labels[i]);
    if (this.nClasses !== undefined && this.maxLabel >= this.nClasses) {
      throw new PieAuditError(
        'LABEL_OUT_OF_RANGE',
        `a label or prediction equals ${this.maxLabel} but the models score only ${this.nClasses} classes (${this.nClassesFrom}); check that testSet.labels and precomputed predictions use the models' class indices.`,
        { maxLabel: this.maxLabel, nClasses: this.nClasses },
      );
    }
    const result: PopulationPredictions = {
      predictions: this.predictions,
      nClasses: this.nClasses ?? this.maxLabel + 1,
      n: this.n,
      perModel: this.perModel,
    };
    if (this.returnProbabilities && this.probabilities) result.probabilities = this.probabilities;
    return result;
  }
}
