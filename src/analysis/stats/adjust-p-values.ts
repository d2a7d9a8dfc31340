import { PieAuditError } from '../../errors.js';
import { compensatedSum } from './sum.js';

/** Multiple-testing corrections of {@link adjustPValues}, named as in R's `p.adjust`. */
export type PAdjustMethod = 'bh' | 'by' | 'holm' | 'bonferroni' | 'hochberg' | 'none';

const METHODS: readonly PAdjustMethod[] = ['bh', 'by', 'holm', 'bonferroni', 'hochberg', 'none'];

/**
 * Adjusts p-values for multiple comparisons exactly as R's `p.adjust(p, method)`:
 *
 * - 'bonferroni': min(1, n p)
 * - 'holm': step-down, cumulative max of (n - i + 1) p_(i) over ascending order
 * - 'hochberg': step-up, cumulative min of (n - i + 1) p_(i) from the largest down
 * - 'bh' (Benjamini-Hochberg FDR): cumulative min of (n / i) p_(i) from the largest down
 * - 'by' (Benjamini-Yekutieli): as 'bh' times q = 1 + 1/2 + ... + 1/n
 * - 'none': unchanged
 *
 * NA handling follows R: `null` and NaN entries are missing, stay `null` in the output, and
 * n counts only the non-missing values. With n <= 1 the values are returned unadjusted.
 * Throws 'INVALID_ARGUMENT' for a value outside [0, 1] or an unknown method.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * adjustPValues([0.01, null, 0.04, 0.03], 'bh'); // [0.03, null, 0.04, 0.04]
 * adjustPValues([0.01, 0.02, 0.03], 'holm');     // [0.03, 0.04, 0.04]
 */
export function adjustPValues(p: ArrayLike<number | null>, method: PAdjustMethod): (number | null)[] {
  if (!METHODS.includes(method)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `method must be one of ${METHODS.map((m) => `'${m}'`).join(', ')} (got ${String(method)}).`,
      { argument: 'method', value: method },
    );
  }
  if (p === null || typeof p !== 'object' || typeof p.length !== 'number') {
    throw new PieAuditError('INVALID_ARGUMENT', 'p must be an array of p-values (numbers or null).', { argument: 'p' });
  }
  const output: (number | null)[] = new Array(p.length);
  const present: number[] = []; // indices of non-missing values
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      output[i] = null;
      continue;
    }
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `p[${i}] is ${String(v)}; p-values must lie in [0, 1] (use null for a missing p-value).`,
        { argument: 'p', index: i, value: v },
      );
    }
    output[i] = v;
    present.push(i);
  }
  const n = present.length;
  if (n <= 1 || method === 'none') return output;
  const values = present.map((i) => p[i] as number);
  const adjusted = adjustComplete(values, method, n);
  for (let k = 0; k < n; k++) output[present[k]] = adjusted[k];
  return output;
}

/** R's p.adjust on a vector without missing values, n = its length. */
function adjustComplete(values: number[], method: Exclude<PAdjustMethod, 'none'>, n: number): number[] {
  const result = new Array<number>(n);
  if (method === 'bonferroni') {
    for (let k = 0; k < n; k++) result[k] = Math.min(1, n * values[k]);
    return result;
  }
  const indices = Array.from({ length: n }, (_, k) => k);
  if (method === 'holm') {
    // o <- order(p); pmin(1, cummax((n - i + 1) * p[o]))[ro], i = 1..n
    indices.sort((x, y) => values[x] - values[y] || x - y);
    let runningMax = -Infinity;
    for (let rank = 0; rank < n; rank++) {
      const k = indices[rank];
      runningMax = Math.max(runningMax, (n - rank) * values[k]);
      result[k] = Math.min(1, runningMax);
    }
    return result;
  }
  // Step-up methods: o <- order(p, decreasing = TRUE); i <- n:1; cummin(...)
  indices.sort((x, y) => values[y] - values[x] || x - y);
  const q = method === 'by' ? compensatedSum(Array.from({ length: n }, (_, k) => 1 / (k + 1))) : 1;
  let runningMin = Infinity;
  for (let position = 0; position < n; position++) {
    const k = indices[position];
    const i = n - position;
    let scaled: number;
    if (method === 'hochberg') scaled = (n + 1 - i) * values[k];
    else if (method === 'bh') scaled = (n / i) * values[k];
    else scaled = ((q * n) / i) * values[k];
    runningMin = Math.min(runningMin, scaled);
    result[k] = Math.min(1, runningMin);
  }
  return result;
}
