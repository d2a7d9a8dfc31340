import { jsonErrorReason } from './json-error-reason.js';
import { PieAuditError } from '../errors.js';
import { jsonDepth, MAX_JSON_DEPTH } from './json-depth.js';
import { duplicateJsonKey } from './json-duplicate-key.js';
import { readText } from './read-bytes.js';

/** Largest JSON config or gates file read: configs are kilobytes. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Reads a JSON file (gzipped or not, a byte-order mark allowed), with errors naming the file and the
 * JSON problem. Nesting deeper than {@link MAX_JSON_DEPTH} is refused before parsing.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` naming the file; `IO_ERROR` when it cannot be read.
 * @example
 * const gates = readJsonFile('gates.json', 'gates file');
 */
export function readJsonFile(path: string, what: string): unknown {
  if (typeof path !== 'string' || path === '')
    throw new PieAuditError('CONFIG_ERROR', `${what} must be a path string; got ${typeof path}.`, { key: what });
  const text = readText(path, what, MAX_CONFIG_BYTES);
  if (text.length > MAX_CONFIG_BYTES)
    throw new PieAuditError('CONFIG_ERROR', `${what} '${path}' is ${text.length} characters; a config is at most ${MAX_CONFIG_BYTES}.`, {
      path,
    });
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw new PieAuditError('CONFIG_ERROR', `${what} '${path}' nests deeper than ${MAX_JSON_DEPTH} levels; no pie-audit config does.`, {
      path,
    });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PieAuditError('CONFIG_ERROR', `${what} '${path}' is not valid JSON: ${jsonErrorReason(e)}.`, { path });
  }
  const duplicate = duplicateJsonKey(text);
  if (duplicate)
    throw new PieAuditError(
      'CONFIG_ERROR',
      `${what} '${path}' names key ${JSON.stringify(duplicate.key)} twice${duplicate.path ? ` in ${duplicate.path}` : ''}; JSON keeps only the last, so remove one.`,
      { path, key: duplicate.key },
    );
  return value;
}
