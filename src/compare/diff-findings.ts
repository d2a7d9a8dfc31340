import { formatCount, formatNumber, formatPp } from '../report/format.js';
import type { AuditDiff, DiffFinding, LevelDiff, MeasureChange } from './types.js';

/** Most names listed per sentence. */
const MAX_NAMED = 5;

const listed = (items: string[]): string =>
  items.length > MAX_NAMED ? `${items.slice(0, MAX_NAMED).join(', ')} and ${items.length - MAX_NAMED} more` : items.join(', ');
const ci = (m: MeasureChange, f: (v: number) => string): string => (m.changeCi ? ` [${f(m.changeCi[0])}, ${f(m.changeCi[1])}]` : '');
const signed = (v: number): string => `${v > 0 ? '+' : ''}${formatCount(v)}`;

/** The sentences of one level, its worst change first. */
function levelFinding(l: LevelDiff): DiffFinding {
  const worse: string[] = [];
  const better: string[] = [];
  const plain: string[] = [];
  const skips: string[] = [];
  if (l.classes.status === 'ok') {
    if (l.classes.newlyHurt.length) worse.push(`newly hurt: ${listed(l.classes.newlyHurt.map((c) => `'${c}'`))}`);
    if (l.classes.noLongerHurt.length) better.push(`no longer hurt: ${listed(l.classes.noLongerHurt.map((c) => `'${c}'`))}`);
  } else skips.push(l.classes.reason);
  if (l.attributes.status === 'ok') {
    const name = (r: { attribute: string; value: string; ratioAfter: number | null; ratioBefore: number | null }, after: boolean) =>
      `${r.attribute}=${r.value} (over-index ${formatNumber(after ? r.ratioAfter : r.ratioBefore, 2)})`;
    if (l.attributes.newlyOverIndexed.length)
      worse.push(`newly over-indexed among PIEs: ${listed(l.attributes.newlyOverIndexed.map((r) => name(r, true)))}`);
    if (l.attributes.noLongerOverIndexed.length)
      better.push(`no longer over-indexed: ${listed(l.attributes.noLongerOverIndexed.map((r) => name(r, false)))}`);
  }
  if (l.top1Drop.change !== null)
    plain.push(
      `top-1 drop ${formatPp(l.top1Drop.before)} → ${formatPp(l.top1Drop.after)} (${formatPp(l.top1Drop.change)}${ci(l.top1Drop, (v) => formatPp(v))})`,
    );
  if (l.pieCount.change !== null)
    plain.push(
      `PIEs ${formatCount(l.pieCount.before)} → ${formatCount(l.pieCount.after)} (${signed(l.pieCount.change)}${ci(l.pieCount, (v) => signed(Math.round(v)))})`,
    );
  if (l.excessPies.change !== null)
    plain.push(`excess over the noise floor ${formatNumber(l.excessPies.before, 1)} → ${formatNumber(l.excessPies.after, 1)}`);
  if (l.excessSignificant.before === false && l.excessSignificant.after === true)
    worse.push('the PIE count now exceeds the seed-noise floor significantly');
  if (l.excessSignificant.before === true && l.excessSignificant.after === false)
    better.push('the PIE count no longer exceeds the seed-noise floor significantly');
  if (l.overlap.status === 'ok')
    plain.push(
      `${formatCount(l.overlap.both)} PIEs in both (Jaccard ${formatNumber(l.overlap.jaccard, 3)}; ${formatCount(l.overlap.onlyBefore)} only before, ${formatCount(l.overlap.onlyAfter)} only after)`,
    );
  else skips.push(`PIE overlap: ${l.overlap.reason}`);
  const unchanged =
    !worse.length &&
    !better.length &&
    [l.top1Drop, l.pieCount, l.excessPies].every((m) => m.change === null || m.change === 0) &&
    (l.overlap.status !== 'ok' || l.overlap.jaccard === 1);
  const kind: DiffFinding['kind'] = worse.length
    ? 'worse'
    : better.length
      ? 'better'
      : skips.length && l.classes.status !== 'ok'
        ? 'skip'
        : 'same';
  const head = unchanged ? ['no change'] : [];
  const sentences = [...head, ...worse, ...better, ...plain, ...skips.map((s) => `not compared: ${s}`)];
  return { level: l.key, kind, text: `${sentences.join('; ')}.` };
}

/**
 * The diff's findings, for the top of diff.md and diff.html: one sentence per matched level (regressions first within
 * it), then the levels only one audit has, a change of the baseline's own top-1, and the candidate's new warnings.
 *
 * @example
 * diffFindings(diff).filter((f) => f.kind === 'worse').map((f) => f.text);
 */
export function diffFindings(diff: Omit<AuditDiff, 'findings' | 'gates' | 'verdict' | 'exitCode'>): DiffFinding[] {
  const out = diff.levels.map(levelFinding);
  if (diff.onlyBefore.length)
    out.push({ level: null, kind: 'skip', text: `Levels only the earlier audit has, not compared: ${diff.onlyBefore.join(', ')}.` });
  if (diff.onlyAfter.length)
    out.push({ level: null, kind: 'skip', text: `Levels only the candidate has, not compared: ${diff.onlyAfter.join(', ')}.` });
  const b = diff.baselineTop1;
  if (b.change !== null && b.change !== 0)
    out.push({
      level: null,
      kind: 'same',
      text: `The baseline's own top-1 moved ${formatPp(b.change)}${ci(b, (v) => formatPp(v))}; every drop is measured from each audit's own baseline.`,
    });
  if (diff.newWarnings.length)
    out.push({ level: null, kind: 'worse', text: `${diff.newWarnings.length} new warning(s): ${listed(diff.newWarnings)}` });
  return out;
}
