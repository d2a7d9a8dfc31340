import { escapeXml } from './escape.js';
import { coord, tickLabel } from './format.js';
import { slug } from './palette.js';
import { linearScale } from './scale.js';

/** One bar of a {@link renderBarChart}. A null/non-finite value is listed with "n/a" and no bar. */
export interface Bar {
  label: string;
  value: number | null | undefined;
  /** Highlights the bar (e.g. significant after multiple-testing correction). */
  marked?: boolean;
  /** Extra tooltip text (SVG `<title>`). */
  note?: string;
}

/** Options for {@link renderBarChart}. */
export interface BarChartOptions {
  title: string;
  description: string;
  /** Label of the value axis. */
  valueLabel: string;
  bars: readonly Bar[];
  /** Dashed reference line, e.g. 1 for "no over-indexing". */
  referenceValue?: number;
  referenceLabel?: string;
  width?: number;
  valueFormat?: (value: number) => string;
  markedLabel?: string;
  unmarkedLabel?: string;
  id?: string;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';
const BAR_HEIGHT = 16;
const BAR_GAP = 6;

/**
 * Renders a horizontal bar chart as a standalone inline `<svg>` string: one labelled bar per row,
 * value axis with ticks, an optional dashed reference line (e.g. at ratio 1), highlighted bars for
 * marked rows and a legend. Height grows with the number of bars. Deterministic, no scripts.
 *
 * @example
 * renderBarChart({
 *   title: 'Over-indexing', description: 'Share among PIEs / share overall.', valueLabel: 'ratio',
 *   referenceValue: 1,
 *   bars: [{ label: 'age=old', value: 2.4, marked: true }, { label: 'age=young', value: 0.7 }],
 * });
 */
export function renderBarChart(options: BarChartOptions): string {
  const width = options.width ?? 640;
  const id = options.id ?? slug(options.title);
  const fmt = options.valueFormat ?? tickLabel;
  const anyMarked = options.bars.some((b) => b.marked);
  const margin = { top: 36 + (anyMarked ? 18 : 0), right: 56, bottom: 44, left: 170 };
  const rows = Math.max(1, options.bars.length);
  const height = margin.top + rows * (BAR_HEIGHT + BAR_GAP) + margin.bottom;
  const plot = { x0: margin.left, x1: width - margin.right, y0: margin.top, y1: height - margin.bottom };

  const values = options.bars.map((b) => b.value).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const domainValues = [0, ...values, ...(options.referenceValue !== undefined ? [options.referenceValue] : [])];
  const x = linearScale(Math.min(...domainValues), Math.max(...domainValues), [plot.x0, plot.x1]);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${escapeXml(id)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${escapeXml(id)}-title ${escapeXml(id)}-desc" ${FONT} font-size="11">`,
    `<title id="${escapeXml(id)}-title">${escapeXml(options.title)}</title>`,
    `<desc id="${escapeXml(id)}-desc">${escapeXml(options.description)}</desc>`,
    `<text x="10" y="18" font-size="13" font-weight="600" fill="#222">${escapeXml(options.title)}</text>`,
  );
  if (anyMarked) {
    out.push('<g class="legend" fill="#222">');
    out.push(
      `<rect x="10" y="30" width="12" height="10" fill="#c44e52"/><text x="26" y="35" dominant-baseline="middle">${escapeXml(options.markedLabel ?? 'marked')}</text>`,
    );
    out.push(
      `<rect x="220" y="30" width="12" height="10" fill="#8fa9c6"/><text x="236" y="35" dominant-baseline="middle">${escapeXml(options.unmarkedLabel ?? 'other')}</text>`,
    );
    out.push('</g>');
  }
  out.push('<g class="x-axis" fill="#444">');
  for (const t of x.ticks) {
    const px = coord(x.map(t));
    out.push(`<line x1="${px}" x2="${px}" y1="${coord(plot.y0)}" y2="${coord(plot.y1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${px}" y="${coord(plot.y1 + 14)}" text-anchor="middle">${escapeXml(fmt(t))}</text>`);
  }
  out.push('</g>');
  out.push(
    `<text x="${coord((plot.x0 + plot.x1) / 2)}" y="${coord(height - 8)}" text-anchor="middle" fill="#222">${escapeXml(options.valueLabel)}</text>`,
  );

  const zero = x.map(0);
  out.push('<g class="bars">');
  options.bars.forEach((b, i) => {
    const top = plot.y0 + i * (BAR_HEIGHT + BAR_GAP) + BAR_GAP / 2;
    const mid = coord(top + BAR_HEIGHT / 2);
    out.push(
      `<text x="${coord(plot.x0 - 6)}" y="${mid}" text-anchor="end" dominant-baseline="middle" fill="#222">${escapeXml(truncate(b.label, 28))}</text>`,
    );
    if (typeof b.value !== 'number' || !Number.isFinite(b.value)) {
      out.push(`<text x="${coord(zero + 4)}" y="${mid}" dominant-baseline="middle" fill="#777">n/a</text>`);
      return;
    }
    const end = x.map(b.value);
    const tip = `${b.label}: ${fmt(b.value)}${b.note ? ` (${b.note})` : ''}`;
    out.push(
      `<rect x="${coord(Math.min(zero, end))}" y="${coord(top)}" width="${coord(Math.abs(end - zero))}" height="${BAR_HEIGHT}" fill="${b.marked ? '#c44e52' : '#8fa9c6'}"${b.marked ? ' class="marked"' : ''}><title>${escapeXml(tip)}</title></rect>`,
    );
    out.push(
      `<text x="${coord(Math.max(zero, end) + 4)}" y="${mid}" dominant-baseline="middle" fill="#333">${escapeXml(fmt(b.value))}</text>`,
    );
  });
  out.push('</g>');
  out.push(`<line x1="${coord(zero)}" x2="${coord(zero)}" y1="${coord(plot.y0)}" y2="${coord(plot.y1)}" stroke="#888"/>`);
  if (options.referenceValue !== undefined) {
    const px = coord(x.map(options.referenceValue));
    out.push(
      `<line class="reference" x1="${px}" x2="${px}" y1="${coord(plot.y0 - 4)}" y2="${coord(plot.y1)}" stroke="#222" stroke-dasharray="4 3"/>`,
    );
    if (options.referenceLabel)
      out.push(`<text x="${px}" y="${coord(plot.y0 - 7)}" text-anchor="middle" fill="#222">${escapeXml(options.referenceLabel)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
