import { createHash } from 'node:crypto';

/**
 * sha256 of a test set's inputs and per-example shape: the second half of every cache key, so a cached
 * prediction is reused only on byte-identical inputs. Labels are not hashed (predictions do not depend on them).
 *
 * @example
 * hashTestSet(inputs, 100, [8, 8, 1]);
 */
export function hashTestSet(inputs: Float32Array | undefined, n: number, inputShape: readonly number[] | undefined): string {
  const hash = createHash('sha256').update(`test-set\0n=${n}\0shape=${inputShape ? inputShape.join(',') : 'flat'}\0`);
  if (inputs) hash.update(new Uint8Array(inputs.buffer, inputs.byteOffset, inputs.byteLength));
  return hash.digest('hex');
}
