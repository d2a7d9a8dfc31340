import type { ConfidenceInterval } from '../schema/index.js';
import type { MeasureChange } from './types.js';

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const interval = (ci: unknown): [number, number] | null =>
  Array.isArray(ci) && ci.length === 2 && finite(ci[0]) !== null && finite(ci[1]) !== null ? [ci[0], ci[1]] : null;

/**
 * One measure in two audits and its change (after minus before). The change's interval combines the two bootstrap
 * half-widths in quadrature, centred on the change: exact for independent normal estimates, and wider than needed when
 * the two estimates move together over the shared test examples (as PIE rates and drops of one test set do).
 *
 * @example
 * measureChange(0.10, 0.13, [0.08, 0.12], [0.11, 0.15]); // { change: 0.03, changeCi: [0.0017..., 0.0583...], ... }
 */
export function measureChange(
  before: number | null | undefined,
  after: number | null | undefined,
  beforeCi?: ConfidenceInterval | undefined,
  afterCi?: ConfidenceInterval | undefined,
): MeasureChange {
  const b = finite(before);
  const a = finite(after);
  const change = a !== null && b !== null ? a - b : null;
  const cb = interval(beforeCi);
  const ca = interval(afterCi);
  let changeCi: [number, number] | null = null;
  if (change !== null && cb && ca) {
    const half = Math.hypot((cb[1] - cb[0]) / 2, (ca[1] - ca[0]) / 2);
    changeCi = [change - half, change + half];
  }
  return { before: b, after: a, change, changeCi };
}
