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
  const asNumber = Number(text);
  if (text !== '' && Number.isFinite(asNumber)) {
    for (const level of levels) {
      if (level.trim() !== '' && Number(level) === asNumber) return level;
    }
  }
  return null;
}
