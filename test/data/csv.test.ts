import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numericColumn, parseCsv } from '../../src/data/csv.js';

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) || cell === '' ? `"${cell.replaceAll('"', '""')}"` : cell;
}

describe('parseCsv', () => {
  it('round-trips any table written with RFC 4180 quoting', () => {
    const cell = fc.string({ maxLength: 6 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 8 }),
        fc.boolean(),
        (width, rows, crlf) => {
          const header = Array.from({ length: width }, (_, j) => `c${j}`);
          const body = rows.map((r) => r.slice(0, width));
          const eol = crlf ? '\r\n' : '\n';
          const text = [header, ...body].map((r) => r.map(quote).join(',')).join(eol) + eol;
          const table = parseCsv(text);
          expect(table.columns).toEqual(header);
          expect(table.rows).toEqual(body);
        },
      ),
      { seed: 11, numRuns: 100 },
    );
  });

  it('reports the line of a ragged row', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrowError(/row 3 has 1 fields/);
  });

  it('reads numeric columns, refusing missing cells unless a fill value is given', () => {
    const t = parseCsv('x,y\n1,NA\n2.5,3\n');
    expect(Array.from(numericColumn(t, 'x'))).toEqual([1, 2.5]);
    expect(() => numericColumn(t, 'y')).toThrowError(/column 'y' row 2 is missing/);
    expect(Array.from(numericColumn(t, 'y', { missing: 0 }))).toEqual([0, 3]);
    expect(() => numericColumn(t, 'z')).toThrowError(/no column 'z'/);
  });
});
