import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';

/**
 * Training examples for fine-tuning: inputs as a tensor or a flat Float32Array with its full shape
 * `[n, ...features]`, and targets as class labels (length n) or a `[n, classes]` tensor (one-hot or
 * soft targets).
 */
export interface TrainingData {
  readonly x: tf.Tensor | Float32Array;
  /** Full shape of `x` when it is a Float32Array, e.g. `[60000, 28, 28, 1]`. */
  readonly shape?: readonly number[];
  readonly y: tf.Tensor | ArrayLike<number>;
}

/** Training data flattened to typed arrays, ready to cut into batches without tensor slicing. */
export interface FlatTrainingData {
  readonly n: number;
  readonly x: Float32Array;
  readonly featureShape: readonly number[];
  readonly featureSize: number;
  /** Class labels when targets are labels. */
  readonly labels?: Int32Array;
  /** Row-major `[n, width]` targets when given as a 2-D tensor. */
  readonly targets?: Float32Array;
  readonly targetWidth: number;
}

/**
 * Validates and flattens {@link TrainingData} (one read of each tensor), checking shapes, finiteness
 * and label range against the model's output width.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `SHAPE_MISMATCH`, `NON_FINITE`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`
 * @example
 * const flat = flattenTrainingData({ x: images, shape: [n, 784], y: labels }, 10);
 */
export function flattenTrainingData(data: TrainingData, outputWidth: number): FlatTrainingData {
  let x: Float32Array;
  let shape: number[];
  if (data.x instanceof Float32Array) {
    if (!data.shape || data.shape.length < 2) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        'data.shape is required with a Float32Array data.x: the full shape [n, ...features], e.g. [60000, 784]',
      );
    }
    shape = [...data.shape];
    x = data.x;
  } else if (data.x instanceof tf.Tensor) {
    shape = [...data.x.shape];
    x = data.x.dataSync() as Float32Array;
    if (!(x instanceof Float32Array)) x = Float32Array.from(x);
  } else {
    throw new PieAuditError('INVALID_ARGUMENT', 'data.x must be a tf.Tensor or a Float32Array');
  }
  const n = shape[0];
  const featureShape = shape.slice(1);
  const featureSize = featureShape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(n) || n <= 0 || x.length !== n * featureSize) {
    throw new PieAuditError('SHAPE_MISMATCH', `data.x has ${x.length} values but its shape [${shape.join(', ')}] needs ${n * featureSize}`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new PieAuditError(
        'NON_FINITE',
        `data.x holds ${x[i]} at flat index ${i} (example ${Math.floor(i / featureSize)}); clean or impute the inputs`,
      );
    }
  }
  const y = data.y;
  if (y instanceof tf.Tensor && y.rank === 2) {
    if (y.shape[0] !== n || y.shape[1] !== outputWidth) {
      throw new PieAuditError(
        'SHAPE_MISMATCH',
        `data.y has shape [${y.shape.join(', ')}] but needs [${n}, ${outputWidth}] (examples x model outputs)`,
      );
    }
    const targets = Float32Array.from(y.dataSync());
    for (let i = 0; i < targets.length; i++) {
      if (!Number.isFinite(targets[i])) throw new PieAuditError('NON_FINITE', `data.y holds ${targets[i]} at flat index ${i}`);
    }
    return { n, x, featureShape, featureSize, targets, targetWidth: outputWidth };
  }
  const raw: ArrayLike<number> = y instanceof tf.Tensor ? y.dataSync() : y;
  if (raw.length !== n) {
    throw new PieAuditError('LENGTH_MISMATCH', `data.y has ${raw.length} labels but data.x has ${n} examples`);
  }
  const classes = outputWidth === 1 ? 2 : outputWidth;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new PieAuditError(
        'LABEL_OUT_OF_RANGE',
        `data.y[${i}] is ${v}; labels must be integers in [0, ${classes - 1}] for this model's ${outputWidth} output(s)`,
      );
    }
    labels[i] = v;
  }
  return { n, x, featureShape, featureSize, labels, targetWidth: outputWidth };
}
