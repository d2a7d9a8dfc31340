import type { AuditReport } from '../../schema/index.js';
import type { ViewSection } from './types.js';

/**
 * What a reader must know before trusting any number below, shown at the top of every report: the population
 * design the noise floor and pairing used, with its reason, and the sanity checks that fired (identical members,
 * sparsity that does not match a level's name, levels in percent, PIE counts that depend on the tie rule).
 * `null` for a report that recorded neither (written before them).
 *
 * @example
 * sanityView(report)?.paragraphs[0]; // 'Population design: paired (every compressed level holds exactly ...)'
 */
export function sanityView(report: AuditReport): ViewSection | null {
  const checks = report.sanityWarnings ?? [];
  if (!report.design && checks.length === 0) return null;
  const paragraphs = report.design ? [`Population design: ${report.design.design} (${report.design.reason}).`] : [];
  if (checks.length === 0) paragraphs.push('Sanity checks: none fired.');
  return { id: 'sanity', title: 'Before you read', paragraphs, tables: [], notes: checks.map((c) => `Sanity check: ${c}`) };
}
