import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy.js';
import { isPieAuditError } from '../../src/errors.js';
import { npyBatches } from '../../src/evaluate/npy-batches.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-npy-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npyBatches', () => {
  it('reads any range of a uint8 or float32 .npy as the whole array would, divided by the divisor', async () => {
    const n = 37;
    const bytes = Uint8Array.from({ length: n * 12 }, (_, i) => (i * 31) % 256);
    writeFileSync(join(dir, 'u8.npy'), encodeNpy(bytes, [n, 2, 2, 3]));
    const floats = Float32Array.from(bytes, (v) => v / 7 - 3);
    writeFileSync(join(dir, 'f4.npy'), encodeNpy(floats, [n, 12]));
    const u8 = npyBatches(join(dir, 'u8.npy'), { divisor: 255 });
    const f4 = npyBatches(join(dir, 'f4.npy'), { inputShape: [3, 4] });
    try {
      expect(u8.inputShape).toEqual([2, 2, 3]);
      expect(f4.inputShape).toEqual([3, 4]);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n }), async (start, want) => {
          const rows = Math.min(want, n - start);
          expect(Array.from(await u8.read(start, rows))).toEqual(
            Array.from(bytes.subarray(start * 12, (start + rows) * 12), (v) => Math.fround(v / 255)),
          );
          expect(Array.from(await f4.read(start, rows))).toEqual(Array.from(floats.subarray(start * 12, (start + rows) * 12)));
        }),
        { numRuns: 50 },
      );
      expect(await u8.contentKey()).not.toBe(await npyBatches(join(dir, 'u8.npy'), { divisor: 1 }).contentKey());
    } finally {
      await u8.close();
      await f4.close();
    }
  });

  it('rejects a non-.npy file, an unsupported dtype and a wrong shape with typed errors naming the file', () => {
    writeFileSync(join(dir, 'text.npy'), 'not numpy');
    expect(() => npyBatches(join(dir, 'text.npy'))).toThrow(/text\.npy/);
    try {
      npyBatches(join(dir, 'u8.npy'), { inputShape: [5] });
      expect.unreachable();
    } catch (e) {
      expect(isPieAuditError(e, 'SHAPE_MISMATCH') && String(e).includes('u8.npy')).toBe(true);
    }
    try {
      npyBatches(join(dir, 'missing.npy'));
      expect.unreachable();
    } catch (e) {
      expect(isPieAuditError(e, 'IO_ERROR')).toBe(true);
    }
  });
});
