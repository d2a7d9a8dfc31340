import { numericLevel } from '../population/numeric-level.js';

/**
 * Finds the report level a gate key names. Keys match exactly, or numerically when both read as
 * numbers (`'0.90'`, `0.9` and `'0.9'` name the same level), so JSON configs need no exact spelling.
 *
 * @example
 * matchLevelKey('0.90', ['0', '0.5', '0.9']); // '0.9'
 * matchLevelKey('int8', ['fp32', 'int8']); // 'int8'
 */
export function matchLevelKey(key: string | number, levels: readonly string[]): string | null {
  const text = String(key).trim();
  if (levels.includes(text)) return text;
  // Decimal spellings only: '0x10' is a name, never level 16.
  const asNumber = numericLevel(text);
  if (asNumber !== null) {
    for (const level of levels) if (numericLevel(level) === asNumber) return level;
  }
  return null;
}
