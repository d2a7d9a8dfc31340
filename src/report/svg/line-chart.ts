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
}

/** A named line in a {@link renderLineChart}. */
export interface LineSeries {
  name: string;
  points: readonly LinePoint[];
  color?: string;
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
  /** Element id prefix; defaults to a slug of the title. Must be unique within an HTML page. */
  id?: string;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

/**
 * Renders a multi-series line chart as a standalone inline `<svg>` string: axes with ticks and
 * labels, a legend, rings around marked points, per-point hover titles, and `<title>`/`<desc>` for
 * assistive technology. No scripts, no external resources; the same input gives the same bytes.
 *
 * @example
 * const svg = renderLineChart({
 *   title: 'Top-1 vs sparsity', description: 'Mean top-1 accuracy of each population.',
 *   xLabel: 'sparsity', yLabel: 'top-1',
 *   series: [{ name: 'top-1', points: [{ x: 0, y: 0.98 }, { x: 0.9, y: 0.95, marked: true }] }],
 * });
 */
export function renderLineChart(options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 320;
  const id = options.id ?? slug(options.title);
  const fmtY = options.yFormat ?? tickLabel;
  const fmtX = options.xFormat ?? ((v: number | string) => (typeof v === 'number' ? tickLabel(v) : v));
  const anyMarked = options.series.some((s) => s.points.some((p) => p.marked && isFiniteNumber(p.y)));
  const showLegend = options.series.length > 1 || anyMarked;
  const legendWidth = showLegend ? 150 : 0;
  const margin = { top: 36, right: 16 + legendWidth, bottom: 48, left: 60 };
  const plot = { x0: margin.left, x1: width - margin.right, y0: height - margin.bottom, y1: margin.top };

  const categorical = options.xCategories !== undefined || options.series.some((s) => s.points.some((p) => typeof p.x === 'string'));
  const xs = options.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = options.series.flatMap((s) => s.points.map((p) => p.y)).filter(isFiniteNumber);
  const yDomainValues = [...ys, ...(options.yInclude ?? []), ...(options.referenceY !== undefined ? [options.referenceY] : [])];
  const y = linearScale(yDomainValues.length ? Math.min(...yDomainValues) : 0, yDomainValues.length ? Math.max(...yDomainValues) : 1, [plot.y0, plot.y1]);

  let mapX: (x: number | string) => number;
  let xTicks: Array<number | string>;
  if (categorical) {
    const categories = options.xCategories ?? [...new Set(xs.map(String))];
    const scale = pointScale(categories, [plot.x0, plot.x1]);
    mapX = (x) => scale.map(String(x));
    xTicks = [...categories];
  } else {
    const nums = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    const scale = linearScale(nums.length ? Math.min(...nums) : 0, nums.length ? Math.max(...nums) : 1, [plot.x0 + 8, plot.x1 - 8]);
    mapX = (x) => scale.map(Number(x));
    xTicks = scale.ticks;
  }

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${escapeXml(id)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${escapeXml(id)}-title ${escapeXml(id)}-desc" ${FONT} font-size="11">`,
    `<title id="${escapeXml(id)}-title">${escapeXml(options.title)}</title>`,
    `<desc id="${escapeXml(id)}-desc">${escapeXml(options.description)}</desc>`,
    `<text x="${coord(plot.x0)}" y="18" font-size="13" font-weight="600" fill="#222">${escapeXml(options.title)}</text>`,
  );

  // Gridlines and y ticks.
  out.push('<g class="y-axis" fill="#444">');
  for (const t of y.ticks) {
    const py = coord(y.map(t));
    out.push(`<line x1="${coord(plot.x0)}" x2="${coord(plot.x1)}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${coord(plot.x0 - 6)}" y="${py}" text-anchor="end" dominant-baseline="middle">${escapeXml(fmtY(t))}</text>`);
  }
  out.push('</g>');
  out.push('<g class="x-axis" fill="#444">');
  for (const t of xTicks) {
    const px = coord(mapX(t));
    out.push(`<line x1="${px}" x2="${px}" y1="${coord(plot.y0)}" y2="${coord(plot.y0 + 4)}" stroke="#888"/>`);
    out.push(`<text x="${px}" y="${coord(plot.y0 + 16)}" text-anchor="middle">${escapeXml(fmtX(t))}</text>`);
  }
  out.push('</g>');
  out.push(`<line x1="${coord(plot.x0)}" x2="${coord(plot.x1)}" y1="${coord(plot.y0)}" y2="${coord(plot.y0)}" stroke="#888"/>`);
  out.push(`<line x1="${coord(plot.x0)}" x2="${coord(plot.x0)}" y1="${coord(plot.y0)}" y2="${coord(plot.y1)}" stroke="#888"/>`);
  out.push(`<text x="${coord((plot.x0 + plot.x1) / 2)}" y="${coord(height - 10)}" text-anchor="middle" fill="#222">${escapeXml(options.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${coord((plot.y0 + plot.y1) / 2)}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(options.yLabel)}</text>`);

  if (options.referenceY !== undefined) {
    const py = coord(y.map(options.referenceY));
    out.push(`<line class="reference" x1="${coord(plot.x0)}" x2="${coord(plot.x1)}" y1="${py}" y2="${py}" stroke="#555" stroke-dasharray="4 3"/>`);
  }

  options.series.forEach((s, i) => {
    const color = s.color ?? seriesColor(i);
    const dash = i >= 10 ? ' stroke-dasharray="6 3"' : '';
    out.push(`<g class="series" data-series="${escapeXml(s.name)}">`);
    // Split into runs of finite points so missing values leave visible gaps.
    let run: string[] = [];
    const flush = (): void => {
      if (run.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${run.join(' ')}"/>`);
      run = [];
    };
    for (const p of s.points) {
      if (!isFiniteNumber(p.y)) {
        flush();
        continue;
      }
      run.push(`${coord(mapX(p.x))},${coord(y.map(p.y))}`);
    }
    flush();
    for (const p of s.points) {
      if (!isFiniteNumber(p.y)) continue;
      const cx = coord(mapX(p.x));
      const cy = coord(y.map(p.y));
      const tip = `${s.name}: ${fmtX(p.x)} → ${fmtY(p.y)}${p.note ? ` (${p.note})` : ''}`;
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"><title>${escapeXml(tip)}</title></circle>`);
      if (p.marked) out.push(`<circle class="marker" cx="${cx}" cy="${cy}" r="6.5" fill="none" stroke="#111" stroke-width="1.5"/>`);
    }
    out.push('</g>');
  });

  if (showLegend) {
    const lx = width - legendWidth + 4;
    let ly = margin.top + 4;
    out.push('<g class="legend" fill="#222">');
    // Entries that fit beside the plot; the rest are summarised as "+N more".
    const room = Math.max(1, Math.floor((height - margin.top - (anyMarked ? 24 : 4)) / 16));
    const shown = options.series.length > room ? room - 1 : options.series.length;
    options.series.slice(0, shown).forEach((s, i) => {
      const color = s.color ?? seriesColor(i);
      out.push(`<line x1="${coord(lx)}" x2="${coord(lx + 18)}" y1="${coord(ly)}" y2="${coord(ly)}" stroke="${color}" stroke-width="2"${i >= 10 ? ' stroke-dasharray="6 3"' : ''}/>`);
      out.push(`<text x="${coord(lx + 24)}" y="${coord(ly)}" dominant-baseline="middle">${escapeXml(truncate(s.name, 20))}</text>`);
      ly += 16;
    });
    if (shown < options.series.length) {
      out.push(`<text x="${coord(lx + 24)}" y="${coord(ly)}" dominant-baseline="middle">+${options.series.length - shown} more</text>`);
      ly += 16;
    }
    if (anyMarked) {
      ly += 4;
      out.push(`<circle cx="${coord(lx + 9)}" cy="${coord(ly)}" r="6.5" fill="none" stroke="#111" stroke-width="1.5"/>`);
      out.push(`<text x="${coord(lx + 24)}" y="${coord(ly)}" dominant-baseline="middle">${escapeXml(truncate(options.markerLabel ?? 'marked', 22))}</text>`);
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
