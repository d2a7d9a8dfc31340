/** Plain decimal spellings only: `0`, `0.9`, `.5`, `90.` (no hex, exponents, signs or blanks). */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * The number a level name spells, or `null` for a named level (`int8`) or a non-decimal spelling
 * (`0x10` is a name, never 16). Numerically equal names (`0.3`, `0.30`) give the same number, which is
 * how duplicates are found.
 *
 * @example
 * numericLevel('0.30'); // 0.3
 * numericLevel('0x10'); // null
 */
export function numericLevel(name: string): number | null {
  const text = name.trim();
  if (text.length > 64 || !DECIMAL.test(text)) return null;
  return Number(text);
}
