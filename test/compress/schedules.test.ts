import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantSparsity, polynomialDecay } from '../../src/compress/index.js';
import { isPieAuditError } from '../../src/errors.js';

const steps = fc.record({
  begin: fc.integer({ min: 0, max: 500 }),
  length: fc.integer({ min: 0, max: 2000 }),
  frequency: fc.integer({ min: 1, max: 300 }),
});

describe('constantSparsity (tfmot ConstantSparsity)', () => {
  it('prunes at beginStep and every frequency steps after it, up to endStep inclusive', () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 0, max: 3000 }), ({ begin, length, frequency }, step) => {
        const end = begin + length;
        const s = constantSparsity(0.7, { beginStep: begin, endStep: end, frequency });
        const d = s(step);
        expect(d.sparsity).toBe(0.7);
        if (step < begin || step > end) expect(d.shouldPrune).toBe(false);
        else expect(d.shouldPrune).toBe((step - begin) % frequency === 0);
        expect(s(begin).shouldPrune).toBe(true);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('with endStep -1 keeps pruning forever', () => {
    const s = constantSparsity(0.5, { beginStep: 10, frequency: 100 });
    expect(s.endStep).toBe(-1);
    expect([9, 10, 50, 110, 1_000_010, 1_000_011].map((t) => s(t).shouldPrune)).toEqual([false, true, false, true, true, false]);
  });

  it('defaults to beginStep 0, frequency 100 (the tfmot defaults)', () => {
    const s = constantSparsity(0.9);
    expect([s.beginStep, s.endStep, s.frequency]).toEqual([0, -1, 100]);
    expect(s(0)).toEqual({ shouldPrune: true, sparsity: 0.9 });
    expect(s(100).shouldPrune).toBe(true);
    expect(s(99).shouldPrune).toBe(false);
  });
});

describe('polynomialDecay (tfmot PolynomialDecay)', () => {
  it('follows final + (initial - final) * (1 - p)^power, clamped outside [beginStep, endStep]', () => {
    fc.assert(
      fc.property(
        steps.filter((s) => s.length > 0),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 3000 }),
        ({ begin, length, frequency }, initial, final, power, step) => {
          const s = polynomialDecay(initial, final, { beginStep: begin, endStep: begin + length, power, frequency });
          const p = Math.min(1, Math.max(0, (step - begin) / length));
          expect(s(step).sparsity).toBeCloseTo(final + (initial - final) * (1 - p) ** power, 6);
          expect(s(begin).sparsity).toBeCloseTo(initial, 6);
          expect(s(begin + length).sparsity).toBeCloseTo(final, 6);
          expect(s(begin + length + 5000).sparsity).toBeCloseTo(final, 6);
          expect(s(step).shouldPrune).toBe(step >= begin && step <= begin + length && (step - begin) % frequency === 0);
        },
      ),
      { seed: 12, numRuns: 300 },
    );
  });

  it('rises fast then plateaus for power 3 (Zhu & Gupta)', () => {
    const s = polynomialDecay(0, 0.8, { beginStep: 0, endStep: 100, frequency: 10 });
    expect(s(50).sparsity).toBeCloseTo(0.8 - 0.8 * 0.125, 6);
    expect(s(10).sparsity - s(0).sparsity).toBeGreaterThan(s(100).sparsity - s(90).sparsity);
  });
});

describe('schedule validation', () => {
  it('rejects sparsity outside [0, 1) with INVALID_SPARSITY', () => {
    for (const bad of [1, 1.5, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const e1 = (() => {
        try {
          constantSparsity(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(isPieAuditError(e1, 'INVALID_SPARSITY')).toBe(true);
      expect((e1 as Error).message).toContain('targetSparsity');
      const e2 = (() => {
        try {
          polynomialDecay(0, bad, { endStep: 10 });
        } catch (e) {
          return e;
        }
      })();
      expect(isPieAuditError(e2, 'INVALID_SPARSITY')).toBe(true);
      expect((e2 as Error).message).toContain('finalSparsity');
    }
  });
  it('rejects bad steps like tfmot', () => {
    const bad: Array<() => unknown> = [
      () => constantSparsity(0.5, { beginStep: -1 }),
      () => constantSparsity(0.5, { beginStep: 10, endStep: 5 }),
      () => constantSparsity(0.5, { endStep: -2 }),
      () => constantSparsity(0.5, { frequency: 0 }),
      () => polynomialDecay(0, 0.5, { endStep: -1 }),
      () => polynomialDecay(0, 0.5, { endStep: 10, frequency: 1.5 }),
    ];
    for (const f of bad)
      expect(
        isPieAuditError(
          (() => {
            try {
              f();
            } catch (e) {
              return e;
            }
          })(),
          'INVALID_ARGUMENT',
        ),
      ).toBe(true);
  });
});
