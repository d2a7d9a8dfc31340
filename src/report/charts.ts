import type { AuditReport, LevelReport } from '../schema/index.js';
import { formatPercent, formatPValue } from './format.js';
import { classLabel, compressedLevels, okSection } from './labels.js';
import { renderBarChart } from './svg/bar-chart.js';
import { renderLineChart, type LinePoint, type LineSeries } from './svg/line-chart.js';
import { seriesColor } from './svg/palette.js';

/** One chart of the HTML report. */
export interface ReportChart {
  /** Stable id, also the SVG element id. */
  id: string;
  title: string;
  svg: string;
}

/**
 * True when every level key is a number (a target sparsity), so the x axis can be numeric.
 *
 * @example
 * hasNumericLevels(report); // false when a level is named 'int8'
 */
export function hasNumericLevels(report: AuditReport): boolean {
  return report.levels.length > 0 && report.levels.every((l) => typeof l.numericLevel === 'number' && Number.isFinite(l.numericLevel));
}

function xOf(level: LevelReport, numeric: boolean): number | string {
  return numeric ? (level.numericLevel as number) : level.key;
}

/** Most class lines drawn in the per-class chart; more would be unreadable. */
const MAX_CLASS_SERIES = 12;
/** Most bars in the over-indexing chart. */
const MAX_BARS = 24;

const pct = (v: number): string => `${Number((v * 100).toPrecision(4))}%`;

interface Axis {
  numeric: boolean;
  xCategories: string[] | undefined;
  xLabel: string;
  vs: string;
}

function axisOf(report: AuditReport): Axis {
  const numeric = hasNumericLevels(report);
  return {
    numeric,
    xCategories: numeric ? undefined : report.levels.map((l) => l.key),
    xLabel: numeric ? 'target sparsity (fraction of weights removed)' : 'compression level',
    vs: numeric ? 'vs sparsity' : 'by compression level',
  };
}

function top1Chart(report: AuditReport, axis: Axis): ReportChart | null {
  const at = (l: LevelReport, y: number | null | undefined, note?: string): LinePoint => ({ x: xOf(l, axis.numeric), y: y ?? null, note });
  const mean = report.levels.map((l) => {
    const acc = okSection(l.accuracy);
    return {
      ...at(l, acc?.mean, acc ? `sd ${acc.sd === null ? 'n/a' : pct(acc.sd)}, ${l.populationSize} models` : undefined),
      interval: acc?.ci ?? null,
    };
  });
  if (!mean.some((p) => p.y !== null)) return null;
  const id = 'chart-top1';
  const title = `Top-1 accuracy ${axis.vs}`;
  const levels = report.levels.map((l) => l.key).join(', ');
  const svg = renderLineChart({
    id,
    title,
    description: `Mean top-1 accuracy of each level's model population on the test set, with the best and worst model. Levels: ${levels}.`,
    xLabel: axis.xLabel,
    yLabel: 'top-1 accuracy',
    xCategories: axis.xCategories,
    yFormat: pct,
    series: [
      { name: 'mean top-1', points: mean, color: '#4e79a7' },
      { name: 'best model', points: report.levels.map((l) => at(l, okSection(l.accuracy)?.max)), color: '#a0cbe8' },
      { name: 'worst model', points: report.levels.map((l) => at(l, okSection(l.accuracy)?.min)), color: '#bab0ac' },
    ],
  });
  return { id, title, svg };
}

function pieRateChart(report: AuditReport, axis: Axis): ReportChart | null {
  const points: LinePoint[] = report.levels.map((l) => {
    if (l.isBaseline) return { x: xOf(l, axis.numeric), y: 0, note: 'baseline: no PIEs by definition' };
    const p = okSection(l.pies);
    return { x: xOf(l, axis.numeric), y: p?.rate ?? null, note: p ? `${p.count} PIEs` : undefined, interval: p?.rateCi ?? null };
  });
  if (!points.some((p, i) => p.y !== null && !report.levels[i]!.isBaseline)) return null;
  const id = 'chart-pie-rate';
  const title = `PIE rate ${axis.vs}`;
  const svg = renderLineChart({
    id,
    title,
    description:
      'Share of test examples that are Pruning Identified Exemplars: the modal label of the compressed population differs from the modal label of the baseline population.',
    xLabel: axis.xLabel,
    yLabel: 'PIEs / test examples',
    xCategories: axis.xCategories,
    yFormat: pct,
    yInclude: [0],
    series: [{ name: 'PIE rate', points, color: '#e15759' }],
  });
  return { id, title, svg };
}

function classPoint(l: LevelReport, c: number, axis: Axis, corrected: boolean): LinePoint {
  const x = xOf(l, axis.numeric);
  if (l.isBaseline) return { x, y: 0 };
  const row = okSection(l.classImpact)?.rows.find((r) => r.classIndex === c);
  if (row?.status !== 'ok' || row.normalizedRecallChange === null) return { x, y: null };
  const ci = row.normalizedRecallChangeCi;
  const what = row.direction === 'unchanged' ? 'not significant' : row.direction;
  return {
    x,
    y: row.normalizedRecallChange * 100,
    marked: row.significant,
    interval: ci ? [ci[0] * 100, ci[1] * 100] : null,
    note: `${what}, ${corrected ? 'adjusted ' : ''}p ${formatPValue(corrected ? row.pAdjusted : row.p)}`,
  };
}

