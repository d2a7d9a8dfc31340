import { PieAuditError } from '../../errors.js';
import type { EvaluatePopulationOptions, PerModelEvaluation, PopulationPredictions } from '../types.js';

/** Most values one typed array holds in this runtime (V8: 2^32). */
const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** Allocates `length` floats, or throws a typed error naming `option` and `remedy` when they cannot be held. */
function allocateScores(length: number, what: string, option: string, remedy: string): Float32Array {
  const fail = (why: string) =>
    new PieAuditError('INVALID_ARGUMENT', `${option}: ${what} needs ${length.toLocaleString('en-US')} floats, ${why}; ${remedy}`, {
      name: option,
      length,
    });
  if (length > MAX_TYPED_ARRAY_LENGTH) throw fail(`more than one array can hold (${MAX_TYPED_ARRAY_LENGTH.toLocaleString('en-US')})`);
  try {
    return new Float32Array(length);
  } catch (e) {
    if (e instanceof RangeError) throw fail(`more memory than could be allocated (${e.message})`);
    throw e;
  }
}

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
  /** Score rows of models still running, handed to `onScores` when each is done (streaming mode). */
  private readonly open = new Map<number, Float32Array>();
  /** Score buffers of delivered models, reused by the next ones (streaming mode). */
  private readonly spare: Float32Array[] = [];

  constructor(
    private readonly nModels: number,
    readonly n: number,
    private readonly returnProbabilities: boolean,
    private readonly onScores?: EvaluatePopulationOptions['onScores'],
  ) {
    this.predictions = new Uint16Array(nModels * n);
  }

  /** Whether every model must give score rows (kept whole, or streamed to `onScores`). */
  get needsScores(): boolean {
    return this.returnProbabilities || this.onScores !== undefined;
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
    if (this.onScores) {
      let rows = this.open.get(m);
      if (!rows) {
        rows =
          this.spare.pop() ??
          allocateScores(
            this.n * width,
            `one model's score rows (n x classes = ${this.n} x ${width})`,
            'testSet',
            'evaluate the test set in parts.',
          );
        this.open.set(m, rows);
      }
      return rows;
    }
    if (!this.returnProbabilities) return undefined;
    this.probabilities ??= allocateScores(
      this.nModels * this.n * width,
      `every model's score rows (models x n x classes = ${this.nModels} x ${this.n} x ${width})`,
      'returnProbabilities',
      "pass onScores to receive each model's rows in turn instead of keeping them all.",
    );
    return this.probabilities.subarray(m * this.n * width, (m + 1) * this.n * width);
  }

  /**
   * Hands model `m`'s finished score rows to `onScores` (streaming mode) and keeps the buffer for the next model.
   * A no-op otherwise, or when the model gave no rows.
   */
  deliverScores(m: number): void {
    const rows = this.open.get(m);
    if (!rows || !this.onScores || this.nClasses === undefined) return;
    this.open.delete(m);
    this.onScores(m, rows, this.nClasses);
    this.spare.push(rows);
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
