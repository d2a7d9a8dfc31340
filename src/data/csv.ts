import { PieAuditError } from '../errors.js';
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
  const delimiter = options.delimiter ?? ',';
  const source = options.source ?? 'CSV input';
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let sawQuote = false; // a quoted empty field makes a real (non-blank) row
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  for (; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
    } else if (c === '"' && field.length === 0) {
      inQuotes = true;
      sawQuote = true;
    }
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      field = '';
      if (!(record.length === 1 && record[0] === '' && !sawQuote)) records.push(record);
      record = [];
      sawQuote = false;
    } else field += c;
  }
  if (inQuotes) throw new PieAuditError('CORRUPT_FILE', `${source} ends inside a quoted field; check for an unbalanced '"'.`);
  if (field.length > 0 || record.length > 0 || sawQuote) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends). The first row is
 * the header. Rows of the wrong width raise a `CORRUPT_FILE` error naming the line.
 *
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
      throw new PieAuditError('CORRUPT_FILE', `${source} row ${r + 2} has ${row.length} fields, the header has ${columns.length}.`, { row: r + 2 });
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
 * @example
 * numericColumn(parseCsv('x\n1\n2\n'), 'x'); // Float64Array [1, 2]
 */
export function numericColumn(table: CsvTable, column: string, options: { missing?: number; source?: string } = {}): Float64Array {
  const j = table.columns.indexOf(column);
  const source = options.source ?? 'CSV table';
  if (j < 0) throw new PieAuditError('INVALID_ARGUMENT', `${source} has no column '${column}'; columns are: ${table.columns.join(', ')}.`, { column });
  const out = new Float64Array(table.rows.length);
  table.rows.forEach((row, r) => {
    const cell = row[j].trim();
    if (cell === '' || cell === 'NA' || cell === 'NaN') {
      if (options.missing === undefined) throw new PieAuditError('NON_FINITE', `${source} column '${column}' row ${r + 2} is missing ('${cell}').`, { column, row: r + 2 });
      out[r] = options.missing;
      return;
    }
    const v = Number(cell);
    if (!Number.isFinite(v)) throw new PieAuditError('NON_FINITE', `${source} column '${column}' row ${r + 2} is not a number: '${cell}'.`, { column, row: r + 2 });
    out[r] = v;
  });
  return out;
}
