import type { AuditReport } from '../schema/index.js';
import { finiteOrNull } from '../schema/finite.js';
import { classLabel, compressedLevels, okSection } from './labels.js';

/** PIE counts per class and level, for the "PIEs by class" tables. */
export interface PiesByClassTable {
  /** `'true class'` when labels were given, else `'baseline modal class'`. */
  basis: 'true class' | 'baseline modal class';
  /** Compressed level keys with PIE results, in report order. */
  levels: string[];
  /** One row per class: its name and the PIE count at each level (null when not available). */
  rows: Array<{ classIndex: number; className: string; counts: Array<number | null> }>;
}

/**
 * Gathers how many PIEs each class has at each compressed level: by true class when the report
 * has labels, otherwise by the baseline population's modal class. Null when no level has PIEs.
 *
 * @example
 * const t = piesByClass(report);
 * t?.rows[8].counts; // PIEs of class 8 at each level
 */
export function piesByClass(report: AuditReport): PiesByClassTable | null {
  const levels = compressedLevels(report).filter((l) => okSection(l.pies));
  if (!levels.length) return null;
  const useTrue = levels.every((l) => Array.isArray(okSection(l.pies)!.byTrueClass));
  const rows = report.classNames.map((_, c) => ({
    classIndex: c,
    className: classLabel(report, c),
    counts: levels.map((l) => {
      const p = okSection(l.pies)!;
      const v = useTrue ? p.byTrueClass?.[c] : p.byBaselineModal?.[c];
      return finiteOrNull(v);
    }),
  }));
  return { basis: useTrue ? 'true class' : 'baseline modal class', levels: levels.map((l) => l.key), rows };
}
