import { PieAuditError } from '../errors.js';

/** A per-example shape as a model declares it: `null` (tfjs) or a string (ONNX symbolic) is any size. */
export type DeclaredShape = ReadonlyArray<number | string | null>;

/** `[28, 28, 1]`-style text for messages. */
export function formatShape(shape: DeclaredShape | undefined): string {
  return shape ? `[${shape.map((d) => (d === null ? '?' : typeof d === 'string' ? d || '?' : String(d))).join(', ')}]` : '[unknown]';
}

/** True when every known dimension of `declared` equals the same dimension of `actual`. */
export function shapeFits(declared: DeclaredShape, actual: readonly number[]): boolean {
  return declared.length === actual.length && declared.every((d, i) => typeof d !== 'number' || d < 0 || d === actual[i]);
}

/**
 * The per-example shape a model will be fed: the test set's shape when it fits the model's declared
 * input, else `SHAPE_MISMATCH` naming the model and both shapes. Without a test-set shape, the model's
 * declaration is used when fully known.
 *
 * @throws PieAuditError `SHAPE_MISMATCH`
 * @example
 * resolveInputShape([null, 28, 28, 1].slice(1), [28, 28, 1], 'model 0'); // [28, 28, 1]
 */
export function resolveInputShape(declared: DeclaredShape | undefined, testShape: readonly number[] | undefined, model: string): number[] {
  if (testShape) {
    if (!declared || shapeFits(declared, testShape)) return [...testShape];
    throw shapeMismatch(model, declared, testShape);
  }
  if (declared?.every((d) => typeof d === 'number' && d > 0)) return declared as number[];
  throw new PieAuditError(
    'SHAPE_MISMATCH',
    `${model} declares input shape ${formatShape(declared)} per example with unknown dimensions; set testSet.inputShape.`,
    { model, modelShape: declared },
  );
}

/** The `SHAPE_MISMATCH` error for a model whose input does not fit the test set. */
export function shapeMismatch(model: string, declared: DeclaredShape, testShape: readonly number[], hint = ''): PieAuditError {
  return new PieAuditError(
    'SHAPE_MISMATCH',
    `${model} expects inputs of shape ${formatShape(declared)} per example but testSet.inputShape is ${formatShape(testShape)}; ` +
      `reshape the test set (and set testSet.inputShape) to what the model takes${hint}.`,
    { model, modelShape: declared, testSetShape: testShape },
  );
}

/** Product of the dimensions. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
