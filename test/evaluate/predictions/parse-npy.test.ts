import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPieAuditError } from '../../../src/errors.js';
import { parseNpy } from '../../../src/data/parse-npy.js';
import { parseNpyPredictions } from '../../../src/evaluate/predictions/parse-npy-predictions.js';

// Fixtures written by numpy itself: test/evaluate/fixtures/make-npy-fixtures.py.
const dir = join(import.meta.dirname, '..', 'fixtures', 'npy');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.npy'))
  .map((f) => f.slice(0, -4));

describe('parseNpy reads what numpy.save writes', () => {
  it.each(names)('%s: same shape and values as numpy reads back', (name) => {
    const expected = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { shape: number[]; values: number[] };
    const parsed = parseNpy(readFileSync(join(dir, `${name}.npy`)), `${name}.npy`);
    expect(parsed.shape).toEqual(expected.shape);
    const values = Array.from(parsed.data as ArrayLike<number | bigint>, (v) => Number(v));
    if (name.includes('float32')) {
      values.forEach((v, i) => expect(v).toBeCloseTo(expected.values[i], 6));
    } else {
      expect(values).toEqual(expected.values);
    }
  });

  it('turns 1-D integer arrays into labels and 2-D float arrays into argmax predictions', () => {
    const labels = JSON.parse(readFileSync(join(dir, 'labels-int64.json'), 'utf8')) as { values: number[] };
    expect(Array.from(parseNpyPredictions(readFileSync(join(dir, 'labels-int64.npy')), 'x').predictions)).toEqual(labels.values);
    const scores = JSON.parse(readFileSync(join(dir, 'scores-float64-bigendian.json'), 'utf8')) as { shape: number[]; values: number[] };
    const r = parseNpyPredictions(readFileSync(join(dir, 'scores-float64-bigendian.npy')), 'x');
    const [n, k] = scores.shape;
    expect(r.nClasses).toBe(k);
    for (let i = 0; i < n; i++) {
      const row = scores.values.slice(i * k, (i + 1) * k);
      expect(r.predictions[i]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('rejects a truncated file with CORRUPT_FILE naming the file', () => {
    const bytes = readFileSync(join(dir, 'scores-float32.npy'));
    try {
      parseNpy(bytes.subarray(0, bytes.length - 3), 'cut.npy');
      expect.unreachable();
    } catch (e) {
      expect(isPieAuditError(e, 'CORRUPT_FILE')).toBe(true);
      expect((e as Error).message).toContain('cut.npy');
    }
    expect(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'junk.npy')).toThrow(/junk\.npy/);
  });
});

describe('parseNpy on damaged files', () => {
  it('either reads the file or throws a PieAuditError, never another error', () => {
    const base = readFileSync(join(dir, 'scores-float32.npy'));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (edits, cut) => {
          const bytes = Uint8Array.from(base);
          for (const [at, value] of edits) bytes[at % 140] = value; // damage the header region
          const damaged = bytes.subarray(0, bytes.length - (cut % 8));
          try {
            parseNpyPredictions(damaged, 'damaged.npy');
          } catch (e) {
            expect(isPieAuditError(e)).toBe(true);
          }
        },
      ),
      { seed: 31, numRuns: 300 },
    );
  });
});
