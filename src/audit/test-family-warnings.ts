import type { LevelReport } from '../schema/index.js';

/**
 * Warnings for tests run without a multiple-testing correction: per level, the family size and the number of
 * false positives expected at alpha when nothing changed (`familySize × alpha`), for the class tests and the
 * attribute over-indexing tests. Silent when a correction ran or a family has fewer than 2 tests.
 * @internal
 * @example
 * testFamilyWarnings(report.levels, 0.05);
 * // ["level '0.9': 1000 class tests without a correction: 50 false positives expected at alpha 0.05 ..."]
 */
export function testFamilyWarnings(levels: readonly LevelReport[], alpha: number): string[] {
  const warnings: string[] = [];
  for (const level of levels) {
    const families = [
      { what: 'class tests', section: level.classImpact, option: 'correction', gate: 'maxSignificantlyHurtClasses' },
      { what: 'attribute-value tests', section: level.attributes, option: 'attributeCorrection', gate: 'attributes.maxOverIndex' },
    ];
    for (const { what, section, option, gate } of families) {
      if (section.status !== 'ok' || section.expectedFalsePositives == null || (section.familySize ?? 0) < 2) continue;
      const expected = Number(section.expectedFalsePositives.toPrecision(3));
      warnings.push(
        `level '${level.key}': ${section.familySize} ${what} without a correction: ${expected} false positives expected at alpha ` +
          `${alpha} even if compression changed nothing, so ${gate} may fail on noise; set ${option} to 'holm' or 'bh'`,
      );
    }
  }
  return warnings;
}
