import { escapeXml } from './escape.js';
import { coord, tickLabel } from './format.js';
import { seriesColor, slug } from './palette.js';
import { linearScale, pointScale } from './scale.js';

/** One point of a {@link LineSeries}; `y` null/undefined/non-finite leaves a gap in the line. */
export interface LinePoint {
  x: number | string;
  y: number | null | undefined;
  /** Draws a ring around the point (e.g. a statistically significant change). */
  marked?: boolean;
  /** Extra tooltip text shown by the browser on hover (SVG `<title>`). */
  note?: string;
  /** Interval drawn as a vertical error bar, e.g. a bootstrap 95% interval `[low, high]`. */
  interval?: readonly [number, number] | null;
  /** Text written beside the point (e.g. the level it stands for). */
  label?: string;
}

/** A named line in a {@link renderLineChart}. */
export interface LineSeries {
  name: string;
  points: readonly LinePoint[];
  color?: string;
  /** Drawn thin and grey, behind the others, so the highlighted series stand out. */
  muted?: boolean;
}

/** Options for {@link renderLineChart}. */
export interface LineChartOptions {
  title: string;
  /** Longer text for screen readers (`<desc>`), e.g. what the axes mean and what a ring marks. */
  description: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** Categories in display order; when given (or when any x is a string) the x axis is categorical. */
  xCategories?: readonly string[];
  width?: number;
  height?: number;
  /** Draws a dashed horizontal reference line, e.g. 0 for "no change". */
  referenceY?: number;
  /** Forces these values into the y domain (e.g. [0, 1] for accuracy). */
  yInclude?: readonly number[];
  yFormat?: (value: number) => string;
  xFormat?: (value: number | string) => string;
  /** Legend text for ringed points; the marker legend is shown only when some point is marked. */
  markerLabel?: string;
  /** Legend text of the one entry that stands for all muted series (default '<n> others'). */
  mutedLabel?: string;
  /** Element id prefix; defaults to a slug of the title. Must be unique within an HTML page. */
  id?: string;
  /** Joins each series' points with a line (default true); false draws points only (a scatter plot). */
  lines?: boolean;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';
const MUTED_COLOR = '#c4c4c4';

interface Plot {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

interface Layout {
  width: number;
  height: number;
  id: string;
  plot: Plot;
  legendWidth: number;
  anyMarked: boolean;
  mapX: (x: number | string) => number;
  mapY: (y: number) => number;
  xTicks: Array<number | string>;
  yTicks: number[];
  fmtX: (v: number | string) => string;
  fmtY: (v: number) => string;
  lines: boolean;
}

function layout(options: LineChartOptions): Layout {
  const width = options.width ?? 640;
  const height = options.height ?? 320;
  const anyMarked = options.series.some((s) => s.points.some((p) => p.marked && isFiniteNumber(p.y)));
  const legendWidth = options.series.length > 1 || anyMarked ? 150 : 0;
  const plot = { x0: 60, x1: width - 16 - legendWidth, y0: height - 48, y1: 36 };
  const points = options.series.flatMap((s) => s.points);
  const ys = points.flatMap((p) => [p.y, ...(p.interval && isFiniteNumber(p.y) ? p.interval : [])]).filter(isFiniteNumber);
  const yDomain = [...ys, ...(options.yInclude ?? []), ...(options.referenceY !== undefined ? [options.referenceY] : [])];
  const y = linearScale(yDomain.length ? Math.min(...yDomain) : 0, yDomain.length ? Math.max(...yDomain) : 1, [plot.y0, plot.y1]);
  const fmtY = options.yFormat ?? tickLabel;
  const fmtX = options.xFormat ?? ((v: number | string) => (typeof v === 'number' ? tickLabel(v) : v));
  const base = {
    width,
    height,
    id: options.id ?? slug(options.title),
    plot,
    legendWidth,
    anyMarked,
    mapY: y.map,
    yTicks: y.ticks,
    fmtX,
    fmtY,
    lines: options.lines ?? true,
  };
  if (options.xCategories !== undefined || points.some((p) => typeof p.x === 'string')) {
    const categories = options.xCategories ?? [...new Set(points.map((p) => String(p.x)))];
    const scale = pointScale(categories, [plot.x0, plot.x1]);
    return { ...base, mapX: (x) => scale.map(String(x)), xTicks: [...categories] };
  }
  const nums = points.map((p) => p.x).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const scale = linearScale(nums.length ? Math.min(...nums) : 0, nums.length ? Math.max(...nums) : 1, [plot.x0 + 8, plot.x1 - 8]);
  return { ...base, mapX: (x) => scale.map(Number(x)), xTicks: scale.ticks };
}

function frame(options: LineChartOptions, l: Layout): string[] {
  const { plot, id } = l;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${escapeXml(id)}" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" ` +
      `role="img" aria-labelledby="${escapeXml(id)}-title ${escapeXml(id)}-desc" ${FONT} font-size="11">`,
    `<title id="${escapeXml(id)}-title">${escapeXml(options.title)}</title>`,
    `<desc id="${escapeXml(id)}-desc">${escapeXml(options.description)}</desc>`,
    `<text x="${coord(plot.x0)}" y="18" font-size="13" font-weight="600" fill="#222">${escapeXml(options.title)}</text>`,
    '<g class="y-axis" fill="#444">',
  ];
  for (const t of l.yTicks) {
    const py = coord(l.mapY(t));
    out.push(`<line x1="${coord(plot.x0)}" x2="${coord(plot.x1)}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${coord(plot.x0 - 6)}" y="${py}" text-anchor="end" dominant-baseline="middle">${escapeXml(l.fmtY(t))}</text>`);
  }
  out.push('</g>', '<g class="x-axis" fill="#444">');
  for (const t of l.xTicks) {
    const px = coord(l.mapX(t));
    out.push(`<line x1="${px}" x2="${px}" y1="${coord(plot.y0)}" y2="${coord(plot.y0 + 4)}" stroke="#888"/>`);
    out.push(`<text x="${px}" y="${coord(plot.y0 + 16)}" text-anchor="middle">${escapeXml(l.fmtX(t))}</text>`);
  }
  out.push('</g>');
  out.push(`<line x1="${coord(plot.x0)}" x2="${coord(plot.x1)}" y1="${coord(plot.y0)}" y2="${coord(plot.y0)}" stroke="#888"/>`);
  out.push(`<line x1="${coord(plot.x0)}" x2="${coord(plot.x0)}" y1="${coord(plot.y0)}" y2="${coord(plot.y1)}" stroke="#888"/>`);
  out.push(
    `<text x="${coord((plot.x0 + plot.x1) / 2)}" y="${coord(l.height - 10)}" text-anchor="middle" fill="#222">${escapeXml(options.xLabel)}</text>`,
  );
  const mid = coord((plot.y0 + plot.y1) / 2);
  out.push(`<text transform="translate(14 ${mid}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(options.yLabel)}</text>`);
  if (options.referenceY !== undefined) {
    const py = coord(l.mapY(options.referenceY));
    out.push(
      `<line class="reference" x1="${coord(plot.x0)}" x2="${coord(plot.x1)}" y1="${py}" y2="${py}" stroke="#555" stroke-dasharray="4 3"/>`,
    );
  }
  return out;
}

function seriesStyle(s: LineSeries, i: number): { color: string; width: number; dash: string } {
  if (s.muted) return { color: MUTED_COLOR, width: 1.25, dash: '' };
  return { color: s.color ?? seriesColor(i), width: 2, dash: i >= 10 ? ' stroke-dasharray="6 3"' : '' };
}

function drawSeries(s: LineSeries, i: number, l: Layout): string[] {
  const { color, width, dash } = seriesStyle(s, i);
  const out = [`<g class="series${s.muted ? ' muted' : ''}" data-series="${escapeXml(s.name)}">`];
  // Runs of finite points, so missing values leave visible gaps.
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 1 && l.lines)
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="${width}"${dash} points="${run.join(' ')}"/>`);
    run = [];
  };
  for (const p of s.points) {
    if (!isFiniteNumber(p.y)) flush();
    else run.push(`${coord(l.mapX(p.x))},${coord(l.mapY(p.y))}`);
  }
  flush();
  for (const p of s.points) {
    if (!isFiniteNumber(p.y)) continue;
    const cx = coord(l.mapX(p.x));
    const cy = coord(l.mapY(p.y));
    const interval = p.interval?.every(isFiniteNumber) ? p.interval : null;
    if (interval) {
      const [lo, hi] = [coord(l.mapY(interval[0])), coord(l.mapY(interval[1]))];
      out.push(
        `<path class="error-bar" d="M${cx} ${lo}V${hi}M${coord(Number(cx) - 3)} ${lo}h6M${coord(Number(cx) - 3)} ${hi}h6" stroke="${color}" fill="none"/>`,
      );
    }
    const range = interval ? ` [${l.fmtY(interval[0])}, ${l.fmtY(interval[1])}]` : '';
    const tip = `${s.name}: ${l.fmtX(p.x)} → ${l.fmtY(p.y)}${range}${p.note ? ` (${p.note})` : ''}`;
    out.push(`<circle cx="${cx}" cy="${cy}" r="${s.muted ? 2 : 3}" fill="${color}"><title>${escapeXml(tip)}</title></circle>`);
    if (p.marked) out.push(`<circle class="marker" cx="${cx}" cy="${cy}" r="6.5" fill="none" stroke="#111" stroke-width="1.5"/>`);
    if (p.label) {
      // Near the right edge the label goes left of its point, so it stays inside the chart.
      const left = Number(cx) > l.plot.x1 - 60;
      const x = coord(Number(cx) + (left ? -5 : 5));
      out.push(
        `<text class="point-label" x="${x}" y="${coord(Number(cy) - 5)}"${left ? ' text-anchor="end"' : ''} fill="#222">${escapeXml(truncate(p.label, 16))}</text>`,
      );
    }
  }
  out.push('</g>');
  return out;
}

function legend(options: LineChartOptions, l: Layout): string[] {
  if (!l.legendWidth) return [];
  const lx = l.width - l.legendWidth + 4;
  let ly = 40;
  const out = ['<g class="legend" fill="#222">'];
  // Highlighted series first; muted ones are summarised in one entry.
  const shownSeries = options.series.map((s, i) => ({ s, i })).filter((e) => !e.s.muted);
  const muted = options.series.length - shownSeries.length;
  const room = Math.max(1, Math.floor((l.height - 36 - (l.anyMarked ? 24 : 4)) / 16) - (muted ? 1 : 0));
  const shown = shownSeries.length > room ? room - 1 : shownSeries.length;
  for (const { s, i } of shownSeries.slice(0, shown)) {
    const { color, dash } = seriesStyle(s, i);
    out.push(
      `<line x1="${coord(lx)}" x2="${coord(lx + 18)}" y1="${coord(ly)}" y2="${coord(ly)}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    out.push(`<text x="${coord(lx + 24)}" y="${coord(ly)}" dominant-baseline="middle">${escapeXml(truncate(s.name, 20))}</text>`);
    ly += 16;
  }
  if (shown < shownSeries.length) {
    out.push(`<text x="${coord(lx + 24)}" y="${coord(ly)}" dominant-baseline="middle">+${shownSeries.length - shown} more</text>`);
    ly += 16;
  }
  if (muted) {
    out.push(
      `<line x1="${coord(lx)}" x2="${coord(lx + 18)}" y1="${coord(ly)}" y2="${coord(ly)}" stroke="${MUTED_COLOR}" stroke-width="1.25"/>`,
    );
    out.push(
      `<text x="${coord(lx + 24)}" y="${coord(ly)}" dominant-baseline="middle">${escapeXml(truncate(options.mutedLabel ?? `${muted} others`, 22))}</text>`,
    );
    ly += 16;
  }
  if (l.anyMarked) {
    ly += 4;
    out.push(`<circle cx="${coord(lx + 9)}" cy="${coord(ly)}" r="6.5" fill="none" stroke="#111" stroke-width="1.5"/>`);
    out.push(
      `<text x="${coord(lx + 24)}" y="${coord(ly)}" dominant-baseline="middle">${escapeXml(truncate(options.markerLabel ?? 'marked', 22))}</text>`,
    );
  }
  out.push('</g>');
  return out;
}

/**
 * Renders a multi-series line chart as a standalone inline `<svg>` string: axes with ticks and
 * labels, a legend, rings around marked points, error bars for points with an interval, muted (grey)
 * series behind highlighted ones, per-point hover titles, and `<title>`/`<desc>` for assistive
 * technology. No scripts, no external resources; the same input gives the same bytes.
 *
 * @example
 * const svg = renderLineChart({
 *   title: 'Top-1 vs sparsity', description: 'Mean top-1 accuracy of each population.',
 *   xLabel: 'sparsity', yLabel: 'top-1',
 *   series: [{ name: 'top-1', points: [{ x: 0, y: 0.98 }, { x: 0.9, y: 0.95, marked: true, interval: [0.94, 0.96] }] }],
 * });
 */
export function renderLineChart(options: LineChartOptions): string {
  const l = layout(options);
  // Muted series are drawn first so the highlighted ones lie on top.
  const order = options.series.map((s, i) => ({ s, i })).sort((a, b) => Number(b.s.muted === true) - Number(a.s.muted === true));
  const out = [...frame(options, l), ...order.flatMap(({ s, i }) => drawSeries(s, i, l)), ...legend(options, l), '</svg>'];
  return out.join('\n');
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
