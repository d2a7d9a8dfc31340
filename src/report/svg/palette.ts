/**
 * Ten categorical colours (Tableau 10), distinguishable for most colour-vision deficiencies
 * when paired with the legend order; series beyond ten reuse them with dashed lines.
 */
/** @example CATEGORICAL_COLORS[0]; // '#4e79a7' */
export const CATEGORICAL_COLORS: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/**
 * Colour for the i-th series.
 *
 * @example
 * seriesColor(0); // '#4e79a7'
 */
export function seriesColor(index: number): string {
  return CATEGORICAL_COLORS[index % CATEGORICAL_COLORS.length]!;
}

/**
 * A stable, id-safe slug for use in SVG element ids.
 *
 * @example
 * slug('Top-1 vs sparsity'); // 'top-1-vs-sparsity'
 */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'chart'
  );
}
