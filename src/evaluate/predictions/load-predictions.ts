import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { regularFile } from '../../data/regular-file.js';
import { PieAuditError } from '../../errors.js';
import type { PredictionsFileFormat } from '../types.js';
import type { CsvPredictionsOptions } from './csv-predictions-builder.js';
import type { LoadedPredictions } from './loaded-predictions.js';
import { parseArrowPredictions } from './parse-arrow-predictions.js';
import { parseJsonPredictions } from './parse-json-predictions.js';
import { parseNpyPredictions } from './parse-npy-predictions.js';
import { readCsvPredictions } from './read-csv-predictions.js';

const FORMAT_BY_EXTENSION: ReadonlyMap<string, PredictionsFileFormat> = new Map([
  ['.json', 'json'],
  ['.csv', 'csv'],
  ['.npy', 'npy'],
  ['.arrow', 'arrow'],
  ['.feather', 'arrow'],
  ['.ipc', 'arrow'],
]);

/** Largest JSON predictions file read (JSON is parsed whole; use .npy, Arrow or CSV beyond this). */
export const MAX_JSON_PREDICTIONS_BYTES = 256 * 1024 * 1024;

/**
 * The format a predictions file name implies (any case: `M.NPY` is `.npy`), or `undefined` for an
 * unknown extension.
 *
 * @example
 * predictionsFormatOf('run3/preds.npy'); // 'npy'
 */
export function predictionsFormatOf(file: string): PredictionsFileFormat | undefined {
  return FORMAT_BY_EXTENSION.get(extname(file).toLowerCase());
}

async function readWhole(file: string, size: number, format: PredictionsFileFormat): Promise<Buffer> {
  if (format === 'json' && size > MAX_JSON_PREDICTIONS_BYTES) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `Predictions file ${file} is ${size} bytes; JSON predictions are read whole, up to ${MAX_JSON_PREDICTIONS_BYTES} bytes: write .npy, Arrow or CSV instead.`,
      { file, size },
    );
  }
  try {
    return await readFile(file);
  } catch (e) {
    throw new PieAuditError('IO_ERROR', `Cannot read predictions file ${file}: ${(e as Error).message}`, { file }, { cause: e });
  }
}

/**
 * Reads top-1 predictions (and scores, when the file holds scores) written by any framework.
 * Formats (see docs/predictions-formats.md): JSON, CSV (streamed, optionally gzipped), NumPy `.npy`,
 * Arrow IPC / Feather v2. Score rows become labels by argmax (ties: lowest class index, like
 * `numpy.argmax`). Only regular files are read.
 *
 * @throws {PieAuditError} `INVALID_ARGUMENT` for an unknown format, `IO_ERROR` for a missing or special file, `CORRUPT_FILE` for bad content.
 * @example
 * const { predictions, probabilities } = await loadPredictions('preds.npy');
 */
export async function loadPredictions(
  file: string,
  options: { format?: PredictionsFileFormat } & CsvPredictionsOptions = {},
): Promise<LoadedPredictions> {
  if (typeof file !== 'string' || file === '')
    throw new PieAuditError('INVALID_ARGUMENT', `predictions file must be a path string; got ${typeof file}.`, { argument: 'file' });
  const format = options.format ?? predictionsFormatOf(file);
  if (!format) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `Cannot tell the format of predictions file ${file} from its extension; pass { format: 'json' | 'csv' | 'npy' | 'arrow' }.`,
      { file },
    );
  }
  const { size } = await regularFile(file, 'predictions file');
  switch (format) {
    case 'json':
      return parseJsonPredictions((await readWhole(file, size, format)).toString('utf8'), file);
    case 'csv':
      return readCsvPredictions(file, options.header === undefined ? {} : { header: options.header });
    case 'npy':
      return parseNpyPredictions(await readWhole(file, size, format), file);
    case 'arrow':
      return parseArrowPredictions(await readWhole(file, size, format), file);
    default:
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `Unknown predictions format ${JSON.stringify(format)} for ${file}; use 'json', 'csv', 'npy' or 'arrow'.`,
        { file },
      );
  }
}
