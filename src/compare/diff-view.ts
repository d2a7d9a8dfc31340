import { formatCount, formatNumber, formatPp, MISSING } from '../report/format.js';
import type { AuditDiff, MeasureChange } from './types.js';

/** A table of the diff as text cells, shared by diff.md and diff.html. */
export interface DiffTable {
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
  /** Shown when there are no rows. */
  empty: string;
}

const pctPoints = (v: number | null) => (v === null ? MISSING : `${formatNumber(v * 100, 2)} %`);
const withCi = (m: MeasureChange, f: (v: number | null) => string): string =>
  `${f(m.change)}${m.changeCi ? ` [${f(m.changeCi[0])}, ${f(m.changeCi[1])}]` : ''}`;
const signedCount = (v: number | null) => (v === null ? MISSING : `${v > 0 ? '+' : ''}${formatCount(Math.round(v * 10) / 10)}`);
const rate = (m: MeasureChange) => `${pctPoints(m.before)} → ${pctPoints(m.after)}`;
const sig = (v: boolean | null) => (v === null ? '?' : v ? 'significant' : 'not significant');

/**
 * The diff's tables: per level the measures and their changes, the PIE overlap, classes and attribute values, gate
 * results, and warnings.
 *
 * @example
 * diffTables(diff).map((t) => t.title); // ['Levels', 'PIE overlap', ...]
 */
export function diffTables(diff: AuditDiff): DiffTable[] {
  const levels: DiffTable = {
    id: 'levels',
    title: 'Levels',
    columns: ['level', 'top-1 drop', 'change', 'PIE rate', 'PIEs', 'change', 'excess PIEs', 'noise-floor test'],
    rows: diff.levels.map((l) => [
      l.key,
      `${formatPp(l.top1Drop.before)} → ${formatPp(l.top1Drop.after)}`,
      withCi(l.top1Drop, (v) => formatPp(v)),
      rate(l.pieRate),
      `${formatCount(l.pieCount.before)} → ${formatCount(l.pieCount.after)}`,
      withCi(l.pieCount, signedCount),
      `${formatNumber(l.excessPies.before, 1)} → ${formatNumber(l.excessPies.after, 1)}`,
      `${sig(l.excessSignificant.before)} → ${sig(l.excessSignificant.after)}`,
    ]),
    empty: 'The two audits share no compressed level.',
  };
  const overlap: DiffTable = {
    id: 'overlap',
    title: 'PIE overlap',
    columns: ['level', 'PIEs before', 'PIEs after', 'in both', 'only before', 'only after', 'Jaccard'],
    rows: diff.levels.map((l) =>
      l.overlap.status === 'ok'
        ? [
            l.key,
            ...[l.overlap.before, l.overlap.after, l.overlap.both, l.overlap.onlyBefore, l.overlap.onlyAfter].map(formatCount),
            formatNumber(l.overlap.jaccard, 3),
          ]
        : [l.key, `unavailable: ${l.overlap.reason}`, '', '', '', '', ''],
    ),
    empty: 'No level to compare.',
  };
  const classes: DiffTable = {
    id: 'classes',
    title: 'Classes and attribute values',
    columns: ['level', 'newly hurt', 'no longer hurt', 'newly over-indexed', 'no longer over-indexed'],
    rows: diff.levels.map((l) => {
      const c =
        l.classes.status === 'ok'
          ? [l.classes.newlyHurt.join(', ') || 'none', l.classes.noLongerHurt.join(', ') || 'none']
          : [`not compared: ${l.classes.reason}`, ''];
      const a =
        l.attributes.status === 'ok'
          ? [
              l.attributes.newlyOverIndexed.map((r) => `${r.attribute}=${r.value} (${formatNumber(r.ratioAfter, 2)})`).join(', ') || 'none',
              l.attributes.noLongerOverIndexed.map((r) => `${r.attribute}=${r.value} (${formatNumber(r.ratioBefore, 2)})`).join(', ') ||
                'none',
            ]
          : [`not compared: ${l.attributes.reason}`, ''];
      return [l.key, ...c, ...a];
    }),
    empty: 'No level to compare.',
  };
  const gates: DiffTable = {
    id: 'gates',
    title: 'Regression gates',
    columns: ['status', 'gate', 'level', 'threshold', 'observed', 'reason'],
    rows: (diff.gates?.results ?? []).map((r) => [
      r.status,
      r.gate,
      r.level,
      String(r.threshold),
      r.observed === null ? MISSING : Number.isInteger(r.observed) ? String(r.observed) : formatNumber(r.observed, 4),
      r.reason,
    ]),
    empty: 'No regression gates were given.',
  };
  const warnings: DiffTable = {
    id: 'warnings',
    title: 'Warnings',
    columns: ['change', 'warning'],
    rows: [...diff.newWarnings.map((w) => ['new', w]), ...diff.resolvedWarnings.map((w) => ['resolved', w])],
    empty: 'No warning appeared or went away.',
  };
  return [gates, levels, overlap, classes, warnings];
}

/** The verdict heading of a diff. */
export function diffVerdictText(diff: AuditDiff): string {
  return diff.verdict === 'ungated' ? 'UNGATED (no regression gates given)' : `${diff.verdict.toUpperCase()} (exit ${diff.exitCode})`;
}
