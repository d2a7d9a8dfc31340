/**
 * Test inputs read batch by batch, in test-set order, so that evaluation holds one batch at a time instead of the
 * whole test set: an image folder decoded on the fly, a `.npy` file read by ranges, or an in-memory tensor.
 */
export interface InputBatches {
  /** Number of examples. */
  readonly n: number;
  /** Shape of one example, e.g. `[3, 224, 224]`. */
  readonly inputShape: readonly number[];
  /** Values per example (the product of `inputShape`). */
  readonly featureSize: number;
  /** What the inputs are, for messages (`'images (torchvision)'`, `'x.npy'`). */
  readonly description: string;
  /** Examples `start .. start + rows - 1`, row-major; the array may be reused by the next call. */
  read(start: number, rows: number): Promise<Float32Array>;
  /** A content hash of the inputs (the prediction cache's test-set key). */
  contentKey(): Promise<string>;
  /** Releases files and temporary storage. */
  close(): Promise<void>;
}

/** Whether a value is an {@link InputBatches}. @internal */
export function isInputBatches(value: unknown): value is InputBatches {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return false;
  const v = value as Partial<InputBatches>;
  return typeof v.read === 'function' && typeof v.contentKey === 'function' && Number.isInteger(v.n) && Array.isArray(v.inputShape);
}
