import type { NormalizedAudit } from './validate-audit-options.js';

/**
 * The classes an audit's predictions may name: those of `classNames` when given, else those the test
 * labels show (at least 2), else no bound (a population of predictions alone defines its classes). A
 * predicted label beyond it is an error as it is read, not a class count that sizes every table.
 *
 * @example
 * classBound({ classNames: ['a', 'b', 'c'], labels: null, n: 0 } as unknown as NormalizedAudit); // 3
 */
export function classBound(config: Pick<NormalizedAudit, 'classNames' | 'labels' | 'n'>): number | undefined {
  if (config.classNames) return config.classNames.length;
  if (!config.labels) return undefined;
  let max = 1;
  for (let i = 0; i < config.n; i++) if (config.labels[i] > max) max = config.labels[i];
  return max + 1;
}
