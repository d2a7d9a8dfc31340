import { intersectionOverIndex } from '../analysis/intersection-over-index.js';
import type { GroupValue } from '../analysis/subgroup-error-rates.js';
import { withFiniteNumbers } from '../schema/finite.js';
import type { LevelReport } from '../schema/index.js';
import type { NormalizedAudit } from './validate-audit-options.js';

/**
 * A compressed level's `intersections` field: absent when the audit option is off, skipped with a reason when
 * fewer than two attributes were given, else every intersection with enough examples tested for over-indexing
 * among this level's PIEs, corrected (`attributeCorrection`) over the whole family of intersections.
 *
 * @example
 * const field = intersectionsField(config, attributes, found.isPIE); // {} or { intersections: {...} }
 */
export function intersectionsField(
  config: Pick<NormalizedAudit, 'intersections' | 'alpha' | 'attributeCorrection'>,
  attributes: ReadonlyArray<{ name: string; values: ArrayLike<GroupValue | null> }>,
  isPIE: Uint8Array,
): Pick<LevelReport, 'intersections'> {
  const options = config.intersections;
  if (!options) return {};
  if (attributes.length < 2) {
    const reason = `intersections need at least two group attributes (testSet.attributes); ${attributes.length} given`;
    return { intersections: { status: 'unavailable', reason } };
  }
  // Attribute names come from data: a null-prototype record keeps `__proto__` or `constructor` ordinary keys.
  const record = Object.create(null) as Record<string, ArrayLike<GroupValue | null>>;
  for (const a of attributes) record[a.name] = a.values;
  const result = intersectionOverIndex(isPIE, record, { ...options, alpha: config.alpha, correction: config.attributeCorrection });
  const familySize = result.rows.filter((r) => r.status === 'ok').length;
  return {
    intersections: {
      status: 'ok',
      maxOrder: result.maxOrder,
      minSupport: result.minSupport,
      belowSupport: result.belowSupport,
      correction: config.attributeCorrection,
      familySize,
      expectedFalsePositives: config.attributeCorrection === 'none' ? familySize * config.alpha : null,
      rows: result.rows.map((r) => withFiniteNumbers(r)),
    },
  };
}
