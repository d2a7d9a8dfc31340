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

  it("rounds as tfmot's graph: float32 of the double difference initial - final (NumPy float32 reference)", () => {
    // /usr/bin/python3, float32 as TensorFlow's graph computes it (endStep 1000, power 3):
    // p = f32(step) / f32(1000); f32(f32(initial - final) * f32(1 - p) ** f32(3) + f32(final))
    // Rows where (1 - p)^3 is exact in float32, so the reference is bit for bit what pie-audit must give;
    // each differs from float32(initial) - float32(final), the rounding before this fix.
    const exact: Array<[number, number, number, number]> = [
      [0.5, 0.9, 0, 0.4999999701976776],
      [0.1, 0.95, 0, 0.09999996423721313],
      [0.45, 0.6, 0, 0.45000001788139343],
      [0.45, 0.6, 250, 0.5367187857627869],
      [0.1, 0.7, 0, 0.09999996423721313],
      [0.1, 0.7, 250, 0.4468749761581421],
      [0.35, 0.65, 0, 0.34999996423721313],
    ];
    for (const [initial, final, step, want] of exact) expect(polynomialDecay(initial, final, { endStep: 1000 })(step).sparsity).toBe(want);
    // Elsewhere TensorFlow's float32 pow (powf) and the double power rounded to float32 can differ by one ulp.
    const grid: Array<[number, number, number, number]> = [
      [0.5, 0.9, 0, 0.4999999701976776],
      [0.5, 0.9, 100, 0.6083999872207642],
      [0.5, 0.9, 200, 0.6951999664306641],
      [0.5, 0.9, 300, 0.7627999782562256],
      [0.5, 0.9, 400, 0.8135999441146851],
      [0.5, 0.9, 500, 0.8499999642372131],
      [0.5, 0.9, 600, 0.8743999600410461],
      [0.5, 0.9, 700, 0.88919997215271],
      [0.5, 0.9, 800, 0.8967999815940857],
      [0.5, 0.9, 900, 0.8995999693870544],
      [0.5, 0.9, 1000, 0.8999999761581421],
      [0.1, 0.95, 0, 0.09999996423721313],
      [0.1, 0.95, 100, 0.33035004138946533],
      [0.1, 0.95, 200, 0.514799952507019],
      [0.1, 0.95, 300, 0.6584500074386597],
      [0.1, 0.95, 400, 0.7663999795913696],
      [0.1, 0.95, 500, 0.84375],
      [0.1, 0.95, 600, 0.8956000208854675],
      [0.1, 0.95, 700, 0.927049994468689],
      [0.1, 0.95, 800, 0.9431999921798706],
      [0.1, 0.95, 900, 0.9491499662399292],
      [0.1, 0.95, 1000, 0.949999988079071],
      [0.45, 0.6, 0, 0.45000001788139343],
      [0.45, 0.6, 100, 0.4906500279903412],
      [0.45, 0.6, 200, 0.5232000350952148],
      [0.45, 0.6, 300, 0.548550009727478],
      [0.45, 0.6, 400, 0.5676000118255615],
      [0.45, 0.6, 500, 0.581250011920929],
      [0.45, 0.6, 600, 0.5904000401496887],
      [0.45, 0.6, 700, 0.5959500074386597],
      [0.45, 0.6, 800, 0.598800003528595],
      [0.45, 0.6, 900, 0.5998499989509583],
      [0.45, 0.6, 1000, 0.6000000238418579],
    ];
    for (const [initial, final, step, want] of grid) {
      const got = polynomialDecay(initial, final, { endStep: 1000 })(step).sparsity;
      expect(Math.abs(got - want)).toBeLessThanOrEqual(2 ** -24 * 1.0000001);
    }
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
