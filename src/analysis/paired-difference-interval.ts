import { PieAuditError } from '../errors.js';
import { studentTQuantile } from './stats/student-t-distribution.js';

/** Wilson score interval of x successes in n. */
function wilson(x: number, n: number, z: number): [number, number] {
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [(centre - half) / (1 + z2 / n), (centre + half) / (1 + z2 / n)];
}

/**
 * Newcombe's hybrid score interval (1998, method 10) of the difference of two paired proportions: the first model's
 * accuracy minus the second's, `(b - c) / n`, from the 2x2 table of the same n examples (a: both right, b: first only,
 * c: second only, d: both wrong). It combines each accuracy's Wilson interval with the table's phi correlation, so
 * it accounts for how many examples flipped as well as which way (an interval conditional on the flip count would
 * not), stays within [-1, 1], and is not degenerate without flips.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (counts not non-negative integers, no examples, confidence outside (0, 1))
 * @example
 * pairedDifferenceInterval(30, 12, 3, 455, 0.95); // about [0.0025, 0.0352]: accuracy fell 1.8 pp on 500 examples
 */
export function pairedDifferenceInterval(a: number, b: number, c: number, d: number, confidence = 0.95): [number, number] {
  for (const [name, v] of [
    ['a', a],
    ['b', b],
    ['c', c],
    ['d', d],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new PieAuditError('INVALID_ARGUMENT', `${name} must be a non-negative integer count (got ${String(v)}).`, { name });
    }
  }
  const n = a + b + c + d;
  if (n === 0) throw new PieAuditError('INVALID_ARGUMENT', 'pairedDifferenceInterval needs at least one example.', { name: 'n' });
  if (!(confidence > 0 && confidence < 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `confidence must be strictly between 0 and 1 (got ${String(confidence)}).`, {
      name: 'confidence',
    });
  }
  const z = studentTQuantile((1 + confidence) / 2, Infinity);
  const p1 = (a + b) / n;
  const p2 = (a + c) / n;
  const [l1, u1] = wilson(a + b, n, z);
  const [l2, u2] = wilson(a + c, n, z);
  const product = (a + b) * (c + d) * (a + c) * (b + d);
  const phi = product === 0 ? 0 : (a * d - b * c) / Math.sqrt(product);
  const theta = (b - c) / n;
  const delta = Math.sqrt(Math.max(0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2));
  const epsilon = Math.sqrt(Math.max(0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2));
  return [Math.max(-1, theta - delta), Math.min(1, theta + epsilon)];
}
