import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { float32, list, tableFromArrays, tableToIPC } from '@uwdata/flechette';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createCsvRecordReader } from '../../../src/data/csv-record-reader.js';
import { parseCsvRecords } from '../../../src/data/csv.js';
import { parseDecimal } from '../../../src/data/parse-decimal.js';
import { isPieAuditError } from '../../../src/errors.js';
import { loadPredictions } from '../../../src/evaluate/predictions/load-predictions.js';
import { parseCsvPredictions } from '../../../src/evaluate/predictions/parse-csv-predictions.js';

const SEED = 1212;
const dir = mkdtempSync(join(tmpdir(), 'pie-csv-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const write = (name: string, content: string | Uint8Array) => {
  const file = join(dir, `${counter++}-${name}`);
  writeFileSync(file, content);
  return file;
};
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isPieAuditError(e) ? e.code : `untyped: ${String(e)}`),
  );

/**
 * The bytes `pd.DataFrame(probs).to_csv('scores.csv', index=False)` writes (pandas 1.x and 2.x on Linux):
 * a header of the default column labels `0,1,...,k-1`, then one row per example, floats as Python's
 * repr, '\n' line ends. The values are dyadic fractions, whose repr is the same in Python and JavaScript.
 */
function pandasRecipeOutput(n: number, k: number): { text: string; argmax: number[] } {
  const rows: string[] = [];
  const argmax: number[] = [];
  for (let i = 0; i < n; i++) {
    const hot = (i * 7) % k;
    const row = Array.from({ length: k }, (_, c) => (c === hot ? 0.75 : 0.25 / (k - 1)));
    rows.push(row.map((v) => String(v)).join(','));
    argmax.push(hot);
  }
  return { text: `${Array.from({ length: k }, (_, c) => c).join(',')}\n${rows.join('\n')}\n`, argmax };
}

