import type { AuditReport, GateResult } from '../../schema/index.js';
import { formatCount, formatNumber, formatPercent, formatPp, formatValue, MISSING } from '../format.js';
import { VERDICT_TEXT } from '../labels.js';
import { intervalText } from './text.js';
import { cell, columns, type CellKind, type ViewSection, type ViewSentence } from './types.js';

/**
 * A gate's threshold or observed value in the unit the tables use for that quantity: rates as
 * percentages, rate increases in percentage points, counts as integers, over-index ratios with ×.
 *
 * @example
 * formatGateValue('maxPieRate', 0.2615); // '26.15%'
 */
export function formatGateValue(gate: string, v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return MISSING;
  if (gate === 'maxPieRate' || gate === 'minTop1' || gate === 'maxExcessPieRate') return formatPercent(v);
  if (gate === 'maxTop1Drop' || gate === 'maxClassRecallDrop' || /max(Fpr|Fnr)(Increase|Gap)$/.test(gate)) return formatPp(v, 2);
  if (gate === 'maxPieCount' || gate === 'maxSignificantlyHurtClasses') return formatCount(v);
  if (gate.endsWith('maxOverIndex')) return `${formatNumber(v, 2)}×`;
  return formatValue(v);
}

/** The verdict block: its word, the failing or inconclusive gate reasons, and the exit code. */
export interface VerdictView {
  verdict: AuditReport['verdict'];
  heading: string;
  /** One line when nothing failed, else empty. */
  summary: string | null;
  /** Failing / inconclusive gates, each with its status. */
  problems: ViewSentence[];
  exitCode: number;
}

/**
 * What the verdict block says: the verdict, why (the gates that did not pass, failed ones first), and
 * the exit code.
 *
 * @example
 * verdictView(report).heading; // 'Verdict: FAIL'
 */
export function verdictView(report: AuditReport): VerdictView {
  const verdict = report.verdict in VERDICT_TEXT ? report.verdict : 'inconclusive';
  const results = report.gates?.results ?? [];
  const problems = results
    .filter((g) => g.status !== 'pass' && !g.waived)
    .sort((a, b) => Number(b.status === 'fail') - Number(a.status === 'fail'))
    .map((g) => ({ text: g.reason, kind: g.status as CellKind }));
  let summary: string | null = null;
  if (!report.gates) summary = 'No release gates were configured, so nothing was checked. Pass `gates` to fail CI on regressions.';
  else if (!results.length) summary = 'Gates were configured but no threshold applied to the audited levels.';
  else if (!problems.length) summary = `All ${results.length} gate checks passed.`;
  return { verdict, heading: `Verdict: ${VERDICT_TEXT[verdict]}`, summary, problems, exitCode: report.exitCode };
}

function where(g: GateResult): string {
  if (g.attribute === null) return MISSING;
  return g.value === null ? g.attribute : `${g.attribute} = ${g.value}`;
}

/**
 * The gate checks table: every checked threshold with the observed value in the same unit as the
 * tables, its status and reason. Null when no gate was checked.
 *
 * @example
 * gatesView(report)?.tables[0].rows.length; // number of gate checks
 */
export function gatesView(report: AuditReport): ViewSection | null {
  const results = report.gates?.results ?? [];
  if (!results.length) return null;
  const rows = results.map((g) => [
    cell(g.gate, 'code'),
    cell(g.level),
    cell(where(g)),
    cell(formatGateValue(g.gate, g.threshold)),
    cell(`${formatGateValue(g.gate, g.observed)}${g.observed === null ? '' : intervalText(g.interval, (v) => formatGateValue(g.gate, v))}`),
    g.waived ? cell(`${g.status} (waived)`, 'muted', g.reason) : cell(g.status, g.status),
    cell(g.reason),
  ]);
  const table = { columns: columns('<Gate', '<Level', '<Attribute', 'Threshold', 'Observed [95% CI]', '<Status', '<Reason'), rows };
  return { id: 'gates', title: 'Gate checks', paragraphs: [], tables: [table], notes: [] };
}
