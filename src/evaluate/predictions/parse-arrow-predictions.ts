import { tableFromIPC } from '@uwdata/flechette';
import { PieAuditError } from '../../errors.js';
import { fromLabels, fromProbabilities, type LoadedPredictions } from './loaded-predictions.js';

const LABEL_COLUMN_NAMES = ['prediction', 'predictions', 'pred', 'predicted', 'y_pred'];
// Arrow type ids (Apache Arrow Schema.fbs): Int = 2, Float = 3, List = 12, FixedSizeList = 16, LargeList = 21.
const INT = 2;
const FLOAT = 3;
const LIST_TYPES = new Set([12, 16, 21]);

/**
 * Reads predictions from Arrow IPC bytes (file or stream format, as written by pyarrow/polars/pandas
 * `to_feather`). The table must hold one of:
 * - an integer column named `prediction` (or `predictions`, `pred`, `predicted`, `y_pred`), or a single
 *   integer column: top-1 labels;
 * - a single list / fixed-size-list column of floats: one score row per example;
 * - only float columns: column c holds the score of class c.
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * // pa.feather.write_feather(pa.table({'prediction': preds.astype(np.uint16)}), 'preds.arrow')
 * parseArrowPredictions(readFileSync('preds.arrow'), 'preds.arrow').predictions;
 */
export function parseArrowPredictions(bytes: Uint8Array, what: string): LoadedPredictions {
  try {
    return readArrowTable(bytes, what);
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    // A damaged file can decode into impossible lengths or offsets deep inside the Arrow decoder.
    throw new PieAuditError(
      'CORRUPT_FILE',
      `${what} is not a readable Arrow IPC file (${(e as Error).message}).`,
      { file: what },
      { cause: e },
    );
  }
}

function readArrowTable(bytes: Uint8Array, what: string): LoadedPredictions {
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes, { useBigInt: true });
  } catch (e) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `${what} is not a readable Arrow IPC file (${(e as Error).message}).`,
      { file: what },
      { cause: e },
    );
  }
  const fields = table.schema.fields;
  const n = table.numRows;
  // Every value takes at least one byte of the file: larger counts come from a damaged header.
  if (!Number.isSafeInteger(n) || n * Math.max(1, fields.length) > bytes.length) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `${what} declares ${n} rows, more than its ${bytes.length} bytes can hold; the file is damaged.`,
      { file: what },
    );
  }
  const typeId = (i: number) => (fields[i].type as { typeId: number }).typeId;
  let labelIndex = fields.findIndex(
    (f, i) => LABEL_COLUMN_NAMES.includes(f.name.toLowerCase()) && (typeId(i) === INT || typeId(i) === FLOAT),
  );
  if (labelIndex < 0 && fields.length === 1 && typeId(0) === INT) labelIndex = 0;
  if (labelIndex >= 0) {
    const column = table.getChildAt(labelIndex)!;
    if (column.nullCount > 0) throw nullError(what, fields[labelIndex].name);
    return fromLabels(column.toArray() as ArrayLike<number | bigint>, what);
  }
  if (fields.length === 1 && LIST_TYPES.has(typeId(0))) {
    const column = table.getChildAt(0)!;
    if (column.nullCount > 0 || hasNullElements(column.data)) throw nullError(what, fields[0].name);
    const rows = column.toArray() as ArrayLike<ArrayLike<number>>;
    const nClasses = n > 0 ? rows[0].length : 0;
    if (n * nClasses > bytes.length)
      throw new PieAuditError('CORRUPT_FILE', `${what} declares ${n} x ${nClasses} scores, more than its ${bytes.length} bytes hold.`, {
        file: what,
      });
    const probabilities = new Float32Array(n * nClasses);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row.length !== nClasses) {
        throw new PieAuditError('CORRUPT_FILE', `${what}: row ${i} holds ${row.length} scores, row 0 holds ${nClasses}.`, {
          file: what,
          row: i,
        });
      }
      probabilities.set(row, i * nClasses);
    }
    return fromProbabilities(probabilities, n, nClasses, what);
  }
  if (fields.length > 1 && fields.every((_, i) => typeId(i) === FLOAT)) {
    const nClasses = fields.length;
    const probabilities = new Float32Array(n * nClasses);
    for (let c = 0; c < nClasses; c++) {
      const column = table.getChildAt(c)!;
      if (column.nullCount > 0) throw nullError(what, fields[c].name);
      const values = column.toArray() as ArrayLike<number>;
      for (let i = 0; i < n; i++) probabilities[i * nClasses + c] = values[i];
    }
    return fromProbabilities(probabilities, n, nClasses, what);
  }
  throw new PieAuditError(
    'CORRUPT_FILE',
    `${what}: cannot tell which column holds predictions (columns: ${fields.map((f) => f.name).join(', ')}). Name the integer label column "prediction", or store scores as one list column or only float columns.`,
    { file: what, columns: fields.map((f) => f.name) },
  );
}

/** True when a list column's element batches hold nulls (a row such as `[0.1, null]`, which would read as 0). */
function hasNullElements(batches: ReadonlyArray<{ children?: ReadonlyArray<{ nullCount: number }> }>): boolean {
  return batches.some((b) => (b.children ?? []).some((child) => child.nullCount > 0));
}

function nullError(what: string, column: string): PieAuditError {
  return new PieAuditError('NON_FINITE', `${what}: column "${column}" holds nulls; every example needs a prediction.`, {
    file: what,
    column,
  });
}
