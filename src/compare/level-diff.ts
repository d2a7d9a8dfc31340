import type { AttributeOverIndexReportRow, AuditReport, LevelReport } from '../schema/index.js';
import { underpoweredReason } from '../gate/power.js';
import { okSection } from '../report/labels.js';
import { measureChange } from './measure-change.js';
import { pieOverlap } from './pie-overlap.js';
import type { LevelDiff, OverIndexChange, PieOverlap, PieSets } from './types.js';

/** Both sides of one level, each with its own report (for class names, n and the baseline). */
export interface LevelPair {
  before: { report: AuditReport; level: LevelReport; pies: PieSets | null; piesFile: string | null };
  after: { report: AuditReport; level: LevelReport; pies: PieSets | null; piesFile: string | null };
}

const scaled = (ci: [number, number] | null | undefined, by: number): [number, number] | null => (ci ? [ci[0] * by, ci[1] * by] : null);

function skipped(section: unknown, side: string): string {
  const s = section as { status?: unknown; reason?: unknown } | null | undefined;
  return `${side}: ${typeof s?.status === 'string' ? s.status : 'missing'}${typeof s?.reason === 'string' ? ` (${s.reason})` : ''}`;
}

/** The PIE set of one side when its file lists every PIE the report counts, else why not. */
function completeSet(side: LevelPair['before'], name: string, count: number): Set<number> | string {
  if (!side.pies) return `the ${name} audit's folder has no pies.arrow or pies.csv (write the report with the csv format)`;
  const set = side.pies.get(side.level.key) ?? new Set<number>();
  if (set.size !== count)
    return (
      `the ${name} audit's ${side.piesFile ?? 'PIE file'} lists ${set.size} of its ${count} PIEs at level ${side.level.key} ` +
      '(written from a report without its full PIE table); re-run that audit to list every PIE'
    );
  return set;
}

function overlapOf(pair: LevelPair): PieOverlap {
  const pb = okSection(pair.before.level.pies);
  const pa = okSection(pair.after.level.pies);
  if (!pb || !pa)
    return {
      status: 'unavailable',
      reason: `no PIEs to compare (${!pb ? skipped(pair.before.level.pies, 'before') : skipped(pair.after.level.pies, 'after')})`,
    };
  const b = completeSet(pair.before, 'earlier', pb.count);
  const a = completeSet(pair.after, 'candidate', pa.count);
  if (typeof b === 'string') return { status: 'unavailable', reason: b };
  if (typeof a === 'string') return { status: 'unavailable', reason: a };
  return pieOverlap(b, a);
}

function hurtNames(report: AuditReport, level: LevelReport): string[] | null {
  const ci = okSection(level.classImpact);
  if (!ci || !Array.isArray(ci.rows)) return null;
  return ci.rows.filter((r) => r.direction === 'hurt').map((r) => report.classNames[r.classIndex] ?? String(r.classIndex));
}

function classesOf(pair: LevelPair): LevelDiff['classes'] {
  const before = hurtNames(pair.before.report, pair.before.level);
  const after = hurtNames(pair.after.report, pair.after.level);
  if (!before || !after) {
    const reason = `class tests not comparable (${!before ? skipped(pair.before.level.classImpact, 'before') : skipped(pair.after.level.classImpact, 'after')})`;
    const status = [pair.before.level.classImpact?.status, pair.after.level.classImpact?.status].includes('inconclusive')
      ? 'inconclusive'
      : 'unavailable';
    return { status, reason };
  }
  const was = new Set(before);
  const is = new Set(after);
  return {
    status: 'ok',
    newlyHurt: after.filter((c) => !was.has(c)),
    noLongerHurt: before.filter((c) => !is.has(c)),
    hurtBefore: before,
    hurtAfter: after,
  };
}

/** Significantly over-represented among PIEs: the values a reviewer reads as "compression forgets this group". */
const overIndexed = (r: AttributeOverIndexReportRow): boolean =>
  r.significant === true && typeof r.overIndexRatio === 'number' && r.overIndexRatio > 1;

