import { describe, expect, it } from 'vitest';
import { PieAuditError, isPieAuditError } from '../src/errors.js';

describe('PieAuditError', () => {
  it('carries a stable code and details, and is recognised by isPieAuditError', () => {
    const e = new PieAuditError('LENGTH_MISMATCH', 'labels has 3 entries but predicted has 4', { argument: 'predicted' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('PieAuditError');
    expect(e.code).toBe('LENGTH_MISMATCH');
    expect(e.details.argument).toBe('predicted');
    expect(isPieAuditError(e)).toBe(true);
    expect(isPieAuditError(e, 'NON_FINITE')).toBe(false);
    expect(isPieAuditError(new Error('x'))).toBe(false);
  });
});
