import { PieAuditError } from '../../errors.js';
import { sizeOf } from '../input-shape.js';
import { copyLabels } from '../to-label-array.js';
import type { TestSet } from '../types.js';

/**
 * Validates a test set and derives the number of values per example.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (not an object, bad `n`, `inputShape` or `inputs` type), `LENGTH_MISMATCH`
 *   (inputs or labels not matching `n`), `LABEL_OUT_OF_RANGE` / `NON_FINITE` (bad labels)
 * @example
 * checkTestSet({ inputs, inputShape: [28, 28, 1], n: 10000 }).featureSize; // 784
 */
export function checkTestSet(testSet: TestSet): { n: number; featureSize: number; inputShape: readonly number[] | undefined } {
  if (!testSet || typeof testSet !== 'object')
    throw new PieAuditError('INVALID_ARGUMENT', 'testSet must be an object { inputs?, inputShape?, n, labels? }.', {});
  const { n, inputs, labels, batches } = testSet;
  const inputShape = testSet.inputShape ?? batches?.inputShape;
  if (!Number.isInteger(n) || n < 1)
    throw new PieAuditError('INVALID_ARGUMENT', `testSet.n must be a positive integer, got ${String(n)}.`, { n });
  if (inputShape && (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isInteger(d) || d < 1))) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `testSet.inputShape must list positive integers (per example, no batch dimension), got ${JSON.stringify(inputShape)}.`,
      {},
    );
  }
  let featureSize = inputShape ? sizeOf(inputShape) : 0;
  if (inputs) {
    if (!(inputs instanceof Float32Array))
      throw new PieAuditError('INVALID_ARGUMENT', 'testSet.inputs must be a Float32Array (row-major, example after example).', {});
    if (inputs.length % n !== 0 || inputs.length === 0) {
      throw new PieAuditError('LENGTH_MISMATCH', `testSet.inputs has ${inputs.length} values, not a multiple of testSet.n = ${n}.`, {
        length: inputs.length,
        n,
      });
    }
    if (inputShape && inputs.length !== n * featureSize) {
      throw new PieAuditError(
        'LENGTH_MISMATCH',
        `testSet.inputs has ${inputs.length} values but n = ${n} examples of shape [${inputShape.join(', ')}] need ${n * featureSize}.`,
        { length: inputs.length },
      );
    }
    featureSize = inputs.length / n;
  }
  if (batches && !inputs) {
    if (batches.n !== n)
      throw new PieAuditError('LENGTH_MISMATCH', `testSet.batches holds ${batches.n} examples, testSet.n is ${n}.`, {
        length: batches.n,
        n,
      });
    featureSize = batches.featureSize;
  }
  if (labels) {
    if (labels.length !== n)
      throw new PieAuditError('LENGTH_MISMATCH', `testSet.labels has ${labels.length} entries, testSet.n is ${n}.`, {
        length: labels.length,
        n,
      });
    copyLabels(labels, new Uint16Array(n), 0, 'testSet.labels');
  }
  return { n, featureSize, inputShape };
}
