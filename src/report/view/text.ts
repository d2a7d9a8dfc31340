import type { AuditReport, LevelReport, Section } from '../../schema/index.js';
import { classLabel } from '../labels.js';

/**
 * A class name in quotes, so a name such as `0` reads as a name and not as a count.
 *
 * @example
 * quotedClass(report, 3); // '“3”'
 */
export function quotedClass(report: Pick<AuditReport, 'classNames'>, index: number | null | undefined): string {
  return `“${classLabel(report, index)}”`;
}

/**
 * The reason a section was skipped, with its status once: `'inconclusive: need at least 2 models'`.
 * A reason that already starts with its status is not prefixed again.
 *
 * @example
 * skipText({ status: 'unavailable', reason: 'no labels' }); // 'unavailable: no labels'
 */
export function skipText(section: Section<unknown> | null | undefined): string {
  if (!section) return 'unavailable: missing from the report';
  if (section.status === 'ok') return '';
  const reason = typeof section.reason === 'string' && section.reason ? section.reason : 'no reason given';
  return reason.startsWith(`${section.status}:`) ? reason : `${section.status}: ${reason}`;
}

/**
 * Notes for a section skipped at some levels: one note per distinct reason, naming the levels it holds
 * for ("all levels" when every given level shares it), so a missing input is said once, not per level.
 * `what` names the measure when the section title does not (e.g. 'top-1').
 *
 * @example
 * levelSkipNotes(levels, (l) => l.attributes); // ['All levels: unavailable: no group attributes were given']
 */
export function levelSkipNotes(levels: readonly LevelReport[], pick: (l: LevelReport) => Section<unknown>, what = ''): string[] {
  const byReason = new Map<string, string[]>();
  for (const l of levels) {
    const section = pick(l);
    if (section?.status === 'ok') continue;
    const text = skipText(section);
    const keys = byReason.get(text) ?? [];
    keys.push(l.key);
    byReason.set(text, keys);
  }
  const prefix = what ? `${what}, ` : '';
  return [...byReason].map(([text, keys]) => {
    const where =
      keys.length === levels.length && levels.length > 1 ? 'all levels' : `${keys.length > 1 ? 'levels' : 'level'} ${keys.join(', ')}`;
    const said = `${prefix}${where}`;
    return `${said.charAt(0).toUpperCase()}${said.slice(1)}: ${text}`;
  });
}

/**
 * ` [low, high]` of an interval in the unit its estimate is printed in, or '' when there is none.
 *
 * @example
 * intervalText([-0.05, -0.01], (v) => formatNumber(v * 100, 2)); // ' [-5.00, -1.00]'
 */
export function intervalText(ci: readonly number[] | null | undefined, format: (v: number) => string): string {
  if (!Array.isArray(ci) || ci.length !== 2 || !ci.every((v) => typeof v === 'number' && Number.isFinite(v))) return '';
  return ` [${format(ci[0]!)}, ${format(ci[1]!)}]`;
}

/**
 * The interval of `-x` from the interval of `x` (a drop shown as a change).
 *
 * @example
 * negated([0.01, 0.03]); // [-0.03, -0.01]
 */
export function negated(ci: readonly number[] | null | undefined): [number, number] | null {
  return Array.isArray(ci) && ci.length === 2 ? [-ci[1]!, -ci[0]!] : null;
}
