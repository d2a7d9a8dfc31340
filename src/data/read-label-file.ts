import { PieAuditError } from '../errors.js';
import { parseCsv } from './csv.js';
import { parseDecimal } from './parse-decimal.js';
import { readText } from './read-bytes.js';
import { readNumericTable } from './read-numeric-table.js';

const outOfRange = (key: string, where: string) =>
  new PieAuditError('LABEL_OUT_OF_RANGE', `${key}: ${where} is not a class index (an integer in 0..65535).`, { key });

/**
 * Reads true labels from IDX, `.npy` or CSV (column `column`, or the only column), as class indices.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` for a missing column, `LABEL_OUT_OF_RANGE` for a value that is not a class index.
 * @example
 * const labels = readLabelFile('t10k-labels-idx1-ubyte', 'label', 'testSet.labels');
 */
export function readLabelFile(path: string, column: string, key: string): Uint16Array {
  if (/\.csv(\.gz)?$/i.test(path)) {
    const table = parseCsv(readText(path, 'CSV file'), { source: `CSV file '${path}'` });
    const j = table.columns.length === 1 ? 0 : table.columns.indexOf(column);
    if (j < 0)
      throw new PieAuditError('CONFIG_ERROR', `${key}: CSV file '${path}' has no column '${column}'; set testSet.labelColumn.`, { key });
    return Uint16Array.from(table.rows, (r, i) => {
      const v = parseDecimal(r[j].trim());
      if (v === undefined || !Number.isInteger(v) || v < 0 || v > 65535) throw outOfRange(key, `row ${i + 2} of '${path}'`);
      return v;
    });
  }
  const { data } = readNumericTable(path, key);
  return Uint16Array.from({ length: data.length }, (_, i) => {
    const v = data[i];
    if (!Number.isInteger(v) || v < 0 || v > 65535) throw outOfRange(key, `entry ${i} of '${path}' (${v})`);
    return v;
  });
}
