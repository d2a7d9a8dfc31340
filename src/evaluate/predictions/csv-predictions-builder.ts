import { parseDecimal } from '../../data/parse-decimal.js';
import { PieAuditError } from '../../errors.js';
import { fromLabels, fromProbabilities, type LoadedPredictions } from './loaded-predictions.js';

/** Column names taken as the label column when a header names several columns. */
const LABEL_COLUMN_NAMES = new Set(['prediction', 'predictions', 'pred', 'predicted', 'label_pred', 'y_pred']);

/** Options of the CSV predictions readers. */
export interface CsvPredictionsOptions {
  /**
   * Whether the first row is a header. Default `'auto'`: a header when a field is empty or not a
   * number, or when the fields are exactly `0,1,...,k-1` (k >= 2, the column names pandas writes for
   * `pd.DataFrame(probs).to_csv(index=False)`). Pass `false` for a headerless file whose first score
   * row happens to read `0,1` (a one-hot row of two classes).
   */
  header?: boolean | 'auto';
}

/** Receives CSV records one by one and builds typed arrays, so memory follows the output. @internal */
export interface CsvPredictionsBuilder {
  add(record: string[], index: number): void;
  finish(): LoadedPredictions;
}

function isPandasColumnNames(fields: string[]): boolean {
  return fields.length >= 2 && fields.every((f, j) => f === String(j));
}

function isHeader(fields: string[], header: CsvPredictionsOptions['header']): boolean {
  if (header === true || header === false) return header;
  return fields.some((f) => f === '' || parseDecimal(f) === undefined) || isPandasColumnNames(fields);
}

/** A Float32Array or Float64Array that doubles when full: at most twice the output in memory. */
function growable<T extends Float32Array | Float64Array>(make: (n: number) => T) {
  let data = make(1024);
  let length = 0;
  return {
    push(v: number) {
      if (length === data.length) {
        const next = make(data.length * 2);
        next.set(data);
        data = next;
      }
      data[length++] = v;
    },
    values: () => data.subarray(0, length) as T,
  };
}

/**
 * Creates the record consumer behind {@link parseCsvPredictions} and the streaming file reader.
 * @throws PieAuditError `CORRUPT_FILE`
 * @internal
 */
export function createCsvPredictionsBuilder(what: string, options: CsvPredictionsOptions = {}): CsvPredictionsBuilder {
  let layout: { skip: number; columns: number; labelColumn: number; byLabel: boolean; header: boolean } | undefined;
  let rows = 0;
  const labels = growable((n) => new Float64Array(n));
  const scores = growable((n) => new Float32Array(n));
  const number = (field: string, row: number, column: number) => {
    const v = parseDecimal(field);
    // The field itself is not echoed: the file may be anything (a mistyped path), and fields may be huge.
    if (v === undefined) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `${what}: data row ${row} column ${column} is not a number (a ${field.length}-character field).`,
        { file: what, row, column },
      );
    }
    return v;
  };
  const start = (fields: string[]) => {
    const header = isHeader(fields, options.header) ? fields : undefined;
    const skip = header && (header[0] === '' || header[0] === 'Unnamed: 0') ? 1 : 0;
    const columns = fields.length - skip;
    if (columns < 1) throw new PieAuditError('CORRUPT_FILE', `${what}: no data columns besides the index column.`, { file: what });
    const labelColumn = header ? header.findIndex((h, j) => j >= skip && LABEL_COLUMN_NAMES.has(h.toLowerCase())) : -1;
    return { skip, columns, labelColumn, byLabel: labelColumn >= 0 || columns === 1, header: header !== undefined };
  };
  return {
    add(record: string[]) {
      const fields = record.map((f) => f.trim());
      if (fields.every((f) => f === '')) return;
      if (layout === undefined) {
        layout = start(fields);
        if (layout.header) return;
      }
      const { skip, columns, labelColumn, byLabel } = layout;
      if (fields.length !== columns + skip) {
        throw new PieAuditError('CORRUPT_FILE', `${what}: data row ${rows} has ${fields.length} fields, expected ${columns + skip}.`, {
          file: what,
          row: rows,
        });
      }
      if (byLabel) {
        const j = labelColumn >= 0 ? labelColumn : skip;
        labels.push(number(fields[j], rows, j));
      } else for (let c = 0; c < columns; c++) scores.push(number(fields[skip + c], rows, skip + c));
      rows++;
    },
    finish(): LoadedPredictions {
      if (layout === undefined) throw new PieAuditError('CORRUPT_FILE', `${what} holds no rows.`, { file: what });
      if (layout.byLabel) return fromLabels(labels.values(), what);
      return fromProbabilities(scores.values().slice(), rows, layout.columns, what);
    },
  };
}
