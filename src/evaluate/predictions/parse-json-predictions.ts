import { jsonErrorReason } from '../../data/json-error-reason.js';
import { jsonDepth } from '../../data/json-depth.js';
import { PieAuditError } from '../../errors.js';
import { fromLabels, fromProbabilities, type LoadedPredictions } from './loaded-predictions.js';

/**
 * Parses predictions from JSON text. Accepted shapes:
 * - `[3, 0, 7, ...]`: one top-1 label per example;
 * - `{ "predictions": [3, 0, 7, ...] }`;
 * - `[[0.1, 0.9], [0.8, 0.2], ...]` or `{ "probabilities": [[...], ...] }`: one score row per example.
 *
 * `what` names the file in error messages.
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * parseJsonPredictions('{"predictions":[1,0,2]}', 'preds.json').predictions; // Uint16Array [1, 0, 2]
 */
export function parseJsonPredictions(text: string, what: string): LoadedPredictions {
  let value: unknown;
  // Predictions nest two levels at most; deeper text is refused before parsing (see jsonDepth).
  if (jsonDepth(text) > 3)
    throw new PieAuditError('CORRUPT_FILE', `${what}: JSON nests deeper than a list of score rows; expected labels or rows of scores.`, {
      file: what,
    });
  try {
    // A byte-order mark (Windows editors, PowerShell) is accepted, as in config files.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new PieAuditError('CORRUPT_FILE', `${what} is not valid JSON (${jsonErrorReason(e)}).`, { file: what }, { cause: e });
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const own = (key: string) => (Object.hasOwn(obj, key) ? obj[key] : undefined);
    if (Array.isArray(own('predictions'))) value = own('predictions');
    else if (Array.isArray(own('probabilities'))) value = own('probabilities');
    else {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `${what}: expected an array, or an object with a "predictions" or "probabilities" array; found keys ${JSON.stringify(Object.keys(obj))}.`,
        { file: what },
      );
    }
  }
  if (!Array.isArray(value)) {
    throw new PieAuditError('CORRUPT_FILE', `${what}: expected a JSON array of labels or of probability rows.`, { file: what });
  }
  const rows = value as unknown[];
  if (rows.length > 0 && Array.isArray(rows[0])) {
    const nClasses = (rows[0] as unknown[]).length;
    if (nClasses === 0) throw new PieAuditError('CORRUPT_FILE', `${what}: probability rows are empty.`, { file: what });
    const probabilities = new Float32Array(rows.length * nClasses);
    rows.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== nClasses) {
        throw new PieAuditError(
          'CORRUPT_FILE',
          `${what}: row ${i} has ${Array.isArray(row) ? row.length : 'no'} values, row 0 has ${nClasses}; every probability row needs the same length.`,
          { file: what, row: i },
        );
      }
      for (let c = 0; c < nClasses; c++) probabilities[i * nClasses + c] = toNumber(row[c], what, i);
    });
    return fromProbabilities(probabilities, rows.length, nClasses, what);
  }
  return fromLabels(
    rows.map((v, i) => toNumber(v, what, i)),
    what,
  );
}

function toNumber(v: unknown, what: string, example: number): number {
  if (typeof v === 'number') return v;
  // JSON has no NaN/Infinity; writers such as Python's json emit these tokens-as-strings or null.
  if (v === null || typeof v === 'string') {
    throw new PieAuditError('NON_FINITE', `${what}: example ${example} holds ${JSON.stringify(v)} instead of a number.`, {
      file: what,
      example,
    });
  }
  throw new PieAuditError('CORRUPT_FILE', `${what}: example ${example} holds ${JSON.stringify(v)} instead of a number.`, {
    file: what,
    example,
  });
}
