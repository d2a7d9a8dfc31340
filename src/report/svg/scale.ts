/** A numeric domain mapped linearly onto a pixel range, with "nice" tick values. */
export interface LinearScale {
  domain: [number, number];
  range: [number, number];
  map(value: number): number;
  ticks: number[];
}

/**
 * Tick values at a 1/2/5 x 10^k step covering `[min, max]`, about `count` of them.
 *
 * @example
 * niceTicks(0, 0.97, 5); // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max))) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const start = Math.floor(min / step + 1e-9);
  const end = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  // Round to the step's precision so ticks print without floating-point noise.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  if (!Number.isFinite(step) || step <= 0 || end - start > 100) return [min, max];
  for (let i = start; i <= end; i++) ticks.push(Number((i * step).toFixed(Math.min(digits, 100))));
  return ticks;
}

/**
 * A linear scale whose domain is widened to the nice ticks around `[min, max]`.
 * A degenerate domain (min == max) is padded so every point still maps inside the range.
 *
 * @example
 * const y = linearScale(0.8, 0.95, [200, 20]);
 * y.map(y.domain[0]); // 200
 */
export function linearScale(min: number, max: number, range: [number, number], tickCount = 5): LinearScale {
  let lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : 1;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    // `|| 1` also covers magnitudes so small that 10% of them underflows to 0.
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const ticks = niceTicks(lo, hi, tickCount);
  const domain: [number, number] = [Math.min(lo, ticks[0] ?? lo), Math.max(hi, ticks.at(-1) ?? hi)];
  const [r0, r1] = range;
  const rawSpan = domain[1] - domain[0];
  const span = Number.isFinite(rawSpan) && rawSpan > 0 ? rawSpan : 1;
  return { domain, range, ticks, map: (v) => r0 + ((v - domain[0]) / span) * (r1 - r0) };
}

/**
 * Evenly spaced positions for categorical values (e.g. named variants such as 'int8'),
 * each category at the centre of its band.
 *
 * @example
 * pointScale(['fp16', 'int8'], [0, 100]).map('int8'); // 75
 */
export function pointScale(
  categories: readonly string[],
  range: [number, number],
): { map(category: string): number; categories: readonly string[] } {
  const [r0, r1] = range;
  const band = (r1 - r0) / Math.max(1, categories.length);
  const index = new Map(categories.map((c, i) => [c, i]));
  return { categories, map: (c) => r0 + band * ((index.get(c) ?? 0) + 0.5) };
}
