import { PieAuditError } from '../../errors.js';

/**
 * Throws INVALID_ARGUMENT unless `value` is a finite number in the open interval (0, 1).
 * @throws PieAuditError `INVALID_ARGUMENT`
 */
export function assertOpenUnitInterval(value: number, name: string): void {
  if (!(typeof value === 'number' && value > 0 && value < 1)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${name} must be a number strictly between 0 and 1 (got ${String(value)}); for a 95% interval pass 0.95.`,
      { argument: name, value },
    );
  }
}

/**
 * Throws INVALID_ARGUMENT when `value` is NaN or not a number.
 * @throws PieAuditError `INVALID_ARGUMENT`
 */
export function assertNotNaN(value: number, name: string): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} must be a number, got ${String(value)}.`, {
      argument: name,
      value,
    });
  }
}

/**
 * Throws INVALID_ARGUMENT unless `value` is a positive number (Infinity allowed when `allowInfinity`).
 * @throws PieAuditError `INVALID_ARGUMENT`
 */
export function assertPositive(value: number, name: string, allowInfinity = false): void {
  const ok = typeof value === 'number' && value > 0 && (allowInfinity || Number.isFinite(value));
  if (!ok) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${name} must be a positive${allowInfinity ? '' : ' finite'} number (got ${String(value)}).`,
      { argument: name, value },
    );
  }
}

/** The alternative hypotheses shared by the tests in this folder. */
export type Alternative = 'two-sided' | 'less' | 'greater';

/**
 * Returns `alternative` (default 'two-sided') or throws INVALID_ARGUMENT for anything else.
 * @throws PieAuditError `INVALID_ARGUMENT`
 */
export function checkAlternative(alternative: unknown): Alternative {
  if (alternative === undefined) return 'two-sided';
  if (alternative === 'two-sided' || alternative === 'less' || alternative === 'greater') return alternative;
  throw new PieAuditError(
    'INVALID_ARGUMENT',
    `options.alternative must be 'two-sided', 'less' or 'greater' (got ${String(alternative)}).`,
    { argument: 'options.alternative', value: alternative },
  );
}

/** Returns `confLevel` (default 0.95) or throws INVALID_ARGUMENT unless it lies in (0, 1). */
export function checkConfLevel(confLevel: unknown): number {
  if (confLevel === undefined) return 0.95;
  assertOpenUnitInterval(confLevel as number, 'options.confLevel');
  return confLevel as number;
}
