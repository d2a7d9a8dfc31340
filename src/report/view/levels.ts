import type { AuditReport, LevelReport, Section } from '../../schema/index.js';
import { formatBytes, formatCount, formatMeanSd, formatNumber, formatPercent, formatPp, formatPValue, MISSING } from '../format.js';
import { levelLabel, okSection } from '../labels.js';
import { piesByClass } from '../pies-by-class.js';
import { intervalText, levelSkipNotes, negated, quotedClass, skipText } from './text.js';
import { cell, columns, type ViewCell, type ViewSection, type ViewTable } from './types.js';

/** Most class rows of the "PIEs by class" table a short format prints. */
const MAX_BY_CLASS_ROWS = 50;

function skipCell(section: Section<unknown>): ViewCell {
  return cell(section?.status ?? 'unavailable', 'skip', skipText(section));
}

function hurtCell(report: AuditReport, l: LevelReport): ViewCell {
  if (l.isBaseline) return cell(MISSING, 'muted');
  const ci = okSection(l.classImpact);
  if (!ci) return skipCell(l.classImpact);
  if (!ci.hurtClasses.length) return cell('none', 'muted');
  return cell(`${ci.hurtClasses.length}: ${ci.hurtClasses.map((c) => quotedClass(report, c)).join(', ')}`, 'hurt');
}

/** `+292 (p 0.001)`: PIEs beyond the seed-noise floor, or why the test could not decide. */
function noiseFloorCell(l: LevelReport): ViewCell {
  const floor = okSection(l.pies)?.permutation;
  if (!floor) return cell(MISSING, 'muted');
  if (floor.status !== 'ok') return cell('inconclusive', 'skip', floor.reason ?? undefined);
  const text = `${formatCount(floor.nullMedian)} / ${formatCount(floor.nullP95)}; ${floor.excess > 0 ? '+' : ''}${formatCount(floor.excess)} (p ${formatPValue(floor.p)})`;
  return cell(
    text,
    floor.significant ? 'hurt' : 'plain',
    `${floor.method} permutation test over ${formatCount(floor.splits)} splits, ${floor.design} design`,
  );
}

function levelRow(report: AuditReport, l: LevelReport): ViewCell[] {
  const acc = okSection(l.accuracy);
  const pies = okSection(l.pies);
  const onPies = okSection(l.baselineAccuracyOnPies);
  return [
    cell(levelLabel(l)),
    cell(formatCount(l.populationSize)),
    acc ? cell(formatMeanSd(acc.mean, acc.sd)) : skipCell(l.accuracy),
    cell(
      acc && acc.top1Drop !== null
        ? `${formatPp(-acc.top1Drop)}${intervalText(negated(acc.top1DropCi), (v) => formatNumber(v * 100, 2))}`
        : MISSING,
    ),
    cell(formatPercent(l.meanSparsity, 1)),
    // A quantized level's weights are stored in its own format: its size beside the gzipped float32 size.
    cell(
      l.meanStoredWeightBytes === null || l.meanStoredWeightBytes === undefined
        ? formatBytes(l.meanGzippedBytes)
        : `${formatBytes(l.meanGzippedBytes)} (stored ${formatBytes(l.meanStoredWeightBytes)})`,
    ),
    pies ? cell(formatCount(pies.count)) : l.isBaseline ? cell(MISSING, 'muted') : skipCell(l.pies),
    cell(pies ? `${formatPercent(pies.rate)}${intervalText(pies.rateCi, (v) => formatPercent(v))}` : MISSING),
    noiseFloorCell(l),
    hurtCell(report, l),
    cell(formatCount(l.modalTies?.count)),
    cell(onPies ? formatPercent(onPies.onPies, 1) : MISSING),
    cell(onPies ? formatPercent(onPies.onNonPies, 1) : MISSING),
  ];
}

function byClassTable(report: AuditReport): ViewTable | null {
  const byClass = piesByClass(report);
  if (!byClass) return null;
  // Classes with the most PIEs at the most compressed level first.
  const last = byClass.levels.length - 1;
  const sorted = [...byClass.rows].sort((a, b) => (b.counts[last] ?? -1) - (a.counts[last] ?? -1) || a.classIndex - b.classIndex);
  return {
    columns: columns('<Class', ...byClass.levels.map((k) => `Level ${k}`)),
    rows: sorted.map((r) => [cell(quotedClass(report, r.classIndex)), ...r.counts.map((c) => cell(formatCount(c)))]),
    fold: { summary: `PIEs by ${byClass.basis}`, open: false },
    shortLimit: MAX_BY_CLASS_ROWS,
    moreIn: 'report.html and classes.csv',
  };
}

/**
 * The levels section: one row per level (population size, top-1, sparsity, size, PIEs, the classes
 * significantly hurt, modal ties, baseline accuracy on PIEs) with notes on what was not computed, and
 * the folded "PIEs by class" table.
 *
 * @example
 * levelsView(report).tables[0].rows.length === report.levels.length; // true
 */
export function levelsView(report: AuditReport): ViewSection {
  const compressed = report.levels.filter((l) => !l.isBaseline);
  const notes = [
    ...levelSkipNotes(report.levels, (l) => l.accuracy, 'Top-1'),
    ...levelSkipNotes(compressed, (l) => l.pies, 'PIEs'),
    ...levelSkipNotes(compressed, (l) => l.baselineAccuracyOnPies, 'Baseline accuracy on PIEs'),
  ];
  const rows = report.levels.map((l) => levelRow(report, l));
  const main: ViewTable = {
    columns: columns(
      '<Level',
      'Models',
      'Top-1 (mean ± sd, pp)',
      'Δ top-1 [95% CI]',
      'Sparsity',
      'Gzipped',
      'PIEs',
      'PIE rate [95% CI]',
      'Noise floor (median / p95; excess)',
      '<Hurt classes',
      'Modal ties',
      'Baseline acc. on PIEs',
      'on other examples',
    ),
    rows,
  };
  const byClass = byClassTable(report);
  return { id: 'levels', title: 'Levels', paragraphs: [], tables: byClass ? [main, byClass] : [main], notes };
}
