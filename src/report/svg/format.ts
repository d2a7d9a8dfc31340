/**
 * Formats a number for SVG coordinates: at most 2 decimals, no trailing zeros, no "-0",
 * so chart output is byte-for-byte deterministic.
 *
 * @example
 * coord(12.3456); // '12.35'
 */
export function coord(value: number): string {
  const v = Math.round(value * 100) / 100;
  return Object.is(v, -0) ? '0' : String(v);
}

/**
 * Default tick label: up to 4 significant digits without floating-point noise.
 *
 * @example
 * tickLabel(0.30000000000000004); // '0.3'
 */
export function tickLabel(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}