/** Many classes (e.g. ImageNet) would make an unreadable chart: the hurt ones and those that moved most. */
function chartedClasses(series: LineSeries[]): LineSeries[] {
  if (series.length <= MAX_CLASS_SERIES) return series;
  const moved = (s: LineSeries): number =>
    (s.muted ? 0 : 1e9) + Math.max(0, ...s.points.map((p) => (typeof p.y === 'number' ? Math.abs(p.y) + (p.marked ? 1e6 : 0) : 0)));
  return series
    .map((s, i) => ({ s, i, m: moved(s) }))
    .sort((a, b) => b.m - a.m || a.i - b.i)
    .slice(0, MAX_CLASS_SERIES)
    .sort((a, b) => a.i - b.i)
    .map((e) => e.s);
}

function classImpactChart(report: AuditReport, axis: Axis): ReportChart | null {
  const tested = compressedLevels(report)
    .map((l) => okSection(l.classImpact))
    .filter((ci) => ci !== null);
  if (!tested.length) return null;
  const alpha = tested[0]!.alpha ?? report.config.alpha;
  const corrected = tested.some((ci) => ci.correction !== 'none');
  const hurt = new Set(tested.flatMap((ci) => ci.hurtClasses));
  let colour = 0;
  const all: LineSeries[] = report.classNames.map((_, c) => ({
    name: classLabel(report, c),
    points: report.levels.map((l) => classPoint(l, c, axis, corrected)),
    ...(hurt.has(c) ? { color: seriesColor(colour++) } : { muted: true }),
  }));
  const series = chartedClasses(all);
  const subset =
    series.length < all.length
      ? ` Shown: the ${series.length} of ${all.length} classes with the largest change (significant ones first); all classes are in the tables and classes.csv.`
      : '';
  const pLabel = corrected ? 'adj. p' : 'p';
  const id = 'chart-class-impact';
  const title = `Per-class normalised recall change ${axis.vs}`;
  const svg = renderLineChart({
    id,
    title,
    description:
      "For each class, the change in normalised recall (class recall minus the population's mean top-1 accuracy), compressed minus baseline, " +
      `in percentage points; 0 means the class lost no more than the model overall, below 0 it lost more. Classes significantly hurt at some level are ` +
      `coloured, the others grey; ringed points are significant (${pLabel} < ${alpha}); bars are 95% intervals where the report has them.${subset}`,
    xLabel: axis.xLabel,
    yLabel: 'Δ normalised recall (pp)',
    xCategories: axis.xCategories,
    referenceY: 0,
    yFormat: (v) => `${Number(v.toPrecision(3))}`,
    markerLabel: `${pLabel} < ${alpha}`,
    mutedLabel: 'not hurt',
    series,
    height: 360,
  });
  return { id, title, svg };
}

function attributesChart(report: AuditReport): ReportChart | null {
  const level = [...compressedLevels(report)].reverse().find((l) => (okSection(l.attributes)?.rows.length ?? 0) > 0);
  const attrs = level ? okSection(level.attributes) : null;
  if (!level || !attrs) return null;
  const alpha = report.config.alpha;
  // Keep the chart readable with many attributes: the values furthest from parity (ratio 1).
  const distance = (v: number | null): number => (v !== null && v > 0 ? Math.abs(Math.log(v)) : v === 0 ? Infinity : -1);
  const rows =
    attrs.rows.length <= MAX_BARS
      ? attrs.rows
      : attrs.rows
          .map((r, i) => ({ r, i }))
          .sort((a, b) => distance(b.r.overIndexRatio) - distance(a.r.overIndexRatio) || a.i - b.i)
          .slice(0, MAX_BARS)
          .sort((a, b) => a.i - b.i)
          .map((e) => e.r);
  const id = 'chart-attributes';
  const title = `Attribute over-indexing among PIEs at level ${level.key}${rows.length < attrs.rows.length ? ` (${rows.length} of ${attrs.rows.length} values furthest from parity)` : ''}`;
  const svg = renderBarChart({
    id,
    title,
    description:
      `For each attribute value, its share among the PIEs of level ${level.key} divided by its share in the test set; the dashed line at 1 means no ` +
      `over-representation. Highlighted bars are significant: Fisher exact test, Benjamini-Hochberg adjusted p < ${alpha}.`,
    valueLabel: 'over-index ratio (share among PIEs / share in test set)',
    referenceValue: 1,
    referenceLabel: '1 = parity',
    valueFormat: (v) => `${Number(v.toPrecision(3))}`,
    markedLabel: `significant (adjusted p < ${alpha})`,
    unmarkedLabel: 'not significant',
    bars: rows.map((r) => ({
      label: `${r.attribute} = ${r.value}`,
      value: r.overIndexRatio,
      marked: r.significant === true,
      note: `${formatPercent(r.shareAmongPIEs, 1)} of PIEs vs ${formatPercent(r.shareOverall, 1)} of test set, p ${formatPValue(r.p)}, adjusted p ${formatPValue(r.pAdjusted)}`,
    })),
  });
  return { id, title, svg };
}

/**
 * Builds the SVG charts of the HTML report: top-1 vs sparsity, PIE rate vs sparsity, per-class
 * normalised recall change vs sparsity (hurt classes coloured, the others grey, significant points
 * ringed, interval error bars where the report has intervals) and attribute over-indexing at the most
 * compressed level with attribute results. Named levels (e.g. 'int8') get a categorical x axis.
 * Charts whose data is entirely missing are left out.
 *
 * @example
 * for (const c of reportCharts(report)) html += c.svg;
 */
export function reportCharts(report: AuditReport): ReportChart[] {
  const axis = axisOf(report);
  const charts = [top1Chart(report, axis), pieRateChart(report, axis), classImpactChart(report, axis), attributesChart(report)];
  return charts.filter((c): c is ReportChart => c !== null);
}
