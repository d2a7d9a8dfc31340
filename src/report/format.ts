/**
 * Number formatting shared by the Markdown and HTML renderers. Every function returns '—' for
 * null, undefined or a non-finite number, so no renderer can print 'NaN' or 'undefined'.
 */

import { formatNumber, formatPercent, isFiniteNumber as finite, MISSING } from '../schema/format.js';

export { formatNumber, formatPercent, formatPp, MISSING } from '../schema/format.js';

/**
 * An integer with thousands separators (locale-independent).
 *
 * @example
 * formatCount(10000); // '10,000'
 */
export function formatCount(v: number | null | undefined): string {
  if (!finite(v)) return MISSING;
  return Math.round(v)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A p-value: fixed 3 decimals down to 0.001, scientific notation below.
 *
 * @example
 * formatPValue(0.0342); // '0.034'
 * formatPValue(0.0000123); // '1.2e-5'
 */
export function formatPValue(p: number | null | undefined): string {
  if (!finite(p)) return MISSING;
  if (p === 0) return '0';
  if (p < 0.001) return p.toExponential(1);
  return p.toFixed(3);
}

/**
 * A byte count with a binary-free, decimal unit (kB = 1000 B), as used for gzipped model sizes.
 *
 * @example
 * formatBytes(1_650_000); // '1.65 MB'
 */
export function formatBytes(v: number | null | undefined): string {
  if (!finite(v)) return MISSING;
  if (Math.abs(v) >= 1e9) return `${(v / 1e9).toFixed(2)} GB`;
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(2)} MB`;
  if (Math.abs(v) >= 1e3) return `${(v / 1e3).toFixed(1)} kB`;
  return `${Math.round(v)} B`;
}

/**
 * Mean ± sd of an accuracy, as percentages.
 *
 * @example
 * formatMeanSd(0.9852, 0.0011); // '98.52% ± 0.11'
 */
export function formatMeanSd(mean: number | null | undefined, sd: number | null | undefined): string {
  if (!finite(mean)) return MISSING;
  return finite(sd) ? `${formatPercent(mean)} ± ${formatNumber(sd * 100, 2)}` : formatPercent(mean);
}

/**
 * A general number: integers as-is, others with up to 4 significant digits, scientific
 * notation for very small or large magnitudes.
 *
 * @example
 * formatValue(0); // '0'
 * formatValue(0.071234); // '0.07123'
 */
export function formatValue(v: number | null | undefined): string {
  if (!finite(v)) return MISSING;
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const abs = Math.abs(v);
  if (abs < 1e-4 || abs >= 1e9) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
