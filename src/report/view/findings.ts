import type { AuditReport, ClassImpactReportRow, LevelReport, PieSummary } from '../../schema/index.js';
import { formatCount, formatNumber, formatPercent, formatPp, formatPValue } from '../format.js';
import { compressedLevels, okSection } from '../labels.js';
import { attributeRowsByEffect, ratioText } from './attributes.js';
import { byEffect, changeText } from './classes.js';
import { subgroupRowsByEffect } from './subgroups.js';
import { intervalText, negated, quotedClass, skipText } from './text.js';
import type { CellKind, ViewSentence } from './types.js';

/** Most classes, attribute values or groups named per sentence. */
const MAX_NAMED = 4;
/** Warnings repeated under the findings; all are in the warnings section. */
const MAX_WARNINGS = 3;

/** What compression cost at one level, in a few sentences, the largest effect first (the renderer names the level). */
export interface LevelFinding {
  level: string;
  /** `hurt` when something was significantly lost, `skip` when the tests could not decide, else `pass`. */
  kind: CellKind;
  sentences: ViewSentence[];
}

function listed(items: string[]): string {
  return items.length > MAX_NAMED ? `${items.slice(0, MAX_NAMED).join(', ')} and ${items.length - MAX_NAMED} more` : items.join(', ');
}

function classSentence(report: AuditReport, level: LevelReport, base: LevelReport | undefined, saidOnce: boolean): ViewSentence {
  const acc = okSection(level.accuracy);
  const baseAcc = base ? okSection(base.accuracy) : null;
  const drop = acc && acc.top1Drop !== null ? acc.top1Drop : null;
  const dropCi = acc ? intervalText(negated(acc.top1DropCi), (v) => formatNumber(v * 100, 2)) : '';
  const top1 =
    acc && baseAcc && drop !== null
      ? `top-1 ${formatPercent(baseAcc.mean)} → ${formatPercent(acc.mean)} (${formatPp(-drop)}${dropCi})`
      : null;
  const ci = okSection(level.classImpact);
  if (!ci) {
    const why = saidOnce ? '' : ` (${skipText(level.classImpact)})`;
    return { text: `${top1 ? `${cap(top1)}; c` : 'C'}lass tests not run${why}.`, kind: 'skip' };
  }
  const corrected = ci.correction !== 'none';
  const hurt: ClassImpactReportRow[] = byEffect(ci.rows.filter((r) => r.direction === 'hurt'));
  if (!hurt.length)
    return {
      text: `${top1 ? `${cap(top1)}; n` : 'N'}o class lost significantly more than the model as a whole.`,
      kind: 'pass',
    };
  const named = hurt.map(
    (r) =>
      `${quotedClass(report, r.classIndex)} ${changeText(r)} (${corrected ? 'adj. ' : ''}p ${formatPValue(corrected ? r.pAdjusted : r.p)})`,
  );
  const noun = hurt.length === 1 ? 'class' : 'classes';
  return { text: `${top1 ? `${cap(top1)}; ` : ''}${hurt.length} ${noun} hurt beyond that: ${listed(named)}.`, kind: 'hurt' };
}

const cap = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function noiseFloorText(pies: PieSummary, saidOnce: boolean): string {
  const floor = pies.permutation;
  if (!floor) return '';
  if (floor.status !== 'ok') return saidOnce ? '' : `; the seed-noise floor could not decide (${floor.reason ?? 'no reason given'})`;
  const beyond = floor.excess > 0 ? `${formatCount(floor.excess)} beyond it` : 'none beyond it';
  return `; re-splitting the same models gives ${formatCount(floor.nullMedian)} (95th percentile ${formatCount(floor.nullP95)}), so ${beyond} (p ${formatPValue(floor.p)})`;
}

function pieSentence(level: LevelReport, floorSaidOnce: boolean): ViewSentence | null {
  const pies = okSection(level.pies);
  if (!pies) return null;
  const noun = pies.count === 1 ? 'PIE' : 'PIEs';
  const rate = `${formatPercent(pies.rate)}${intervalText(pies.rateCi, (v) => formatPercent(v))}`;
  const kind: CellKind = pies.permutation?.significant ? 'hurt' : 'plain';
  return { text: `${formatCount(pies.count)} ${noun} (${rate} of test examples)${noiseFloorText(pies, floorSaidOnce)}.`, kind };
}

