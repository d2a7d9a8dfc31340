import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockMagnitudeMask, keptCount, magnitudeMask } from '../../src/compress/index.js';
import { isPieAuditError } from '../../src/errors.js';

const LEVELS = [0, 0.3, 0.5, 0.7, 0.9, 0.99];

describe('keptCount (tfmot k)', () => {
  it('rounds half to even in float32 and never drops below one weight', () => {
    expect(keptCount(10, 0.5)).toBe(5);
    expect(keptCount(5, 0.5)).toBe(2); // 2.5 -> 2
    expect(keptCount(3, 0.5)).toBe(2); // 1.5 -> 2
    expect(keptCount(10, 0.99)).toBe(1); // 0.1 -> 0 -> max(.,1)
    expect(keptCount(1000, 0)).toBe(1000);
    expect(keptCount(1000, 0.9)).toBe(100);
  });
  it('prunes within one weight of size * sparsity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(...LEVELS), (n, s) => {
        const pruned = n - keptCount(n, s);
        expect(Math.abs(pruned - n * s)).toBeLessThanOrEqual(1);
      }),
      { seed: 1, numRuns: 500 },
    );
  });
});

describe('magnitudeMask', () => {
  it('keeps exactly the k largest magnitudes', () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: 1, maxLength: 400, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(...LEVELS),
        (values, s) => {
          const { mask, threshold } = magnitudeMask(values, s);
          const k = keptCount(values.length, s);
          const kept: number[] = [];
          const dropped: number[] = [];
          values.forEach((v, i) => (mask[i] ? kept : dropped).push(Math.abs(v)));
          expect(kept.length).toBe(k);
          expect(Math.min(...kept)).toBe(threshold);
          if (dropped.length) expect(Math.max(...dropped)).toBeLessThanOrEqual(threshold);
          // agreement with a full sort (ties by index)
          const order = [...values.keys()].sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || a - b);
          const expected = new Uint8Array(values.length);
          for (const i of order.slice(0, k)) expected[i] = 1;
          expect(Array.from(mask)).toEqual(Array.from(expected));
        },
      ),
      { seed: 2, numRuns: 300 },
    );
  });

  it('selects correctly with heavy ties (quickselect on few distinct magnitudes)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 300 }), fc.constantFrom(...LEVELS), (ints, s) => {
        const values = Float32Array.from(ints, (v) => v / 2);
        const { mask, threshold } = magnitudeMask(values, s);
        const sorted = Array.from(values, Math.abs).sort((a, b) => b - a);
        const k = keptCount(values.length, s);
        expect(threshold).toBe(sorted[k - 1]);
        expect(mask.reduce((a, b) => a + b, 0)).toBe(k);
        const keep = magnitudeMask(values, s, { tieBreak: 'keep' }).mask;
        expect(keep.reduce((a, b) => a + b, 0)).toBe(sorted.filter((v) => v >= threshold).length);
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  it("tieBreak 'keep' reproduces tfmot's >= threshold rule", () => {
    const values = new Float32Array([0.5, -0.5, 0.5, 0.1, 2]);
    // k = round_half_even(5 * 0.5) = 2: the tie at 0.5 is broken by index
    expect(Array.from(magnitudeMask(values, 0.5).mask)).toEqual([1, 0, 0, 0, 1]);
    expect(Array.from(magnitudeMask(values, 0.5, { tieBreak: 'keep' }).mask)).toEqual([1, 1, 1, 0, 1]);
  });

  it('throws NON_FINITE for NaN weights', () => {
    const e = (() => {
      try {
        magnitudeMask(new Float32Array([1, Number.NaN]), 0.5);
      } catch (err) {
        return err;
      }
    })();
    expect(isPieAuditError(e, 'NON_FINITE')).toBe(true);
  });
});

describe('blockMagnitudeMask', () => {
  it('masks whole blocks, ranking blocks by pooled magnitude (AVG and MAX), edge blocks included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<'AVG' | 'MAX'>('AVG', 'MAX'),
        fc.constantFrom(...LEVELS),
        fc.integer(),
        (rows, cols, bh, bw, pooling, s, seed) => {
          let state = seed >>> 0;
          const values = new Float32Array(rows * cols).map(() => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state / 2 ** 32 - 0.5;
          });
          const { mask } = blockMagnitudeMask(values, rows, cols, [bh, bw], pooling, s);
          const pr = Math.ceil(rows / bh);
          const pc = Math.ceil(cols / bw);
          const scores: number[] = [];
          const keptBlocks: boolean[] = [];
          for (let br = 0; br < pr; br++) {
            for (let bc = 0; bc < pc; bc++) {
              const cells: number[] = [];
              const maskCells: number[] = [];
              for (let r = br * bh; r < Math.min(rows, br * bh + bh); r++) {
                for (let c = bc * bw; c < Math.min(cols, bc * bw + bw); c++) {
                  cells.push(Math.abs(values[r * cols + c]));
                  maskCells.push(mask[r * cols + c]);
                }
              }
              expect(new Set(maskCells).size).toBe(1);
              keptBlocks.push(maskCells[0] === 1);
              scores.push(pooling === 'MAX' ? Math.max(...cells) : Math.fround(cells.reduce((a, b) => a + b, 0) / cells.length));
            }
          }
          expect(keptBlocks.filter(Boolean).length).toBe(keptCount(pr * pc, s));
          const minKept = Math.min(...scores.filter((_, i) => keptBlocks[i]));
          const dropped = scores.filter((_, i) => !keptBlocks[i]);
          if (dropped.length) expect(Math.max(...dropped)).toBeLessThanOrEqual(minKept + 1e-6);
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });
});
