import { assertNotNaN, assertPositive } from './validate.js';
import { incompleteGammaPair } from './incomplete-gamma.js';

/**
 * Survival function of the chi-square distribution with k degrees of freedom,
 * P(X > x) = Q(k/2, x/2) (R's `pchisq(x, k, lower.tail = FALSE)`). Returns 1 for x <= 0.
 *
 * @example
 * chiSquareSf(3.841458820694124, 1); // 0.05000000000000011
 */
export function chiSquareSf(x: number, k: number): number {
  assertNotNaN(x, 'x');
  assertPositive(k, 'k (degrees of freedom)');
  if (x <= 0) return 1;
  return incompleteGammaPair(k / 2, x / 2).upper;
}

/**
 * Cumulative distribution function of the chi-square distribution with k degrees of freedom,
 * P(X <= x) = P(k/2, x/2). Returns 0 for x <= 0.
 *
 * @example
 * chiSquareCdf(2, 2); // 1 - e^-1 ≈ 0.632120558828558
 */
export function chiSquareCdf(x: number, k: number): number {
  assertNotNaN(x, 'x');
  assertPositive(k, 'k (degrees of freedom)');
  if (x <= 0) return 0;
  return incompleteGammaPair(k / 2, x / 2).lower;
}
