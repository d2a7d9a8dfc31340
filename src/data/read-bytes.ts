import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PieAuditError } from '../errors.js';
import { regularFileSync } from './regular-file.js';

/**
 * Most bytes a reader takes from one file, after decompression (2 GiB, Node's largest buffer on 64-bit
 * hosts is 4 GiB): a gzip bomb stops here with a typed error instead of exhausting memory.
 */
export const MAX_READ_BYTES = 2 * 1024 * 1024 * 1024;

/** Most bytes {@link readText} decodes: V8's longest string is 2^29 - 24 characters. */
export const MAX_TEXT_BYTES = 2 ** 29 - 24;

function tooLarge(what: string, source: string | Uint8Array, maxBytes: number, decompressed: boolean): PieAuditError {
  const name = typeof source === 'string' ? ` '${source}'` : '';
  return new PieAuditError(
    'CORRUPT_FILE',
    `The ${what}${name} is larger than ${maxBytes} bytes${decompressed ? ' once decompressed' : ''}, more than this reader takes; check the file.`,
    { ...(typeof source === 'string' ? { path: source } : {}), maxBytes },
  );
}

/**
 * Reads a file as bytes, transparently gunzipping when it starts with the gzip magic bytes; at most
 * `maxBytes` bytes (after decompression), else a `CORRUPT_FILE` error naming the file.
 * Accepts bytes directly so every reader works on buffers too. Only regular files are read (a FIFO or
 * a device named like a data file would block or never end).
 *
 * @throws {PieAuditError} `IO_ERROR` naming the path, `CORRUPT_FILE` for a broken gzip stream.
 * @example
 * const bytes = readBytes('data/wa_churn.csv.gz'); // decompressed CSV bytes
 */
export function readBytes(source: string | Uint8Array, what = 'file', maxBytes = MAX_READ_BYTES): Uint8Array {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    if (regularFileSync(source, what).size > maxBytes) throw tooLarge(what, source, maxBytes, false);
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
      // The output is capped as it is produced: a 1 MB bomb never becomes 1.5 GB in memory.
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(what, source, maxBytes, true);
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
export function readText(source: string | Uint8Array, what = 'file', maxBytes = MAX_TEXT_BYTES): string {
  return new TextDecoder('utf-8').decode(readBytes(source, what, maxBytes));
}
