import type { AuditReport } from '../../schema/index.js';
import { formatCount, formatNumber, formatValue, MISSING } from '../format.js';
import { correctionText } from '../labels.js';
import { cell, columns, type ViewSection } from './types.js';

/**
 * The environment section: versions, backend, runtimes, significance settings, seed and timings as
 * name/value rows, and the models that fell back to a slower runtime as notes.
 *
 * @example
 * environmentView(report).tables[0].rows[0]; // [pie-audit, '0.4.0']
 */
export function environmentView(report: AuditReport): ViewSection {
  const env = report.environment;
  const details = Object.entries(env.backend?.details ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  const t = report.timings;
  const pairs: Array<[string, string]> = [
    ['pie-audit', env.pieAuditVersion],
    ['Node', env.nodeVersion],
    ['Platform', `${env.platform} ${env.arch}`],
    ['Backend', env.backend ? `${env.backend.name}${details ? ` (${details})` : ''}` : 'none (precomputed predictions)'],
    [
      'Models per runtime',
      Object.entries(env.runtimes ?? {})
        .map(([k, v]) => `${k}: ${formatCount(v)}`)
        .join(', ') || MISSING,
    ],
    ['Test input shape', report.testSet.inputShape ? `[${report.testSet.inputShape.join(', ')}]` : MISSING],
    ['Attributes', report.testSet.attributeNames.join(', ') || MISSING],
    ['Significance', `α = ${formatValue(report.config.alpha)}, ${correctionText(report.config.correction)}`],
    ['Tie break / seed', `${report.config.tieBreak} / ${report.config.seed === null ? MISSING : String(report.config.seed)}`],
    ['Generated', report.generatedAt],
    [
      'Time',
      `${formatNumber(t?.totalSeconds, 1)} s (evaluation ${formatNumber(t?.evaluationSeconds, 1)} s, analysis ${formatNumber(t?.analysisSeconds, 1)} s` +
        `${t?.latencySeconds === undefined ? '' : `, of which timing latency ${formatNumber(t.latencySeconds, 1)} s`})`,
    ],
  ];
  const fallbacks = report.levels.flatMap((l) =>
    (l.models ?? []).filter((m) => m.fallbackReason).map((m) => `Runtime fallback, ${m.id}: ${m.fallbackReason}`),
  );
  return {
    id: 'environment',
    title: 'Environment',
    paragraphs: [],
    tables: [{ columns: columns('<', '<'), rows: pairs.map(([k, v]) => [cell(k), cell(v)]) }],
    notes: fallbacks,
  };
}
