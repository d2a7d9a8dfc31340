import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from '@uwdata/flechette';
import { createCsvRecordReader } from '../data/csv-record-reader.js';
import { PieAuditError } from '../errors.js';
import type { PieSets } from './types.js';

/** Largest pies.arrow read whole (a PIE row takes well under 100 bytes: millions of PIEs fit). */
const MAX_ARROW_BYTES = 512 * 1024 * 1024;

/** The PIE sets a report folder holds, and which file they came from; `null` sets when the folder has neither file. */
export interface PieSetsRead {
  sets: PieSets | null;
  /** `'pies.arrow'`, `'pies.csv'`, or `null` when neither is there. */
  file: string | null;
}

function addIndex(sets: PieSets, level: unknown, index: unknown, n: number, file: string, row: number): void {
  const i = typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : index;
  if (typeof level !== 'string' || typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `${file} row ${row + 1}: level ${JSON.stringify(level)} and index ${JSON.stringify(index)} are not a level key and a test-set row below ${n}; ` +
        're-run the audit to regenerate the file.',
      { file, row: row + 1 },
    );
  }
  const set = sets.get(level) ?? new Set<number>();
  if (set.size === 0) sets.set(level, set);
  set.add(i);
}

async function readArrow(file: string, n: number): Promise<PieSets> {
  const s = await stat(file);
  if (!s.isFile() || s.size > MAX_ARROW_BYTES)
    throw new PieAuditError('CORRUPT_FILE', `${file} is not a regular file of at most ${MAX_ARROW_BYTES} bytes.`, { file });
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(await readFile(file));
  } catch (cause) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `${file} is not an Arrow IPC file (${(cause as Error).message}); re-run the audit.`,
      { file },
      { cause },
    );
  }
  if (!table.names.includes('level') || !table.names.includes('index'))
    throw new PieAuditError('CORRUPT_FILE', `${file} has no 'level' and 'index' columns; it is not a pie-audit pies.arrow.`, { file });
  const levels = table.getChild('level');
  const indices = table.getChild('index');
  const sets: PieSets = new Map();
  for (let r = 0; r < table.numRows; r++) addIndex(sets, levels.at(r), indices.at(r), n, file, r);
  return sets;
}

async function readCsvSets(file: string, n: number): Promise<PieSets> {
  const sets: PieSets = new Map();
  let levelAt = -1;
  let indexAt = -1;
  const reader = createCsvRecordReader(
    (fields, r) => {
      if (r === 0) {
        levelAt = fields.indexOf('level');
        indexAt = fields.indexOf('index');
        if (levelAt < 0 || indexAt < 0)
          throw new PieAuditError('CORRUPT_FILE', `${file} has no 'level' and 'index' columns; it is not a pie-audit pies.csv.`, { file });
        return;
      }
      addIndex(sets, fields[levelAt], fields[indexAt], n, file, r);
    },
    { source: file, maxFieldChars: 1 << 16 },
  );
  // Streamed: memory is one record plus the sets, which are bounded by the test set.
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) reader.push(chunk as string);
  } catch (cause) {
    if (cause instanceof PieAuditError) throw cause;
    throw new PieAuditError('IO_ERROR', `Cannot read ${file}: ${(cause as Error).message}.`, { file }, { cause });
  }
  reader.end();
  return sets;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads the PIE row indices per level from a report folder: `pies.arrow` when present (typed), else `pies.csv`
 * (streamed). `n` is the test-set size every index must lie below. Whether the file lists every PIE (and not just a
 * report's sampled exemplars) is for the caller to check against the report's counts.
 *
 * @throws PieAuditError `CORRUPT_FILE` for a file without `level`/`index` columns or with an index outside the test set
 * @example
 * const { sets } = await readPieSets('audit-out', report.testSet.n); // sets.get('0.9')?.has(17)
 */
export async function readPieSets(folder: string, n: number): Promise<PieSetsRead> {
  const arrow = join(folder, 'pies.arrow');
  if (await isFile(arrow)) return { sets: await readArrow(arrow, n), file: 'pies.arrow' };
  const csv = join(folder, 'pies.csv');
  if (await isFile(csv)) return { sets: await readCsvSets(csv, n), file: 'pies.csv' };
  return { sets: null, file: null };
}
