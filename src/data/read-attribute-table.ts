import { PieAuditError } from '../errors.js';
import { readCelebaAttributes, type CelebaAttributes } from './celeba.js';
import { parseCsv } from './csv.js';
import { parseDecimal } from './parse-decimal.js';
import { readText } from './read-bytes.js';

/** Group attributes per example, by attribute name (a null-prototype record: names come from the file). */
export interface AttributeTable {
  imageIds: string[];
  attributeNames: string[];
  values: Record<string, ArrayLike<number | string | null>>;
}

function csvAttributes(text: string, path: string): AttributeTable {
  const table = parseCsv(text, { source: `attributes CSV '${path}'` });
  const values = Object.create(null) as Record<string, Array<number | string | null>>;
  for (const [j, name] of table.columns.entries()) {
    if (Object.hasOwn(values, name)) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `attributes CSV '${path}' has two columns named '${name}'; rename one (each attribute is one column).`,
        { path, column: name },
      );
    }
    // Numeric columns become numbers, others stay strings; empty or NA cells are missing values.
    const cells = table.rows.map((r) => r[j].trim());
    const missing = (c: string) => c === '' || c === 'NA';
    const numeric = cells.every((c) => missing(c) || (parseDecimal(c) !== undefined && Number.isFinite(parseDecimal(c))));
    values[name] = cells.map((c) => (missing(c) ? null : numeric ? (parseDecimal(c) as number) : c));
  }
  return { imageIds: table.rows.map((_, i) => String(i)), attributeNames: table.columns, values };
}

/**
 * Reads group attributes: CelebA's `list_attr_celeba.txt` (a count line first) or a CSV with one column
 * per attribute. Attribute names such as `__proto__` or `constructor` are ordinary names.
 *
 * @throws {PieAuditError} `CORRUPT_FILE` for a malformed file or duplicate attribute names.
 * @example
 * const table = readAttributeTable('list_attr_celeba.txt');
 * table.values['Blond_Hair']; // Int8Array of 1 / -1
 */
export function readAttributeTable(path: string): AttributeTable {
  const text = readText(path, 'attributes file');
  const newline = text.indexOf('\n');
  const first = (newline < 0 ? text : text.slice(0, newline)).trim();
  if (/^\d+$/.test(first)) return readCelebaAttributes(new TextEncoder().encode(text)) as CelebaAttributes & AttributeTable;
  return csvAttributes(text, path);
}
