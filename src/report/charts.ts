import type { AuditReport, LevelReport } from '../audit/report-types.js';
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

/** True when every level key is a number (a target sparsity), so the x axis can be numeric. */
export function hasNumericLevels(report: AuditReport): boolean {
  return report.levels.length > 0 && report.levels.every((l) => typeof l.numericLevel === 'number' && Number.isFinite(l.numericLevel));
}

function xOf(level: LevelReport, numeric: boolean): number | string {
  return numeric ? (level.numericLevel as number) : level.key;
}

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
    const series = report.classNames.map((_, c) => ({
      name: classLabel(report, c),
      points: report.levels.map((l): LinePoint => {
        if (l.isBaseline) return { x: xOf(l, numeric), y: 0 };
        const row = okSection(l.classImpact)?.rows.find((r) => r.classIndex === c);
        if (!row || row.status !== 'ok') return { x: xOf(l, numeric), y: null };
        return {
          x: xOf(l, numeric),
          y: row.normalizedRecallChange === null ? null : row.normalizedRecallChange * 100,
          marked: row.significant,
          note: `${row.direction === 'none' ? 'not significant' : row.direction}, adjusted p ${formatPValue(row.adjustedPValue)}`,
        };
      }),
    }));
    const id = 'chart-class-impact';
    charts.push({
      id,
      title: `Per-class normalised recall change ${vs}`,
      svg: renderLineChart({
        id,
        title: `Per-class normalised recall change ${vs}`,
        description: `For each class, the change in normalised recall (class recall minus the population's mean top-1 accuracy), compressed minus baseline, in percentage points; 0 means the class lost no more than the model overall, below 0 it lost more. Ringed points are significant (adjusted p < ${alpha}).`,
        xLabel,
        yLabel: 'Δ normalised recall (pp)',
        xCategories,
        referenceY: 0,
        yFormat: (v) => `${Number(v.toPrecision(3))}`,
        markerLabel: `significant (adj. p < ${alpha})`,
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
    const title = `Attribute over-indexing among PIEs at level ${attrLevel.key}`;
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
        bars: attrs.rows.map((r) => ({
          label: `${r.attribute} = ${r.value}`,
          value: r.overIndex,
          marked: r.significant === true,
          note: `${formatPercent(r.shareInPies, 1)} of PIEs vs ${formatPercent(r.shareInTestSet, 1)} of test set, p ${formatPValue(r.pValue)}, adjusted p ${formatPValue(r.adjustedPValue)}`,
        })),
      }),
    });
  }
  return charts;
}
