import type { AuditReport, LevelReport } from '../schema/index.js';
import type { ReportChart } from './charts.js';
import { formatBytes } from './format.js';
import { okSection } from './labels.js';
import { escapeXml } from './svg/escape.js';
import { renderLineChart, type LinePoint } from './svg/line-chart.js';

/** The file of a report set that holds the chart for report.md (Markdown has no inline SVG). */
export const TRADEOFF_CHART_FILE = 'tradeoff.svg';

/** One panel's width and height; the chart is a grid of up to 2 x 2 panels. */
const PANEL = { width: 340, height: 230 };
const HEADER = 28;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

interface Measure {
  name: string;
  label: string;
  of: (l: LevelReport) => number | null;
  format: (v: number) => string;
  /** Colour of the points when the measure is drawn up. */
  color?: string;
}

const pct = (v: number): string => `${Number((v * 100).toPrecision(4))}%`;
const ms = (v: number): string => `${Number(v.toPrecision(3))} ms`;

/** The size a level is placed by: gzipped weights where the report has them (what pruning's zeros save), else stored bytes. */
function sizeMeasure(report: AuditReport): Measure | null {
  const gzipped = report.levels.some((l) => typeof l.meanGzippedBytes === 'number');
  const stored = report.levels.some((l) => typeof l.meanStoredBytes === 'number');
  if (!gzipped && !stored) return null;
  return gzipped
    ? { name: 'size', label: 'gzipped weights (mean per model)', of: (l) => l.meanGzippedBytes, format: formatBytes }
    : { name: 'size', label: 'stored size (mean per model)', of: (l) => l.meanStoredBytes ?? null, format: formatBytes };
}

const LATENCY: Measure = {
  name: 'latency',
  label: 'ms per example at batch 1',
  of: (l) => okSection(l.latency)?.batch1Ms ?? null,
  format: ms,
};
const TOP1: Measure = {
  name: 'top-1',
  label: 'mean top-1 accuracy',
  of: (l) => okSection(l.accuracy)?.mean ?? null,
  format: pct,
  color: '#4e79a7',
};
const PIE_RATE: Measure = {
  name: 'PIE rate',
  label: 'PIE rate (PIEs / test examples)',
  of: (l) => (l.isBaseline ? 0 : (okSection(l.pies)?.rate ?? null)),
  format: pct,
  color: '#e15759',
};

/**
 * The trade-off chart: each level as one labelled point, its size (gzipped weights) and its latency (ms per example
 * at batch 1) across, its top-1 accuracy and PIE rate up, in a grid of up to four panels, so a reviewer can pick the
 * level to ship. Panels whose data the report lacks are left out; `null` when no level has a size or latency, or no
 * level has top-1 or a PIE rate, and for reports written before levels carried size and latency.
 *
 * @example
 * const chart = tradeoffChart(report);
 * if (chart) html += chart.svg;
 */
export function tradeoffChart(report: AuditReport): ReportChart | null {
  // Reports written before levels carried size and latency keep the charts they had.
  if (!report.levels.some((l) => l.latency !== undefined || l.meanStoredBytes !== undefined)) return null;
  const size = sizeMeasure(report);
  const across = [size, report.levels.some((l) => LATENCY.of(l) !== null) ? LATENCY : null].filter((m): m is Measure => m !== null);
  const up = [TOP1, PIE_RATE].filter((m) => report.levels.some((l) => !l.isBaseline && m.of(l) !== null));
  if (!across.length || !up.length) return null;
  const id = 'chart-tradeoff';
  const title = `What compression bought: ${across.map((m) => m.name).join(' and ')} against ${up.map((m) => m.name).join(' and ')}`;
  const width = PANEL.width * across.length;
  const height = HEADER + PANEL.height * up.length;
  const panels = up.flatMap((y, row) =>
    across.map((x, col) => {
      const points: LinePoint[] = report.levels.map((l) => {
        const xv = x.of(l);
        const yv = y.of(l);
        return {
          x: xv ?? Number.NaN,
          y: xv === null ? null : yv,
          label: l.key,
          note: `level ${l.key}: ${xv === null ? '—' : x.format(xv)}`,
        };
      });
      const svg = renderLineChart({
        id: `${id}-${row}-${col}`,
        title: `${y.name} vs ${x.name}`,
        description: `One point per level: ${x.label} across, ${y.label} up.`,
        xLabel: x.label,
        yLabel: y.name,
        xFormat: (v) => (typeof v === 'number' ? x.format(v) : v),
        yFormat: y.format,
        lines: false,
        width: PANEL.width,
        height: PANEL.height,
        series: [{ name: y.name, points: points.filter((p) => Number.isFinite(p.x)), ...(y.color ? { color: y.color } : {}) }],
      });
      // Each panel is a nested <svg> placed in the grid.
      return svg.replace('<svg ', `<svg x="${col * PANEL.width}" y="${HEADER + row * PANEL.height}" `);
    }),
  );
  const description =
    'Each point is one level of the audit, labelled with its key. Across: the mean gzipped weight size per model and the measured ' +
    'milliseconds per example at batch 1; up: mean top-1 accuracy and PIE rate. Smaller and faster is left; better is higher top-1 and lower PIE rate.';
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${id}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `role="img" aria-labelledby="${id}-title ${id}-desc" ${FONT} font-size="11">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    `<text x="8" y="18" font-size="13" font-weight="600" fill="#222">${escapeXml(title)}</text>`,
    ...panels,
    '</svg>',
  ].join('\n');
  return { id, title, svg };
}

/**
 * The trade-off chart as a standalone SVG file (an XML declaration, then the chart), for `tradeoff.svg` beside
 * report.md; `null` when the report has no trade-off chart.
 *
 * @example
 * const svg = tradeoffSvgFile(report);
 * if (svg) files[TRADEOFF_CHART_FILE] = svg;
 */
export function tradeoffSvgFile(report: AuditReport): string | null {
  const chart = tradeoffChart(report);
  return chart ? `<?xml version="1.0" encoding="UTF-8"?>\n${chart.svg}\n` : null;
}
