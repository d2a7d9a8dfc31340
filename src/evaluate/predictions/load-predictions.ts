import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { PieAuditError } from '../../errors.js';
import type { PredictionsFileFormat } from '../types.js';
import type { LoadedPredictions } from './loaded-predictions.js';
import { parseArrowPredictions } from './parse-arrow-predictions.js';
import { parseCsvPredictions } from './parse-csv-predictions.js';
import { parseJsonPredictions } from './parse-json-predictions.js';
import { parseNpyPredictions } from './parse-npy-predictions.js';

const FORMAT_BY_EXTENSION: Record<string, PredictionsFileFormat> = {
  '.json': 'json',
  '.csv': 'csv',
  '.npy': 'npy',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
};

/**
 * The format a predictions file name implies, or `undefined` for an unknown extension.
 *
 * @example
 * predictionsFormatOf('run3/preds.npy'); // 'npy'
 */
export function predictionsFormatOf(file: string): PredictionsFileFormat | undefined {
  return FORMAT_BY_EXTENSION[extname(file).toLowerCase()];
}

/**
 * Reads top-1 predictions (and scores, when the file holds scores) written by any framework.
 * Formats (see docs/predictions-formats.md): JSON, CSV, NumPy `.npy`, Arrow IPC / Feather v2.
 * Score rows become labels by argmax (ties: lowest class index, like `numpy.argmax`).
 *
 * @example
 * const { predictions, probabilities } = await loadPredictions('preds.npy');
 */
export async function loadPredictions(file: string, options: { format?: PredictionsFileFormat } = {}): Promise<LoadedPredictions> {
  const format = options.format ?? predictionsFormatOf(file);
  if (!format) {
    throw new PieAuditError('INVALID_ARGUMENT', `Cannot tell the format of predictions file ${file} from its extension; pass { format: 'json' | 'csv' | 'npy' | 'arrow' }.`, { file });
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new PieAuditError('IO_ERROR', `Cannot read predictions file ${file}: ${(e as Error).message}`, { file }, { cause: e });
  }
  switch (format) {
    case 'json':
      return parseJsonPredictions(bytes.toString('utf8'), file);
    case 'csv':
      return parseCsvPredictions(bytes.toString('utf8'), file);
    case 'npy':
      return parseNpyPredictions(bytes, file);
    case 'arrow':
      return parseArrowPredictions(bytes, file);
    default:
      throw new PieAuditError('INVALID_ARGUMENT', `Unknown predictions format ${JSON.stringify(format)} for ${file}; use 'json', 'csv', 'npy' or 'arrow'.`, { file });
  }
}
