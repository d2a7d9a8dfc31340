import type { InputBatches } from '../evaluate/input-batches.js';

/** Examples per forward pass when the audit does not say (as evaluation's default). */
const DEFAULT_BATCH_SIZE = 1024;

/**
 * Examples per call of the batched latency figure: the audit's batch size, at most the test set.
 * @internal
 * @example
 * timedBatchSize(undefined, 300); // 300
 */
export function timedBatchSize(batchSize: number | undefined, n: number): number {
  return Math.min(batchSize ?? DEFAULT_BATCH_SIZE, n);
}

/**
 * The inputs a model is timed on: the first batch of the test set (the audit's batch size, at most `n` examples), a
 * view of inputs in memory or a copy of the first batch read (batch readers reuse their arrays); `null` when the test
 * set has no inputs.
 * @internal
 * @example
 * const timing = await latencyInputs({ inputs, batches: undefined, n: 1797 }, 256);
 * timing?.rows; // 256
 */
export async function latencyInputs(
  test: { inputs: Float32Array | undefined; batches: InputBatches | undefined; n: number },
  batchSize: number | undefined,
): Promise<{ values: Float32Array; featureSize: number; rows: number } | null> {
  const rows = timedBatchSize(batchSize, test.n);
  if (rows < 1) return null;
  if (test.inputs) {
    const featureSize = test.inputs.length / test.n;
    return { values: test.inputs.subarray(0, rows * featureSize), featureSize, rows };
  }
  if (test.batches) return { values: (await test.batches.read(0, rows)).slice(), featureSize: test.batches.featureSize, rows };
  return null;
}
