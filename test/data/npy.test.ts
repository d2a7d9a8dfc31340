import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { encodeNpy, readNpy } from '../../src/data/npy.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('readNpy', () => {
  it('reads arrays written by numpy.save (float32, int64, uint8, float64)', () => {
    const probs = readNpy(fixture('probs_f4.npy'));
    expect(probs.shape).toEqual([3, 2]);
    expect(Array.from(probs.data)).toEqual(Array.from(new Float32Array([0.1, 0.9, 0.8, 0.2, 0.5, 0.5])));
    const preds = readNpy(fixture('preds_i8.npy'));
    expect(preds.shape).toEqual([5]);
    expect(Array.from(preds.data)).toEqual([3, 1, 4, 1, 5]);
    expect(Array.from(readNpy(fixture('preds_u1.npy')).data)).toEqual([1, 2, 3, 4, 5, 6]);
    const f8 = readNpy(fixture('f8.npy'));
    expect(f8.data[5]).toBeCloseTo(5 / 7, 15);
  });

  it('round-trips encodeNpy for any float32 matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 30 }), (cols, values) => {
        const rows = Math.floor(values.length / cols);
        if (rows === 0) return;
        const data = Float32Array.from(values.slice(0, rows * cols));
        const back = readNpy(encodeNpy(data, [rows, cols]));
        expect(back.shape).toEqual([rows, cols]);
        expect(Array.from(back.data)).toEqual(Array.from(data));
      }),
      { seed: 3, numRuns: 50 },
    );
  });

  it('names the problem when the file is not NumPy', () => {
    expect(() => readNpy(new Uint8Array(20))).toThrowError(/NumPy magic/);
  });
});
