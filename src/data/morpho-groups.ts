import { PieAuditError } from '../errors.js';
import type { DigitMorphometrics } from './morpho-mnist.js';

/** Options of {@link morphoGroups}. */
export interface MorphoGroupsOptions {
  /**
   * True labels: when given, each measurement is binned within its own class, so "thin" means thin
   * for that digit (a 1 is always narrower than a 0; binning over all digits would only echo the class).
   */
  labels?: ArrayLike<number>;
  /** Share of each tail; default 0.1 (lowest and highest decile). */
  tail?: number;
}

/** The attributes {@link morphoGroups} makes, each the name of a low group, a middle group and a high group. */
export const MORPHO_GROUP_NAMES = {
  stroke: ['thin', 'typical', 'thick'],
  slant: ['left-leaning', 'upright', 'right-leaning'],
  width: ['narrow', 'typical', 'wide'],
  height: ['short', 'typical', 'tall'],
} as const;

const MEASURE_OF: Record<keyof typeof MORPHO_GROUP_NAMES, keyof DigitMorphometrics> = {
  stroke: 'thickness',
  slant: 'slant',
  width: 'width',
  height: 'height',
};

/** Linear-interpolation quantile (R type 7, NumPy's default) of sorted values. */
function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

/**
 * Bins Morpho-MNIST measurements into named groups for the audit's attribute section: `stroke`
 * (`thin` = lowest decile of thickness, `thick` = highest, else `typical`), `slant` (`left-leaning`,
 * `upright`, `right-leaning`), `width` (`narrow`, `typical`, `wide`) and `height` (`short`, `typical`,
 * `tall`). Cut points are the type-7 quantiles at `tail` and `1 - tail`, within each class when
 * `labels` are given; values on a cut point join the tail.
 *
 * @example
 * const attributes = morphoGroups(measureDigits(test.images), { labels: test.labels });
 * attributes.stroke[0]; // 'typical'
 * @throws PieAuditError INVALID_ARGUMENT when `tail` is outside (0, 0.5) or `labels` has another length.
 */
export function morphoGroups(
  measures: DigitMorphometrics,
  options: MorphoGroupsOptions = {},
): Record<keyof typeof MORPHO_GROUP_NAMES, string[]> {
  const tail = options.tail ?? 0.1;
  if (!(tail > 0 && tail < 0.5)) throw new PieAuditError('INVALID_ARGUMENT', `options.tail must be in (0, 0.5); got ${tail}.`);
  const n = measures.thickness.length;
  const labels = options.labels;
  if (labels && labels.length !== n) {
    throw new PieAuditError(
      'LENGTH_MISMATCH',
      `options.labels has ${labels.length} entries for ${n} measured images; pass the labels of the measured images.`,
    );
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = labels ? labels[i] : 0;
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  }
  const out = Object.create(null) as Record<keyof typeof MORPHO_GROUP_NAMES, string[]>;
  for (const attribute of Object.keys(MORPHO_GROUP_NAMES) as Array<keyof typeof MORPHO_GROUP_NAMES>) {
    const [low, middle, high] = MORPHO_GROUP_NAMES[attribute];
    const values = measures[MEASURE_OF[attribute]];
    const names = new Array<string>(n);
    for (const members of groups.values()) {
      const sorted = Float64Array.from(members, (i) => values[i]).sort();
      const lowCut = quantileSorted(sorted, tail);
      const highCut = quantileSorted(sorted, 1 - tail);
      for (const i of members) names[i] = values[i] <= lowCut ? low : values[i] >= highCut ? high : middle;
    }
    out[attribute] = names;
  }
  return out;
}
