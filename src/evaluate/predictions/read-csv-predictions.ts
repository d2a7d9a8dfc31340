import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { createCsvRecordReader } from '../../data/csv-record-reader.js';
import { PieAuditError } from '../../errors.js';
import { createCsvPredictionsBuilder, type CsvPredictionsOptions } from './csv-predictions-builder.js';
import type { LoadedPredictions } from './loaded-predictions.js';

/** Peeks at the first two bytes: gzip files (`1f 8b`) are decompressed on the fly. */
async function isGzipped(file: string): Promise<boolean> {
  const head = createReadStream(file, { start: 0, end: 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of head) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  return bytes.length === 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Streams a predictions CSV file (optionally gzipped) into typed arrays: memory is proportional to the
 * predictions read (4 bytes a score, 8 a label while reading), not to the text, so files far larger
 * than the heap's string limit load. Same layout rules as {@link parseCsvPredictions}.
 *
 * @throws {PieAuditError} `IO_ERROR` when the file cannot be read, `CORRUPT_FILE` for bad content.
 * @example
 * const { probabilities, nClasses } = await readCsvPredictions('scores.csv.gz');
 */
export async function readCsvPredictions(file: string, options: CsvPredictionsOptions = {}): Promise<LoadedPredictions> {
  const builder = createCsvPredictionsBuilder(file, options);
  const reader = createCsvRecordReader((record, index) => builder.add(record, index), { source: file });
  const decoder = new TextDecoder('utf-8');
  let stream: Readable;
  try {
    const gzipped = await isGzipped(file);
    stream = createReadStream(file, { highWaterMark: 1 << 20 });
    if (gzipped) stream = stream.pipe(createGunzip());
  } catch (e) {
    throw new PieAuditError('IO_ERROR', `Cannot read predictions file ${file}: ${(e as Error).message}`, { file }, { cause: e });
  }
  try {
    for await (const chunk of stream) reader.push(decoder.decode(chunk as Buffer, { stream: true }));
  } catch (e) {
    stream.destroy();
    if (e instanceof PieAuditError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code?.startsWith('Z_') ? 'is gzipped but does not decompress' : `cannot be read (${code ?? (e as Error).message})`;
    throw new PieAuditError(
      code?.startsWith('Z_') ? 'CORRUPT_FILE' : 'IO_ERROR',
      `Predictions file ${file} ${why}.`,
      { file },
      { cause: e },
    );
  }
  reader.push(decoder.decode());
  reader.end();
  return builder.finish();
}
