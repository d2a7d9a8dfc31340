/**
 * The number formats every rendered text shares (tables, findings, gate reasons): one rule for percentages and
 * percentage points. Each returns '—' for null, undefined or a non-finite number, never 'NaN'.
 * @packageDocumentation
 */

/** Placeholder shown for a value that could not be measured. */
export const MISSING = '—';

/**
 * True for a finite number (not null, undefined, NaN or Infinity).
 *
 * @example
 * isFiniteNumber(NaN); // false
 */
export function isFiniteNumber(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * A plain number with `digits` decimals.
 *
 * @example
 * formatNumber(1.23456, 2); // '1.23'
 * formatNumber(null); // '—'
 */
export function formatNumber(v: number | null | undefined, digits = 3): string {
  if (!isFiniteNumber(v)) return MISSING;
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/**
 * A fraction in 0..1 as a percentage.
 *
 * @example
 * formatPercent(0.98523); // '98.52%'
 */
export function formatPercent(v: number | null | undefined, digits = 2): string {
  return isFiniteNumber(v) ? `${formatNumber(v * 100, digits)}%` : MISSING;
}

/**
 * A change of a fraction, shown signed in percentage points.
 *
 * @example
 * formatPp(-0.0123); // '-1.23 pp'
 */
export function formatPp(v: number | null | undefined, digits = 2): string {
  if (!isFiniteNumber(v)) return MISSING;
  const s = formatNumber(v * 100, digits);
  return `${v > 0 && !/^0\.?0*$/.test(s) ? '+' : ''}${s} pp`;
}
