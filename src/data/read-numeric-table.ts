import { PieAuditError } from '../errors.js';
import { parseNpy } from './parse-npy.js';
import { parseCsv } from './csv.js';
import { readIdx } from './idx.js';
import { parseDecimal } from './parse-decimal.js';
import { readBytes, readText } from './read-bytes.js';

/** A numeric matrix (or vector) read from a file. */
export interface NumericTable {
  data: Float64Array | Float32Array | ArrayLike<number>;
  shape: number[];
  /** Column names, for CSV input. */
  columns?: string[];
}

const configError = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

/** True for IDX file names (`t10k-images-idx3-ubyte`, `x.idx`, gzipped or not). */
export function isIdxPath(path: string): boolean {
  return /idx\d-ubyte(\.gz)?$/i.test(path) || /\.idx(\.gz)?$/i.test(path);
}

function csvTable(path: string, key: string, dropColumn: string | undefined): NumericTable {
  const table = parseCsv(readText(path, 'CSV file'), { source: `CSV file '${path}'` });
  const keep = table.columns.map((c, j) => ({ c, j })).filter(({ c }) => c !== dropColumn);
  const data = new Float64Array(table.rows.length * keep.length);
  for (const [r, row] of table.rows.entries()) {
    for (const [k, { c, j }] of keep.entries()) {
      const v = parseDecimal(row[j].trim());
      // The cell is not echoed: the file may be anything a mistyped path points at.
      if (v === undefined || !Number.isFinite(v)) {
        throw new PieAuditError('NON_FINITE', `CSV file '${path}' row ${r + 2} column '${c}' is not a finite decimal number.`, {
          key,
          row: r + 2,
        });
      }
      data[r * keep.length + k] = v;
    }
  }
  return { data, shape: [table.rows.length, keep.length], columns: keep.map((k) => k.c) };
}

/**
 * Reads a numeric matrix (or vector) from IDX, `.npy` or CSV (numeric columns, minus `dropColumn`),
 * the formats of `testSet.inputs` and `testSet.labels` in an audit config. Errors name `key`.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` for a missing file or unknown format, `NON_FINITE` for a non-number cell, `CORRUPT_FILE` for a bad file.
 * @example
 * const { data, shape } = readNumericTable('x_test.npy', 'testSet.inputs');
 */
export function readNumericTable(path: string, key: string, options: { dropColumn?: string } = {}): NumericTable {
  if (isIdxPath(path)) {
    const a = readIdx(path);
    return { data: a.data, shape: a.shape };
  }
  if (/\.npy$/i.test(path)) {
    const a = parseNpy(readBytes(path, 'npy file'), path);
    const data = a.data instanceof BigInt64Array || a.data instanceof BigUint64Array ? Float64Array.from(a.data, Number) : a.data;
    return { data, shape: a.shape };
  }
  if (/\.csv(\.gz)?$/i.test(path)) return csvTable(path, key, options.dropColumn);
  throw configError(key, `cannot tell the format of '${path}'; use IDX (…-idx3-ubyte), .npy or .csv.`);
}