function groupSentences(report: AuditReport, level: LevelReport): ViewSentence[] {
  const out: ViewSentence[] = [];
  const over = attributeRowsByEffect(report).filter((x) => x.level === level && x.row.significant && (x.row.overIndexRatio ?? 0) > 1);
  if (over.length) {
    const named = over.map(({ row }) => `${row.attribute} = ${row.value} ${ratioText(row)} (adj. p ${formatPValue(row.pAdjusted)})`);
    out.push({ text: `Over-represented among PIEs: ${listed(named)}.`, kind: 'hurt' });
  }
  const alpha = report.config.alpha;
  const gaps = subgroupRowsByEffect(report)
    .filter((x) => x.level === level)
    .flatMap(({ row }) => [
      row.fprChange !== null && row.fprChange > 0 && row.fprPValue !== null && row.fprPValue < alpha
        ? `FPR ${formatPp(row.fprChange, 1)} for ${row.attribute} = ${row.value} (p ${formatPValue(row.fprPValue)})`
        : null,
      row.fnrChange !== null && row.fnrChange > 0 && row.fnrPValue !== null && row.fnrPValue < alpha
        ? `FNR ${formatPp(row.fnrChange, 1)} for ${row.attribute} = ${row.value} (p ${formatPValue(row.fnrPValue)})`
        : null,
    ])
    .filter((x): x is string => x !== null);
  if (gaps.length) out.push({ text: `Subgroup error rates up: ${listed(gaps)} (uncorrected Welch p < ${alpha}).`, kind: 'hurt' });
  return out;
}

function powerSentence(level: LevelReport): ViewSentence | null {
  const ci = okSection(level.classImpact);
  const untested = ci?.rows.filter((r) => r.status === 'inconclusive') ?? [];
  if (!untested.length) return null;
  const reasons = [...new Set(untested.map((r) => r.reason ?? 'no reason given'))];
  return {
    text: `${untested.length} ${untested.length === 1 ? 'class' : 'classes'} could not be tested (${reasons.join('; ')}).`,
    kind: 'skip',
  };
}

/** The text every level shares (non-empty), or null. */
function sharedReason(levels: readonly LevelReport[], reasonOf: (l: LevelReport) => string): string | null {
  const reasons = new Set(levels.map(reasonOf));
  return levels.length > 1 && reasons.size === 1 && !reasons.has('') ? [...reasons][0]! : null;
}

/**
 * The findings that open the report: for each compressed level, what compression cost in plain sentences,
 * the largest effect first (classes hurt with the size of the loss, PIEs, over-represented attribute values,
 * subgroup error-rate increases, then what could not be tested). Only numbers the report holds are stated.
 *
 * @example
 * findingsView(report).levels[0].sentences[0].text; // 'Top-1 98.52% → 98.40% (-0.12 pp); no class lost …'
 */
export function findingsView(report: AuditReport): { levels: LevelFinding[]; notes: string[] } {
  const base = report.levels.find((l) => l.isBaseline);
  const levels = compressedLevels(report);
  // A reason shared by every level (e.g. no labels, too few models for the noise floor) is said once below the list.
  const shared = sharedReason(levels, (l) => (okSection(l.classImpact) ? '' : skipText(l.classImpact)));
  const floorShared = sharedReason(levels, (l) => {
    const floor = okSection(l.pies)?.permutation;
    return floor && floor.status !== 'ok' ? (floor.reason ?? 'no reason given') : '';
  });
  const findings = levels.map((level) => {
    const parts = [
      classSentence(report, level, base, shared !== null),
      pieSentence(level, floorShared !== null),
      ...groupSentences(report, level),
    ];
    const sentences = [...parts, powerSentence(level)].filter((s): s is ViewSentence => s !== null);
    const kind: CellKind = sentences.some((s) => s.kind === 'hurt') ? 'hurt' : sentences.some((s) => s.kind === 'skip') ? 'skip' : 'pass';
    return { level: level.key, kind, sentences };
  });
  const notes = shared ? [`Class tests were not run at any level: ${shared}.`] : [];
  if (floorShared) notes.push(`The seed-noise floor could not decide at any level: ${floorShared}.`);
  // The audit lists power warnings first among its warnings: how sure the findings above can be.
  notes.push(...(report.warnings ?? []).slice(0, MAX_WARNINGS).map((w) => `How sure: ${w}`));
  if ((report.warnings?.length ?? 0) > MAX_WARNINGS) notes.push(`${report.warnings.length - MAX_WARNINGS} more warnings below.`);
  return { levels: findings, notes };
}
