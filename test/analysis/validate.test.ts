import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertLabels, assertClassCount } from '../../src/analysis/validate-labels.js';
import { assertFinite } from '../../src/analysis/validate-finite.js';
import { assertLength, assertArrayLike } from '../../src/analysis/validate-length.js';
import { assertMinSamples, assertPopulation } from '../../src/analysis/validate-population.js';
import { PieAuditError } from '../../src/errors.js';

function caught(f: () => unknown): PieAuditError | null {
  try {
    f();
  } catch (e) {
    if (e instanceof PieAuditError) return e;
    throw e;
  }
  return null;
}

describe('input validators', () => {
  it('assertLabels accepts exactly the integers in [0, nClasses), naming the first bad index otherwise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.oneof(fc.integer({ min: -5, max: 310 }), fc.double({ noDefaultInfinity: false }), fc.constant(Number.NaN)), {
          maxLength: 20,
        }),
        (nClasses, values) => {
          const bad = values.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < nClasses));
          const err = caught(() => assertLabels(values, nClasses, 'labels'));
          if (bad < 0) expect(err).toBeNull();
          else {
            expect(err?.code).toBe(Number.isFinite(values[bad]) ? 'LABEL_OUT_OF_RANGE' : 'NON_FINITE');
            expect(err?.message).toContain(`labels[${bad}]`);
          }
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('assertLabels range-checks unsigned typed arrays too', () => {
    expect(caught(() => assertLabels(Uint8Array.of(0, 1, 2), 3, 'x'))).toBeNull();
    expect(caught(() => assertLabels(Uint16Array.of(0, 300), 300, 'x'))?.code).toBe('LABEL_OUT_OF_RANGE');
    expect(caught(() => assertClassCount(2.5, 'nClasses'))?.code).toBe('INVALID_ARGUMENT');
  });

  it('assertFinite rejects NaN and infinities, and null unless allowed', () => {
    expect(caught(() => assertFinite([1, 2.5, -3], 'xs'))).toBeNull();
    expect(caught(() => assertFinite([1, Infinity], 'xs'))?.message).toContain('xs[1]');
    expect(caught(() => assertFinite([null, 1], 'xs'))?.code).toBe('NON_FINITE');
    expect(caught(() => assertFinite([null, 1], 'xs', { allowNull: true }))).toBeNull();
  });

  it('assertLength, assertArrayLike, assertPopulation and assertMinSamples use the documented codes', () => {
    expect(caught(() => assertLength([1, 2], 3, 'predicted', 'labels'))?.code).toBe('LENGTH_MISMATCH');
    expect(caught(() => assertLength([1, 2], 3, 'predicted', 'labels'))?.message).toMatch(/predicted.*labels/);
    expect(caught(() => assertArrayLike(42, 'labels'))?.code).toBe('INVALID_ARGUMENT');
    expect(caught(() => assertPopulation([], 'baselinePopulation'))?.code).toBe('EMPTY_POPULATION');
    expect(caught(() => assertPopulation([[1], [1, 2]], 'p'))?.message).toContain('p[1]');
    expect(assertPopulation([[1, 2], Uint8Array.of(3, 4)], 'p')).toBe(2);
    expect(caught(() => assertMinSamples(1, 2, 'baselineRecall', 'models'))?.code).toBe('INSUFFICIENT_SAMPLES');
  });
});
