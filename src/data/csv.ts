import { PieAuditError } from '../errors.js';
import { createCsvRecordReader } from './csv-record-reader.js';
import { readText } from './read-bytes.js';

/** A parsed CSV table: header names and string cells, row-major. */
export interface CsvTable {
  columns: string[];
  rows: string[][];
}

/**
 * Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends, a
 * leading byte-order mark); blank lines are skipped. No header handling and no width check: see
 * {@link parseCsv} for a table with a header row.
 *
 * @example
 * parseCsvRecords('1,"x,y"\n\n2,z\n'); // [['1', 'x,y'], ['2', 'z']]
 */
export function parseCsvRecords(text: string, options: { delimiter?: string; source?: string } = {}): string[][] {
  const records: string[][] = [];
  const reader = createCsvRecordReader((record) => records.push(record), { ...options, maxFieldChars: Number.MAX_SAFE_INTEGER });
  reader.push(text);
  reader.end();
  return records;
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends). The first row is
 * the header. Rows of the wrong width raise a `CORRUPT_FILE` error naming the line.
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * parseCsv('a,b\n1,"x,y"\n'); // { columns: ['a', 'b'], rows: [['1', 'x,y']] }
 */
export function parseCsv(text: string, options: { delimiter?: string; source?: string } = {}): CsvTable {
  const source = options.source ?? 'CSV input';
  const records = parseCsvRecords(text, options);
  if (records.length === 0) throw new PieAuditError('CORRUPT_FILE', `${source} is empty; it needs a header row.`);
  const [columns, ...rows] = records;
  rows.forEach((row, r) => {
    if (row.length !== columns.length) {
      throw new PieAuditError('CORRUPT_FILE', `${source} row ${r + 2} has ${row.length} fields, the header has ${columns.length}.`, {
        row: r + 2,
      });
    }
  });
  return { columns: columns.map((c) => c.trim()), rows };
}

/**
 * Reads a CSV file (gzipped or not) with a header row.
 *
 * @example
 * const { columns, rows } = readCsv('data/wa_churn.csv.gz');
 */
export function readCsv(path: string, options: { delimiter?: string } = {}): CsvTable {
  return parseCsv(readText(path, 'CSV file'), { ...options, source: `CSV file '${path}'` });
}

/**
 * Reads one column of a table as finite numbers; `missing` (default: none allowed) replaces empty or `NA` cells.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `NON_FINITE`
 * @example
 * numericColumn(parseCsv('x\n1\n2\n'), 'x'); // Float64Array [1, 2]
 */
export function numericColumn(table: CsvTable, column: string, options: { missing?: number; source?: string } = {}): Float64Array {
  const j = table.columns.indexOf(column);
  const source = options.source ?? 'CSV table';
  if (j < 0)
    throw new PieAuditError('INVALID_ARGUMENT', `${source} has no column '${column}'; columns are: ${table.columns.join(', ')}.`, {
      column,
    });
  const out = new Float64Array(table.rows.length);
  table.rows.forEach((row, r) => {
    const cell = row[j].trim();
    if (cell === '' || cell === 'NA' || cell === 'NaN') {
      if (options.missing === undefined)
        throw new PieAuditError('NON_FINITE', `${source} column '${column}' row ${r + 2} is missing ('${cell}').`, { column, row: r + 2 });
      out[r] = options.missing;
      return;
    }
    const v = Number(cell);
    if (!Number.isFinite(v))
      throw new PieAuditError('NON_FINITE', `${source} column '${column}' row ${r + 2} is not a number: '${cell}'.`, {
        column,
        row: r + 2,
      });
    out[r] = v;
  });
  return out;
}
