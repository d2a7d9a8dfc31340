import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { AWKWARD_CLASS_NAMES, fixtureOptionsArb, makeAuditReport } from './fixtures.js';

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

describe('renderHtml', () => {
  it('is one self-contained page: one inline script allowed by its hash, no external URLs, a CSP that blocks all requests but data: images', () => {
    fc.assert(
      fc.property(fixtureOptionsArb(), (options) => {
        const html = renderHtml(makeAuditReport(options));
        expect(html.startsWith('<!doctype html>')).toBe(true);
        expect(html).not.toMatch(/<link|<iframe|@import|url\(|<script[^>]*\ssrc=/i);
        // Exactly one executable script, and the CSP allows exactly it by its sha256; the PIE data is an inert JSON block.
        const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
        const executable = scripts.filter((m) => m[1] === '');
        expect(executable).toHaveLength(1);
        for (const m of scripts) if (m[1] !== '') expect(m[1]).toBe(' type="application/json" id="pie-data"');
        const hash = createHash('sha256').update(executable[0]![2]!, 'utf8').digest('base64');
        // The only http(s) string allowed is the SVG namespace, which is an identifier, not a request.
        expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:/);
        for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) expect(m[1]).toMatch(/^data:image\/png;base64,/);
        expect(html).toContain(
          `content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; form-action 'none'; base-uri 'none'"`,
        );
        expect(html).not.toMatch(/NaN|undefined|Infinity|\[object/);
      }),
      { seed: 40, numRuns: 50 },
    );
  });

  it('has the verdict, the four charts and a thumbnail per exemplar for a full report', () => {
    const report = makeAuditReport({ seed: 1 });
    const html = renderHtml(report);
    expect(html).toContain('class="verdict verdict-fail"');
    for (const id of ['chart-top1', 'chart-pie-rate', 'chart-class-impact', 'chart-attributes'])
      expect(html).toContain(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${id}"`);
    expect(html).toContain('<title id="chart-top1-title">Top-1 accuracy vs sparsity</title>');
    const exemplars = report.levels.reduce((n, l) => n + l.exemplars.length, 0);
    expect(count(html, /<img src="data:image\/png;base64,/g)).toBe(exemplars);
    expect(html.indexOf('Verdict: FAIL')).toBeLessThan(html.indexOf('id="charts"'));
  });

  it('uses a categorical x axis for named levels', () => {
    const html = renderHtml(makeAuditReport({ seed: 2, levels: ['fp32', 'fp16', 'int8'] }));
    expect(html).toContain('Top-1 accuracy by compression level');
    expect(html).toContain('>int8</text>');
  });

  it('escapes class names and refuses thumbnails that are not PNG data URIs', () => {
    const report = makeAuditReport({ seed: 3, classNames: AWKWARD_CLASS_NAMES });
    const level = report.levels.at(-1)!;
    level.exemplars[0]!.thumbnail = 'https://example.com/x.png';
    level.exemplars[1]!.thumbnail = 'data:image/png;base64,AAAA" onerror="x';
    const html = renderHtml(report);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('example.com');
    expect(html).not.toContain('onerror="x');
    // Refused thumbnails are left out, not drawn as grey placeholder boxes.
    expect(html).not.toContain('noimg');
    const valid = level.exemplars.filter((e) => e.thumbnail?.startsWith('data:image/png;base64,') && !e.thumbnail.includes('"')).length;
    expect(count(html.slice(html.indexOf('id="pie-gallery"')), /<img /g)).toBeGreaterThanOrEqual(Math.min(valid, 48));
  });

  it('is deterministic', () => {
    expect(renderHtml(makeAuditReport({ seed: 8 }))).toBe(renderHtml(makeAuditReport({ seed: 8 })));
  });

  it('keeps the per-class chart readable for many classes: the 12 classes that moved most', () => {
    const html = renderHtml(makeAuditReport({ seed: 6, classes: 200 }));
    const chart = html.slice(html.indexOf('id="chart-class-impact"'), html.indexOf('</svg>', html.indexOf('id="chart-class-impact"')));
    expect(count(chart, /class="series( muted)?"/g)).toBe(12);
    expect(chart).toContain('the 12 of 200 classes with the largest change');
    expect(chart).not.toContain('more</text>');
  });
});
