import { createHash } from 'node:crypto';
import { PieAuditError } from '../errors.js';
import type { InputBatches } from './input-batches.js';

/**
 * Examples `[start, end)` of other batches, read through them: a distributed evaluate job's share of an image
 * folder or a `.npy` file, so that the job holds one batch at a time however large its range. Closing the view
 * leaves the batches it reads open (their owner closes them).
 *
 * @throws PieAuditError `INVALID_ARGUMENT` for a range that is not inside the batches
 * @example
 * const part = inputBatchesRange(images, 1000, 2000);
 * part.n; // 1000
 * await part.read(0, 100); // images 1000 .. 1099
 */
export function inputBatchesRange(batches: InputBatches, start: number, end: number): InputBatches {
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start < end && end <= batches.n))
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `examples ${start}-${end} are not a range of the ${batches.n} examples of ${batches.description}.`,
      {
        start,
        end,
      },
    );
  const n = end - start;
  return {
    n,
    inputShape: batches.inputShape,
    featureSize: batches.featureSize,
    description: `examples ${start}-${end} of ${batches.description}`,
    read(first, rows) {
      if (!(Number.isSafeInteger(first) && Number.isSafeInteger(rows) && first >= 0 && rows >= 0 && first + rows <= n))
        throw new PieAuditError('INVALID_ARGUMENT', `rows ${first}-${first + rows} are outside the ${n} examples of this range.`, {
          first,
          rows,
        });
      return batches.read(start + first, rows);
    },
    // The range is part of the key: a cached prediction of one range is never taken for another's.
    contentKey: async () =>
      createHash('sha256')
        .update(`${await batches.contentKey()}\0range=${start}-${end}`)
        .digest('hex'),
    close: async () => {},
  };
}
