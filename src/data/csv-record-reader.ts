import { PieAuditError } from '../errors.js';

/** Incremental RFC 4180 tokenizer: text goes in by chunks, records come out one at a time. */
export interface CsvRecordReader {
  /** Feeds the next chunk of text (chunks may split fields, quotes and CRLF anywhere). */
  push(text: string): void;
  /** Ends the input, emitting the last record. */
  end(): void;
}

/** Options of {@link createCsvRecordReader}. */
export interface CsvRecordReaderOptions {
  delimiter?: string;
  /** Names the input in error messages. */
  source?: string;
  /** Longest field accepted, in characters (default 1 MiB): bounds the memory one field can take. */
  maxFieldChars?: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Creates a streaming CSV tokenizer (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends, a
 * leading byte-order mark; blank lines skipped). Each record is handed to `onRecord` with its 0-based
 * index among non-blank records. Work is linear in the input; memory is one record.
 *
 * @throws {PieAuditError} `CORRUPT_FILE` for an unbalanced quote or a field over `maxFieldChars`.
 * @example
 * const rows: string[][] = [];
 * const reader = createCsvRecordReader((r) => rows.push(r));
 * reader.push('1,"x,'); reader.push('y"\n2,z\n'); reader.end(); // rows: [['1', 'x,y'], ['2', 'z']]
 */
// long-function: one streaming RFC 4180 state machine; its state (field, record, quote, line) lives in the closure
// so `push` can resume mid-field across chunks without an object per character.
export function createCsvRecordReader(
  onRecord: (fields: string[], index: number) => void,
  options: CsvRecordReaderOptions = {},
): CsvRecordReader {
  const delimiter = (options.delimiter ?? ',').charCodeAt(0);
  const source = options.source ?? 'CSV input';
  const maxFieldChars = options.maxFieldChars ?? 1 << 20;
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let quoteInQuotes = false; // a '"' inside quotes: the end of the field, or the first of a doubled pair
  let skipLf = false;
  let sawQuote = false; // a quoted empty field makes a real (non-blank) row
  let started = false;
  let count = 0;
  const append = (part: string) => {
    field += part;
    if (field.length > maxFieldChars) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `${source}: record ${count + 1} holds a field longer than ${maxFieldChars} characters; is this a CSV file?`,
        { record: count + 1 },
      );
    }
  };
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '' && !sawQuote)) onRecord(record, count++);
    record = [];
    sawQuote = false;
  };
  return {
    push(text: string) {
      let i = 0;
      if (!started && text.length > 0) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) i = 1;
      }
      let run = i;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (skipLf) {
          skipLf = false;
          if (c === LF) {
            run = i + 1;
            continue;
          }
        }
        if (quoteInQuotes) {
          quoteInQuotes = false;
          if (c === QUOTE) {
            append('"');
            run = i + 1;
            continue;
          }
          inQuotes = false;
        }
        if (inQuotes) {
          if (c === QUOTE) {
            if (i > run) append(text.slice(run, i));
            quoteInQuotes = true;
            run = i + 1;
          }
          continue;
        }
        if (c === QUOTE && field.length === 0 && run === i) {
          inQuotes = true;
          sawQuote = true;
          run = i + 1;
        } else if (c === delimiter || c === LF || c === CR) {
          if (i > run) append(text.slice(run, i));
          if (c === delimiter) {
            record.push(field);
            field = '';
          } else {
            endRecord();
            skipLf = c === CR;
          }
          run = i + 1;
        }
      }
      if (text.length > run) append(text.slice(run));
    },
    end() {
      if (quoteInQuotes) inQuotes = false;
      if (inQuotes) throw new PieAuditError('CORRUPT_FILE', `${source} ends inside a quoted field; check for an unbalanced '"'.`);
      if (field.length > 0 || record.length > 0 || sawQuote) endRecord();
    },
  };
}
