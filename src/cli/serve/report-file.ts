import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File names the server hands out: one plain name directly in the report folder (no separators, no leading dot). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  md: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'text/plain; charset=utf-8',
  arrow: 'application/vnd.apache.arrow.file',
};

/**
 * Reads one file of a report folder for the server, by the name a URL gives: only a regular file (no link, no
 * folder) directly inside `folder`, named without separators or a leading dot; anything else is `null` (a 404), so
 * no request reaches a file outside the folder or lists it.
 *
 * @example
 * const file = await readReportFile('audit-out', 'report.html'); // { bytes, type: 'text/html; charset=utf-8' }
 * await readReportFile('audit-out', '../secret'); // null
 */
export async function readReportFile(folder: string, name: string): Promise<{ bytes: Buffer; type: string } | null> {
  if (!SAFE_NAME.test(name)) return null;
  const path = join(folder, name);
  try {
    if (!(await lstat(path)).isFile()) return null;
    const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    return { bytes: await readFile(path), type: Object.hasOwn(TYPES, extension) ? TYPES[extension] : 'application/octet-stream' };
  } catch {
    return null;
  }
}
