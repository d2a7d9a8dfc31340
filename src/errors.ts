/**
 * Stable machine-readable codes carried by every {@link PieAuditError}.
 * Codes are part of the public API: new codes may be added, existing ones never change meaning.
 */
export type PieAuditErrorCode =
  | 'LENGTH_MISMATCH'
  | 'LABEL_OUT_OF_RANGE'
  | 'NON_FINITE'
  | 'INSUFFICIENT_SAMPLES'
  | 'EMPTY_POPULATION'
  | 'EMPTY_CLASS'
  | 'INVALID_ARGUMENT'
  | 'INVALID_SPARSITY'
  | 'SHAPE_MISMATCH'
  | 'NO_PRUNABLE_LAYERS'
  | 'UNSUPPORTED_LAYER'
  | 'CORRUPT_MODEL'
  | 'CORRUPT_FILE'
  | 'BACKEND_UNAVAILABLE'
  | 'MODULE_NOT_FOUND'
  | 'IO_ERROR'
  | 'CONFIG_ERROR';

/**
 * The one error type pie-audit throws for bad input or an unusable environment.
 *
 * The message names the offending argument (or file, or layer) and says how to fix it;
 * `code` is stable so callers can branch on it; `details` carries structured context.
 *
 * @example
 * try {
 *   findPIEs(baseline, compressed);
 * } catch (e) {
 *   if (e instanceof PieAuditError && e.code === 'LENGTH_MISMATCH') console.error(e.message);
 * }
 */
export class PieAuditError extends Error {
  readonly code: PieAuditErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: PieAuditErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PieAuditError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is a {@link PieAuditError}, optionally with the given code. */
export function isPieAuditError(e: unknown, code?: PieAuditErrorCode): e is PieAuditError {
  return e instanceof PieAuditError && (code === undefined || e.code === code);
}
