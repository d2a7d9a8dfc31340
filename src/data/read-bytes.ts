import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PieAuditError } from '../errors.js';
import { regularFileSync } from './regular-file.js';

/**
 * Reads a file as bytes, transparently gunzipping when it starts with the gzip magic bytes.
 * Accepts bytes directly so every reader works on buffers too. Only regular files are read (a FIFO or
 * a device named like a data file would block or never end).
 *
 * @throws {PieAuditError} `IO_ERROR` naming the path, `CORRUPT_FILE` for a broken gzip stream.
 * @example
 * const bytes = readBytes('data/wa_churn.csv.gz'); // decompressed CSV bytes
 */
export function readBytes(source: string | Uint8Array, what = 'file'): Uint8Array {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    regularFileSync(source, what);
    try {
      bytes = readFileSync(source);
    } catch (e) {
      throw new PieAuditError(
        'IO_ERROR',
        `Cannot read ${what} '${source}': ${(e as Error).message}. Check the path.`,
        { path: source },
        { cause: e },
      );
    }
  } else {
    bytes = source;
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `The ${what}${typeof source === 'string' ? ` '${source}'` : ''} looks gzipped but does not decompress: ${(e as Error).message}.`,
        {},
        { cause: e },
      );
    }
  }
  return bytes;
}

/**
 * Reads a (possibly gzipped) text file, or decodes bytes, as UTF-8.
 * @example
 * const text = readText('list_eval_partition.txt.gz');
 */
export function readText(source: string | Uint8Array, what = 'file'): string {
  return new TextDecoder('utf-8').decode(readBytes(source, what));
}
