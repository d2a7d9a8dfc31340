import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { readIdx } from '../../src/data/idx.js';
import { isPieAuditError } from '../../src/errors.js';

function encodeIdxUint8(shape: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

describe('readIdx', () => {
  it('decodes any uint8 array written in IDX layout, gzipped or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.integer(),
        (shape, gz, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);
          const file = encodeIdxUint8(shape, data);
          const got = readIdx(gz ? gzipSync(file) : file);
          expect(got.dtype).toBe('uint8');
          expect(got.shape).toEqual(shape);
          expect(Array.from(got.data)).toEqual(Array.from(data));
        },
      ),
      { seed: 7, numRuns: 50 },
    );
  });

  it('reads big-endian float32 elements', () => {
    const file = new Uint8Array(4 + 4 + 8);
    const view = new DataView(file.buffer);
    file[2] = 0x0d;
    file[3] = 1;
    view.setUint32(4, 2, false);
    view.setFloat32(8, 1.5, false);
    view.setFloat32(12, -2.25, false);
    expect(Array.from(readIdx(file).data)).toEqual([1.5, -2.25]);
  });

  it('rejects truncated files with a CORRUPT_FILE error', () => {
    const file = encodeIdxUint8([10], new Uint8Array(10)).subarray(0, 12);
    expect(() => readIdx(file)).toThrowError(/truncated/);
    try {
      readIdx(new Uint8Array([1, 2, 3, 4]));
    } catch (e) {
      expect(isPieAuditError(e, 'CORRUPT_FILE')).toBe(true);
    }
  });
});
