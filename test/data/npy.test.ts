import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeNpy } from '../../src/data/npy.js';
import { parseNpy } from '../../src/data/parse-npy.js';

describe('encodeNpy', () => {
  it('writes .npy files that the npy reader reads back exactly (any float32 matrix)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 30 }), (cols, values) => {
        const rows = Math.floor(values.length / cols);
        if (rows === 0) return;
        const data = Float32Array.from(values.slice(0, rows * cols));
        const back = parseNpy(encodeNpy(data, [rows, cols]), 'x.npy');
        expect(back.shape).toEqual([rows, cols]);
        expect(Array.from(back.data as Float32Array)).toEqual(Array.from(data));
      }),
      { seed: 3, numRuns: 50 },
    );
  });

  it('pads the header to a multiple of 64 bytes as numpy does', () => {
    const bytes = encodeNpy(new Int32Array([3, 1, 4]), [3]);
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLen) % 64).toBe(0);
    expect(Array.from(parseNpy(bytes, 'p.npy').data as Int32Array)).toEqual([3, 1, 4]);
  });
});