describe('predictions CSV', () => {
  it('reads the documented pandas recipe as n examples, not n + 1', async () => {
    const { text, argmax } = pandasRecipeOutput(50, 3);
    expect(text.startsWith('0,1,2\n0.75,0.125,0.125\n')).toBe(true);
    const loaded = await loadPredictions(write('scores.csv', text));
    expect(loaded.n).toBe(50);
    expect(loaded.nClasses).toBe(3);
    expect(Array.from(loaded.predictions)).toEqual(argmax);
    // With index=True pandas adds an empty-named index column: same predictions.
    const indexed = `,${text.split('\n')[0]}\n${text
      .split('\n')
      .slice(1, -1)
      .map((r, i) => `${i},${r}`)
      .join('\n')}\n`;
    expect(Array.from((await loadPredictions(write('indexed.csv', indexed))).predictions)).toEqual(argmax);
  });

  it('takes header: false for a headerless file whose first one-hot row is 0,1', () => {
    expect(parseCsvPredictions('0,1\n1,0\n', 'a.csv').n).toBe(1);
    const all = parseCsvPredictions('0,1\n1,0\n', 'a.csv', { header: false });
    expect(Array.from(all.predictions)).toEqual([1, 0]);
    // A first row 0,1,2 that is not exactly the column labels is data.
    expect(parseCsvPredictions('0,2,1\n1,0,0\n', 'b.csv').n).toBe(2);
  });

  it('streams gzipped CSV and rejects a broken gzip stream with a typed error', async () => {
    const { text, argmax } = pandasRecipeOutput(20, 4);
    expect(Array.from((await loadPredictions(write('s.csv', gzipSync(text)))).predictions)).toEqual(argmax);
    const broken = gzipSync(text).subarray(0, 30);
    expect(await codeOf(loadPredictions(write('t.csv', broken)))).toBe('CORRUPT_FILE');
  });

  it('tokenizes the same records whatever the chunking', () => {
    const cell = fc.oneof(fc.constantFrom('', '1', '-2.5e3', 'a"b', 'x,y', 'line\nbreak', ' 7 '), fc.string({ maxLength: 4 }));
    const csvText = fc
      .array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 })
      .chain((rows) =>
        fc.tuple(
          fc.constant(
            rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n'),
          ),
          fc.array(fc.nat(), { maxLength: 8 }),
        ),
      );
    fc.assert(
      fc.property(csvText, ([text, cuts]) => {
        const whole = parseCsvRecords(text);
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunked: string[][] = [];
        const reader = createCsvRecordReader((r) => chunked.push(r));
        let from = 0;
        for (const p of [...points, text.length]) {
          reader.push(text.slice(from, p));
          from = p;
        }
        reader.end();
        expect(chunked).toEqual(whole);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('parses a long field in time linear in its length (ratio to a file of short fields of the same size)', () => {
    const digits = 40_000;
    // A digit run ending in a non-digit is the worst case of the old backtracking expression (~3.3 s here).
    const bad = `0.5,0.5\n0.5,${'1'.repeat(digits)}x\n`;
    const good = `0.5,0.5\n0.5,0.${'0'.repeat(digits)}1\n`;
    const shortRows = '0.5,0.25\n'.repeat(Math.ceil(bad.length / 9));
    const time = (text: string) => {
      const t0 = performance.now();
      for (let r = 0; r < 5; r++) {
        try {
          parseCsvPredictions(text, 'x.csv');
        } catch {
          // the bad field is a CORRUPT_FILE error; only its cost matters here
        }
      }
      return performance.now() - t0;
    };
    time(shortRows);
    const short = time(shortRows);
    expect(time(bad) / short).toBeLessThan(20);
    expect(time(good) / short).toBeLessThan(20);
    expect(() => parseCsvPredictions(bad, 'x.csv')).toThrow(/row 1 column 1 is not a number/);
    expect(parseDecimal(`0.${'0'.repeat(digits)}1`)).toBe(0);
  });

  it('never echoes a field in its errors and bounds a field length', () => {
    const secret = 'root:x:0:0:root:/root:/bin/bash';
    let message = '';
    try {
      parseCsvPredictions(`0.1,0.9\n${secret},0.2\n`, 'x.csv');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('row 1 column 0');
    expect(message).not.toContain('root');
    expect(() => createCsvRecordReader(() => undefined, { maxFieldChars: 10 }).push('12345678901,')).toThrow(/longer than 10/);
  });

  it('reads decimal numbers only: no hex, no blanks', () => {
    expect(parseDecimal('0x10')).toBeUndefined();
    expect(parseDecimal('1_000')).toBeUndefined();
    expect(parseDecimal('')).toBeUndefined();
    expect(parseDecimal('.')).toBeUndefined();
    expect(parseDecimal('1e')).toBeUndefined();
    expect(parseDecimal('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseDecimal('+1.')).toBe(1);
    expect(parseDecimal('.5E-1')).toBe(0.05);
  });
});

describe('predictions files', () => {
  it('rejects Arrow list rows holding null elements (they would read as 0)', async () => {
    const bytes = tableToIPC(
      tableFromArrays(
        {
          scores: [
            [0.1, null],
            [0.7, 0.3],
          ],
        },
        { types: { scores: list(float32()) } },
      ),
      { format: 'file' },
    )!;
    expect(await codeOf(loadPredictions(write('n.arrow', bytes)))).toBe('NON_FINITE');
  });

  it('accepts a byte-order mark in JSON, like config files', async () => {
    expect(Array.from((await loadPredictions(write('b.json', '\ufeff[1,0,2]'))).predictions)).toEqual([1, 0, 2]);
  });

  it('reads only regular files: a directory, a dangling link, a link loop, a FIFO and /dev/zero are typed errors', async () => {
    const folder = join(dir, 'folder.npy');
    execFileSync('mkdir', [folder]);
    const dangling = join(dir, 'dangling.npy');
    symlinkSync(join(dir, 'absent.npy'), dangling);
    const loop = join(dir, 'loop.npy');
    symlinkSync(loop, loop);
    const fifo = join(dir, 'pipe.npy');
    execFileSync('mkfifo', [fifo]);
    const zero = join(dir, 'zero.npy');
    symlinkSync('/dev/zero', zero);
    for (const path of [folder, dangling, loop, fifo, zero]) {
      const error = await loadPredictions(path).catch((e: unknown) => e);
      expect(isPieAuditError(error, 'IO_ERROR'), path).toBe(true);
      expect((error as Error).message).toContain(path);
    }
  });
});
