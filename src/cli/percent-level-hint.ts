/**
 * A hint for level keys that look like percentages (`30`, `90`): level keys are sparsity fractions, so a folder
 * named `90` is the level 90, not 0.9, and every chart and gate then reads it that way. Null when no numeric key
 * is above 1.
 *
 * @example
 * percentLevelHint(['0', '30', '90']);
 * // "level keys 30, 90 are above 1: levels are sparsity fractions (0.9 is 90% sparsity); if they mean percent,
 * //  rename them 0.3, 0.9 (folders or population keys), and name gates by the same keys"
 */
export function percentLevelHint(keys: Iterable<string | number>): string | null {
  const above = [...keys].map(String).filter((key) => {
    const value = Number(key);
    return key.trim() !== '' && Number.isFinite(value) && value > 1;
  });
  if (above.length === 0) return null;
  const fractions = above.map((key) => (Number(key) <= 100 ? String(Number(key) / 100) : '?'));
  return (
    `level keys ${above.join(', ')} are above 1: levels are sparsity fractions (0.9 is 90% sparsity); if they mean percent, ` +
    `rename them ${fractions.join(', ')} (folders or population keys), and name gates by the same keys`
  );
}
