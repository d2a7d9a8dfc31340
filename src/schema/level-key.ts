/**
 * Level keys: how a population level (`0.9`, `'int8'`) is named in populations, reports and gates.
 * One rule for all of them, so a level read from a folder, a config or a report matches itself.
 * @packageDocumentation
 */

/**
 * Canonical key of a level: numbers print as JavaScript does (`0.90` -> `'0.9'`), names such as
 * `'int8'` are trimmed.
 *
 * @example
 * levelKey(0.9); // '0.9'
 * levelKey(' int8 '); // 'int8'
 */
export function levelKey(level: string | number): string {
  return typeof level === 'number' ? String(level) : level.trim();
}

/** Plain decimal spellings only: `0`, `0.9`, `.5`, `90.` (no hex, exponents, signs or blanks). */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * The key read as a number when it is one (a target sparsity), else `null`. Only decimal spellings
 * count: `'0x10'` is a name, never 16. Numerically equal keys (`'0.3'`, `'0.30'`) give the same number,
 * which is how duplicate levels are found.
 *
 * @example
 * numericLevel('0.90'); // 0.9
 * numericLevel('int8'); // null
 * numericLevel('0x10'); // null
 */
export function numericLevel(key: string): number | null {
  const text = key.trim();
  if (text.length > 64 || !DECIMAL.test(text)) return null;
  return Number(text);
}

/**
 * Finds the level a key names. Keys match exactly, or numerically when both read as numbers
 * (`'0.90'`, `0.9` and `'0.9'` name the same level), so JSON configs need no exact spelling.
 *
 * @example
 * matchLevelKey('0.90', ['0', '0.5', '0.9']); // '0.9'
 * matchLevelKey('int8', ['fp32', 'int8']); // 'int8'
 */
export function matchLevelKey(key: string | number, levels: readonly string[]): string | null {
  const text = String(key).trim();
  if (levels.includes(text)) return text;
  const asNumber = numericLevel(text);
  if (asNumber === null) return null;
  for (const level of levels) if (numericLevel(level) === asNumber) return level;
  return null;
}

/**
 * Orders level keys: numbers ascending first, then names alphabetically (a comparator for `sort`).
 *
 * @example
 * ['int8', '0.9', '0'].sort(compareLevelKeys); // ['0', '0.9', 'int8']
 */
export function compareLevelKeys(a: string, b: string): number {
  const x = numericLevel(a);
  const y = numericLevel(b);
  if (x !== null && y !== null) return x - y;
  if (x !== null) return -1;
  if (y !== null) return 1;
  return a.localeCompare(b);
}