function attributesOf(pair: LevelPair): LevelDiff['attributes'] {
  const b = okSection(pair.before.level.attributes);
  const a = okSection(pair.after.level.attributes);
  if (!b || !a || !Array.isArray(b.rows) || !Array.isArray(a.rows)) {
    const reason = `attribute over-indexing not comparable (${!b ? skipped(pair.before.level.attributes, 'before') : skipped(pair.after.level.attributes, 'after')})`;
    const status = [pair.before.level.attributes?.status, pair.after.level.attributes?.status].includes('inconclusive')
      ? 'inconclusive'
      : 'unavailable';
    return { status, reason };
  }
  // Only attributes both audits looked at can be newly over-indexed; keys never touch an object prototype (a Map).
  const shared = new Set(pair.before.report.testSet.attributeNames.filter((n) => pair.after.report.testSet.attributeNames.includes(n)));
  const key = (r: AttributeOverIndexReportRow) => JSON.stringify([r.attribute, r.value]);
  const rowsB = new Map(b.rows.filter((r) => shared.has(r.attribute)).map((r) => [key(r), r]));
  const rowsA = new Map(a.rows.filter((r) => shared.has(r.attribute)).map((r) => [key(r), r]));
  const change = (r: AttributeOverIndexReportRow, other: AttributeOverIndexReportRow | undefined, afterSide: boolean): OverIndexChange => ({
    attribute: r.attribute,
    value: r.value,
    ratioBefore: afterSide ? (other?.overIndexRatio ?? null) : r.overIndexRatio,
    ratioAfter: afterSide ? r.overIndexRatio : (other?.overIndexRatio ?? null),
    pAdjusted: r.pAdjusted,
  });
  const newly = [...rowsA.values()].filter((r) => overIndexed(r) && !(rowsB.has(key(r)) && overIndexed(rowsB.get(key(r))!)));
  const gone = [...rowsB.values()].filter((r) => overIndexed(r) && !(rowsA.has(key(r)) && overIndexed(rowsA.get(key(r))!)));
  return {
    status: 'ok',
    newlyOverIndexed: newly.map((r) => change(r, rowsB.get(key(r)), true)),
    noLongerOverIndexed: gone.map((r) => change(r, rowsA.get(key(r)), false)),
  };
}

/**
 * What changed at one level between two audits: top-1 and its drop, PIE count and rate, the excess over the noise floor
 * (with intervals where both have them), the overlap of the PIE sets, classes newly (no longer) hurt and attribute
 * values newly (no longer) over-indexed. Fields a report lacks (an older layout) read as unknown, never as zero.
 *
 * @example
 * levelDiff({ before: { report: a, level: a.levels[2], pies: null, piesFile: null }, after: { ... } }).pieCount.change;
 */
export function levelDiff(pair: LevelPair): LevelDiff {
  const { before, after } = pair;
  const accB = okSection(before.level.accuracy);
  const accA = okSection(after.level.accuracy);
  const pB = okSection(before.level.pies);
  const pA = okSection(after.level.pies);
  const floorB = pB?.permutation ?? null;
  const floorA = pA?.permutation ?? null;
  const nB = before.report.testSet.n;
  const nA = after.report.testSet.n;
  const baseA = after.report.levels.find((l) => l.key === after.report.baselineLevel);
  return {
    key: after.level.key,
    top1: measureChange(accB?.mean, accA?.mean, accB?.ci, accA?.ci),
    top1Drop: measureChange(accB?.top1Drop, accA?.top1Drop, accB?.top1DropCi, accA?.top1DropCi),
    pieCount: measureChange(pB?.count, pA?.count, scaled(pB?.rateCi, nB), scaled(pA?.rateCi, nA)),
    pieRate: measureChange(pB?.rate, pA?.rate, pB?.rateCi, pA?.rateCi),
    excessPies: measureChange(floorB?.excess, floorA?.excess),
    excessRate: measureChange(floorB?.excessRate, floorA?.excessRate),
    excessSignificant: {
      before: typeof floorB?.significant === 'boolean' ? floorB.significant : null,
      after: typeof floorA?.significant === 'boolean' ? floorA.significant : null,
    },
    overlap: overlapOf(pair),
    classes: classesOf(pair),
    attributes: attributesOf(pair),
    underpowered: baseA ? underpoweredReason(baseA, after.level) : null,
  };
}
