import { parseCsvRecords } from '../../data/csv.js';
import { PieAuditError } from '../../errors.js';
import { fromLabels, fromProbabilities, type LoadedPredictions } from './loaded-predictions.js';

/** Column names taken as the label column when a header names several columns. */
const LABEL_COLUMN_NAMES = new Set(['prediction', 'predictions', 'pred', 'predicted', 'label_pred', 'y_pred']);

/**
 * Parses predictions from comma-separated text (RFC 4180 quoting), one example per line.
 *
 * - One column: the top-1 label of each example.
 * - Several columns: one score row per example (column c = class c), unless a header names a
 *   prediction column (`prediction`, `pred`, `y_pred`, ...), which is then read as labels.
 * - A header line is optional: a first line holding any non-numeric field is a header.
 * - A leading index column as written by pandas' `to_csv()` (empty first header field, or
 *   `Unnamed: 0`) is dropped.
 *
 * @example
 * parseCsvPredictions('pred\n3\n1\n', 'preds.csv').predictions; // Uint16Array [3, 1]
 */
export function parseCsvPredictions(text: string, what: string): LoadedPredictions {
  const lines = parseCsvRecords(text, { source: what })
    .map((record) => record.map((f) => f.trim()))
    .filter((record) => record.some((f) => f !== ''));
  if (lines.length === 0) throw new PieAuditError('CORRUPT_FILE', `${what} holds no rows.`, { file: what });
  let header: string[] | undefined;
  const first = lines[0];
  if (first.some((f) => f === '' || !isNumeric(f))) {
    header = first;
    lines.shift();
  }
  let columns = header ? header.length : (lines[0] ?? []).length;
  let skip = 0;
  if (header && (header[0] === '' || header[0] === 'Unnamed: 0')) skip = 1;
  let labelColumn = -1;
  if (header) {
    labelColumn = header.findIndex((h, j) => j >= skip && LABEL_COLUMN_NAMES.has(h.toLowerCase()));
  }
  columns -= skip;
  if (columns < 1) throw new PieAuditError('CORRUPT_FILE', `${what}: no data columns besides the index column.`, { file: what });
  const n = lines.length;
  const byLabel = labelColumn >= 0 || columns === 1;
  const labels: number[] = byLabel ? new Array<number>(n) : [];
  const probabilities = byLabel ? new Float32Array(0) : new Float32Array(n * columns);
  for (let i = 0; i < n; i++) {
    const fields = lines[i];
    if (fields.length !== columns + skip) {
      throw new PieAuditError('CORRUPT_FILE', `${what}: data row ${i} has ${fields.length} fields, expected ${columns + skip}.`, { file: what, row: i });
    }
    if (byLabel) {
      labels[i] = parseField(fields[labelColumn >= 0 ? labelColumn : skip], what, i);
    } else {
      for (let c = 0; c < columns; c++) probabilities[i * columns + c] = parseField(fields[skip + c], what, i);
    }
  }
  return byLabel ? fromLabels(labels, what) : fromProbabilities(probabilities, n, columns, what);
}

function isNumeric(field: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(field) || /^[+-]?(nan|inf|infinity)$/i.test(field);
}

function parseField(field: string, what: string, row: number): number {
  if (!isNumeric(field)) {
    throw new PieAuditError('CORRUPT_FILE', `${what}: data row ${row} holds ${JSON.stringify(field)}, not a number.`, { file: what, row });
  }
  const lower = field.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan' || lower === '-nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return Number(field);
}
