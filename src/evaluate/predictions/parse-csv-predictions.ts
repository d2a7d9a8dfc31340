import { createCsvRecordReader } from '../../data/csv-record-reader.js';
import { createCsvPredictionsBuilder, type CsvPredictionsOptions } from './csv-predictions-builder.js';
import type { LoadedPredictions } from './loaded-predictions.js';

/**
 * Parses predictions from comma-separated text (RFC 4180 quoting), one example per line.
 *
 * - One column: the top-1 label of each example.
 * - Several columns: one score row per example (column c = class c), unless a header names a
 *   prediction column (`prediction`, `pred`, `y_pred`, ...), which is then read as labels.
 * - A header line is optional: a first line holding any non-numeric field is a header, and so is
 *   `0,1,...,k-1` (pandas' default column names); `options.header` overrides the guess.
 * - A leading index column as written by pandas' `to_csv()` (empty first header field, or
 *   `Unnamed: 0`) is dropped.
 *
 * @throws {PieAuditError} `CORRUPT_FILE` for ragged rows or non-numbers, `NON_FINITE` / `LABEL_OUT_OF_RANGE` for bad values.
 * @example
 * parseCsvPredictions('pred\n3\n1\n', 'preds.csv').predictions; // Uint16Array [3, 1]
 */
export function parseCsvPredictions(text: string, what: string, options: CsvPredictionsOptions = {}): LoadedPredictions {
  const builder = createCsvPredictionsBuilder(what, options);
  const reader = createCsvRecordReader((record, index) => builder.add(record, index), { source: what });
  reader.push(text);
  reader.end();
  return builder.finish();
}
