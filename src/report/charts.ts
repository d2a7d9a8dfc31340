import type { AuditReport, LevelReport } from '../schema/index.js';
import { formatPercent, formatPValue } from './format.js';
import { classLabel, compressedLevels, okSection } from './labels.js';
import { renderBarChart } from './svg/bar-chart.js';
import { renderLineChart, type LinePoint } from './svg/line-chart.js';

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

/**
 * Builds the SVG charts of the HTML report: top-1 vs sparsity, PIE rate vs sparsity, per-class
 * normalised recall change vs sparsity (significant classes ringed) and attribute over-indexing
 * at the most compressed level with attribute results. Named levels (e.g. 'int8') get a
 * categorical x axis. Charts whose data is entirely missing are left out.
 *
 * @example
 * for (const c of reportCharts(report)) html += c.svg;
 */
export function reportCharts(report: AuditReport): ReportChart[] {
  const numeric = hasNumericLevels(report);
  const xCategories = numeric ? undefined : report.levels.map((l) => l.key);
  const xLabel = numeric ? 'target sparsity (fraction of weights removed)' : 'compression level';
  const vs = numeric ? 'vs sparsity' : 'by compression level';
  const charts: ReportChart[] = [];

  const top1Points: LinePoint[] = report.levels.map((l) => {
    const acc = okSection(l.accuracy);
    return { x: xOf(l, numeric), y: acc?.mean ?? null, note: acc ? `sd ${acc.sd === null ? 'n/a' : pct(acc.sd)}, ${l.populationSize} models` : undefined };
  });
  const minPoints: LinePoint[] = report.levels.map((l) => ({ x: xOf(l, numeric), y: okSection(l.accuracy)?.min ?? null }));
  const maxPoints: LinePoint[] = report.levels.map((l) => ({ x: xOf(l, numeric), y: okSection(l.accuracy)?.max ?? null }));
  if (top1Points.some((p) => p.y !== null)) {
    const id = 'chart-top1';
    charts.push({
      id,
      title: `Top-1 accuracy ${vs}`,
      svg: renderLineChart({
        id,
        title: `Top-1 accuracy ${vs}`,
        description: `Mean top-1 accuracy of each level's model population on the test set, with the best and worst model. Levels: ${report.levels.map((l) => l.key).join(', ')}.`,
        xLabel,
        yLabel: 'top-1 accuracy',
        xCategories,
        yFormat: pct,
        series: [
          { name: 'mean top-1', points: top1Points, color: '#4e79a7' },
          { name: 'best model', points: maxPoints, color: '#a0cbe8' },
          { name: 'worst model', points: minPoints, color: '#bab0ac' },
        ],
      }),
    });
  }

  const piePoints: LinePoint[] = report.levels.map((l) => {
    if (l.isBaseline) return { x: xOf(l, numeric), y: 0, note: 'baseline: no PIEs by definition' };
    const p = okSection(l.pies);
    return { x: xOf(l, numeric), y: p?.rate ?? null, note: p ? `${p.count} PIEs` : undefined };
  });
  if (piePoints.some((p, i) => p.y !== null && !report.levels[i]!.isBaseline)) {
    const id = 'chart-pie-rate';
    charts.push({
      id,
      title: `PIE rate ${vs}`,
      svg: renderLineChart({
        id,
        title: `PIE rate ${vs}`,
        description: 'Share of test examples that are Pruning Identified Exemplars: the modal label of the compressed population differs from the modal label of the baseline population.',
        xLabel,
        yLabel: 'PIEs / test examples',
        xCategories,
        yFormat: pct,
        yInclude: [0],
        series: [{ name: 'PIE rate', points: piePoints, color: '#e15759' }],
      }),
    });
  }

  const impactLevels = compressedLevels(report).filter((l) => okSection(l.classImpact));
  if (impactLevels.length > 0) {
    const alpha = okSection(impactLevels[0]!.classImpact)?.alpha ?? report.config.alpha;
    const allSeries = report.classNames.map((_, c) => ({
      name: classLabel(report, c),
      points: report.levels.map((l): LinePoint => {
        if (l.isBaseline) return { x: xOf(l, numeric), y: 0 };
        const row = okSection(l.classImpact)?.rows.find((r) => r.classIndex === c);
        if (!row || row.status !== 'ok') return { x: xOf(l, numeric), y: null };
        return {
          x: xOf(l, numeric),
          y: row.normalizedRecallChange === null ? null : row.normalizedRecallChange * 100,
          marked: row.significant,
          note: `${row.direction === 'unchanged' ? 'not significant' : row.direction}, adjusted p ${formatPValue(row.pAdjusted)}`,
        };
      }),
    }));
    // Many classes (e.g. ImageNet) would make an unreadable chart: keep the ones that moved most.
    const moved = (s: (typeof allSeries)[number]): number => Math.max(0, ...s.points.map((p) => (typeof p.y === 'number' ? Math.abs(p.y) + (p.marked ? 1e6 : 0) : 0)));
    const series =
      allSeries.length <= MAX_CLASS_SERIES
        ? allSeries
        : allSeries
            .map((s, i) => ({ s, i, m: moved(s) }))
            .sort((a, b) => b.m - a.m || a.i - b.i)
            .slice(0, MAX_CLASS_SERIES)
            .sort((a, b) => a.i - b.i)
            .map((e) => e.s);
    const subset = series.length < allSeries.length ? ` Shown: the ${series.length} of ${allSeries.length} classes with the largest change (significant ones first); all classes are in the tables and classes.csv.` : '';
    const id = 'chart-class-impact';
    charts.push({
      id,
      title: `Per-class normalised recall change ${vs}`,
      svg: renderLineChart({
        id,
        title: `Per-class normalised recall change ${vs}`,
        description: `For each class, the change in normalised recall (class recall minus the population's mean top-1 accuracy), compressed minus baseline, in percentage points; 0 means the class lost no more than the model overall, below 0 it lost more. Ringed points are significant (adjusted p < ${alpha}).${subset}`,
        xLabel,
        yLabel: 'Δ normalised recall (pp)',
        xCategories,
        referenceY: 0,
        yFormat: (v) => `${Number(v.toPrecision(3))}`,
        markerLabel: `adj. p < ${alpha}`,
        series,
        height: 360,
      }),
    });
  }

  const attrLevel = [...compressedLevels(report)].reverse().find((l) => (okSection(l.attributes)?.rows.length ?? 0) > 0);
  const attrs = attrLevel ? okSection(attrLevel.attributes) : null;
  if (attrLevel && attrs) {
    const alpha = report.config.alpha;
    const id = 'chart-attributes';
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
    const title = `Attribute over-indexing among PIEs at level ${attrLevel.key}${rows.length < attrs.rows.length ? ` (${rows.length} of ${attrs.rows.length} values furthest from parity)` : ''}`;
    charts.push({
      id,
      title,
      svg: renderBarChart({
        id,
        title,
        description: `For each attribute value, its share among the PIEs of level ${attrLevel.key} divided by its share in the test set; the dashed line at 1 means no over-representation. Highlighted bars are significant: Fisher exact test, Benjamini-Hochberg adjusted p < ${alpha}.`,
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
      }),
    });
  }
  return charts;
}
