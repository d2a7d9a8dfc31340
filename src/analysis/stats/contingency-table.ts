import { PieAuditError } from '../../errors.js';

/**
 * Reads a table of counts (array of rows), checking shape and values; returns a copy.
 * @throws PieAuditError `INVALID_ARGUMENT`
 */
export function readCountTable(
  table: readonly (readonly number[])[],
  options: { requireIntegers: boolean; exactly2x2: boolean },
): number[][] {
  const fix = options.exactly2x2 ? 'pass [[a, b], [c, d]]' : 'pass an array of equally long rows, at least 2 x 2';
  if (!Array.isArray(table) || table.length < 2) {
    throw new PieAuditError('INVALID_ARGUMENT', `table must have at least 2 rows; ${fix}.`, { argument: 'table' });
  }
  const columns = Array.isArray(table[0]) ? table[0].length : -1;
  if (columns < 2 || table.some((row) => !Array.isArray(row) || row.length !== columns)) {
    throw new PieAuditError('INVALID_ARGUMENT', `table rows must be arrays of the same length (at least 2); ${fix}.`, {
      argument: 'table',
    });
  }
  if (options.exactly2x2 && (table.length !== 2 || columns !== 2)) {
    throw new PieAuditError('INVALID_ARGUMENT', `table is ${table.length} x ${columns}; this test handles 2 x 2 tables only, ${fix}.`, {
      argument: 'table',
      rows: table.length,
      columns,
    });
  }
  return table.map((row, i) =>
    row.map((v: number, j: number) => {
      const ok = typeof v === 'number' && Number.isFinite(v) && v >= 0 && (!options.requireIntegers || Number.isInteger(v));
      if (!ok) {
        throw new PieAuditError(
          'INVALID_ARGUMENT',
          `table[${i}][${j}] is ${String(v)}; counts must be ${options.requireIntegers ? 'non-negative integers' : 'non-negative finite numbers'}.`,
          { argument: 'table', row: i, column: j, value: v },
        );
      }
      return v;
    }),
  );
}
