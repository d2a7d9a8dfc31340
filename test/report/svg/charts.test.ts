import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderBarChart } from '../../../src/report/svg/bar-chart.js';
import { escapeXml } from '../../../src/report/svg/escape.js';
import { renderLineChart, type LineSeries } from '../../../src/report/svg/line-chart.js';
import { linearScale, niceTicks, pointScale } from '../../../src/report/svg/scale.js';

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

describe('niceTicks / linearScale', () => {
  it('gives evenly spaced round ticks that cover the data, and a scale that maps the data inside the range', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (lo, span) => {
        const hi = lo + span;
        const ticks = niceTicks(lo, hi, 5);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(13);
        const step = ticks[1]! - ticks[0]!;
        for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 6);
        const scale = linearScale(lo, hi, [300, 20]);
        for (const v of [lo, hi, (lo + hi) / 2]) {
          const px = scale.map(v);
          expect(px).toBeGreaterThanOrEqual(20 - 1e-6);
          expect(px).toBeLessThanOrEqual(300 + 1e-6);
        }
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('pads a degenerate domain and places categories at band centres', () => {
    const s = linearScale(0.5, 0.5, [100, 0]);
    expect(s.map(0.5)).toBeGreaterThan(0);
    expect(s.map(0.5)).toBeLessThan(100);
    expect(pointScale(['fp16', 'int8'], [0, 100]).map('int8')).toBe(75);
  });
});

describe('escapeXml', () => {
  it('leaves no markup-significant characters', () => {
    fc.assert(
      fc.property(fc.string(), (s) => !/[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/.test(escapeXml(s))),
      { seed: 5 },
    );
  });
});

const seriesArb = fc.array(
  fc.record({
    name: fc.string({ maxLength: 12 }),
    points: fc.array(
      fc.record({
        x: fc.integer({ min: 0, max: 100 }).map((v) => v / 100),
        y: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(null, NaN, Infinity)),
        marked: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
  }),
  { minLength: 1, maxLength: 12 },
);

describe('renderLineChart', () => {
  it('never prints NaN/undefined/Infinity, draws one dot per finite point and one ring per marked finite point, deterministically', () => {
    fc.assert(
      fc.property(seriesArb, fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: undefined }), (series, referenceY) => {
        const opts = { title: 'T <&>', description: 'D', xLabel: 'x', yLabel: 'y', series: series as LineSeries[], referenceY };
        const svg = renderLineChart(opts);
        expect(svg).not.toMatch(/NaN|undefined|Infinity/);
        expect(svg).toBe(renderLineChart(opts));
        const finite = series.flatMap((s) => s.points).filter((p) => typeof p.y === 'number' && Number.isFinite(p.y));
        expect(count(svg, /<circle cx="[^"]*" cy="[^"]*" r="3"/g)).toBe(finite.length);
        expect(count(svg, /class="marker"/g)).toBe(finite.filter((p) => p.marked).length);
        expect(svg).toContain('<title id="t-title">T &lt;&amp;&gt;</title>');
      }),
      { seed: 11, numRuns: 150 },
    );
  });

  it('breaks the line at missing values and uses a categorical axis for named levels', () => {
    const svg = renderLineChart({
      title: 'Top-1',
      description: 'd',
      xLabel: 'level',
      yLabel: 'acc',
      series: [
        {
          name: 'a',
          points: [
            { x: 'fp32', y: 0.9 },
            { x: 'fp16', y: 0.89 },
            { x: 'int8', y: null },
            { x: 'int4', y: 0.8 },
            { x: 'int2', y: 0.7 },
          ],
        },
      ],
    });
    expect(count(svg, /<polyline/g)).toBe(2);
    for (const key of ['fp32', 'fp16', 'int8', 'int4', 'int2']) expect(svg).toContain(`>${key}</text>`);
    expect(svg).toMatch(/role="img" aria-labelledby="top-1-title top-1-desc"/);
  });
});

describe('renderBarChart', () => {
  it('draws one bar per finite value, a dashed reference line at 1 and n/a for missing values', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            label: fc.string({ maxLength: 40 }),
            value: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constant(null)),
            marked: fc.boolean(),
          }),
          { maxLength: 20 },
        ),
        (bars) => {
          const svg = renderBarChart({ title: 'Over-indexing', description: 'd', valueLabel: 'ratio', bars, referenceValue: 1 });
          expect(svg).not.toMatch(/NaN|undefined|Infinity/);
          expect(count(svg, /<rect x=[^>]*height="16"/g)).toBe(bars.filter((b) => b.value !== null).length);
          expect(count(svg, />n\/a</g)).toBe(bars.filter((b) => b.value === null).length);
          expect(count(svg, /class="reference"/g)).toBe(1);
          expect(count(svg, /class="marked"/g)).toBe(bars.filter((b) => b.value !== null && b.marked).length);
        },
      ),
      { seed: 13, numRuns: 100 },
    );
  });

  it('puts the reference line at value 1 between the bars of 0.5 and 2', () => {
    const svg = renderBarChart({
      title: 'R',
      description: 'd',
      valueLabel: 'ratio',
      referenceValue: 1,
      bars: [
        { label: 'a', value: 0.5 },
        { label: 'b', value: 2 },
      ],
    });
    const widths = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]) + Number(m[2]));
    const ref = Number(/class="reference" x1="([\d.]+)"/.exec(svg)![1]);
    expect(ref).toBeGreaterThan(widths[0]!);
    expect(ref).toBeLessThan(widths[1]!);
  });

  it('never lets the legend run past the chart: extra series are summarised as "+N more"', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 200, max: 500 }), fc.boolean(), (nSeries, height, marked) => {
        const series = Array.from({ length: nSeries }, (_, i) => ({ name: `s${i}`, points: [{ x: 0, y: i, marked }] }));
        const svg = renderLineChart({ title: 'L', description: 'd', xLabel: 'x', yLabel: 'y', series, height });
        const legendYs = [...svg.slice(svg.indexOf('class="legend"')).matchAll(/<text x="[\d.]+" y="([\d.]+)"/g)].map((m) => Number(m[1]));
        for (const y of legendYs) expect(y).toBeLessThanOrEqual(height);
        const entries = count(svg.slice(svg.indexOf('class="legend"')), /<line /g);
        const more = /\+(\d+) more</.exec(svg);
        expect(entries + (more ? Number(more[1]) : 0)).toBe(nSeries);
      }),
      { seed: 17, numRuns: 60 },
    );
  });
});
