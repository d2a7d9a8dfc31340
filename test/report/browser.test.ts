/**
 * Opens the HTML report in a real Chromium (headless, via playwright-core) and checks what a
 * reader relies on: it loads without errors, requests nothing from the network, shows the charts
 * and the thumbnails decode. Skips only when /usr/bin/chromium is absent
 * (Debian: `apt-get install -y chromium`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { reportCharts } from '../../src/report/charts.js';
import { renderHtml } from '../../src/report/html.js';
import { buildPieTable, type PieTable } from '../../src/report/pie-table.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { makeAuditReport, type FixtureOptions } from './fixtures.js';
import { launchChromium } from '../../scripts/launch-chromium.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';

/** Real PIEs from simulated populations: 5 models per level voting on 20,000 examples, ~10,000 PIEs in all. */
function largePieTable(): PieTable {
  const rand = mulberry32(5);
  const n = 20_000;
  const labels = Uint16Array.from({ length: n }, () => Math.floor(rand() * 10));
  const population = (noise: number) =>
    Array.from({ length: 5 }, () => Uint16Array.from(labels, (y) => (rand() < noise ? Math.floor(rand() * 10) : y)));
  const group = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'thin' : 'normal'));
  return buildPieTable({
    baseline: population(0.1),
    levels: [
      { key: '0.9', predictions: population(0.5) },
      { key: '0.97', predictions: population(0.6) },
    ],
    labels,
    attributes: [{ name: 'stroke_width', values: group }],
    tieBreak: 'max',
    nClasses: 10,
  });
}

const CHROMIUM = OPTIONAL_SUITES.browser.program;
// Skips without Chromium (npm test's last line says so); CI sets PIE_AUDIT_REQUIRE_BROWSER=1, which makes that an error.
const hasChromium = optionalSuite(OPTIONAL_SUITES.browser);

describe.skipIf(!hasChromium)('HTML report in Chromium', () => {
  let context: BrowserContext;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'pie-report-browser-'));
    context = await launchChromium(join(workDir, 'profile'), { executablePath: CHROMIUM, viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await context?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function open(name: string, options: FixtureOptions, pies?: PieTable) {
    const report = makeAuditReport(options);
    const file = join(workDir, `${name}.html`);
    writeFileSync(file, renderHtml(report, { pies }));
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    return { page, report, problems, file, external: () => requests.filter((u) => u !== url && !u.startsWith('data:')) };
  }

  it('loads a full report without errors or network requests, with the four charts and decodable thumbnails', async () => {
    const { page, report, problems, external } = await open('full', { seed: 1 });
    const titles = await page.$$eval('svg.chart > title', (ts) => ts.map((t) => t.textContent));
    expect(titles).toEqual([
      'Top-1 accuracy vs sparsity',
      'PIE rate vs sparsity',
      'Per-class normalised recall change vs sparsity',
      `Attribute over-indexing among PIEs at level ${report.levels.at(-1)!.key}`,
    ]);
    // Every chart is laid out with a real size and has accessible text.
    const boxes = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((s) => ({
        w: s.getBoundingClientRect().width,
        h: s.getBoundingClientRect().height,
        desc: s.querySelector('desc')?.textContent ?? '',
      })),
    );
    for (const b of boxes) {
      expect(b.w).toBeGreaterThan(300);
      expect(b.h).toBeGreaterThan(150);
      expect(b.desc.length).toBeGreaterThan(20);
    }
    // Significant classes are ringed in the class chart.
    const significant = report.levels.flatMap((l) =>
      l.classImpact.status === 'ok' ? l.classImpact.rows.filter((r) => r.significant) : [],
    );
    expect(await page.$$eval('#chart-class-impact circle.marker', (c) => c.length)).toBe(significant.length);
    // Open the folded galleries, then every thumbnail must have decoded to its 56x56 PNG.
    await page.$$eval('details', (ds) => ds.forEach((d) => d.setAttribute('open', '')));
    const images = await page.$$eval('figure.pie img', (imgs) =>
      (imgs as unknown as Array<{ complete: boolean; naturalWidth: number; naturalHeight: number }>).map((i) => ({
        complete: i.complete,
        w: i.naturalWidth,
        h: i.naturalHeight,
      })),
    );
    expect(images).toHaveLength(report.levels.reduce((n, l) => n + l.exemplars.length, 0));
    for (const i of images) expect(i).toEqual({ complete: true, w: 56, h: 56 });
    expect(await page.textContent('.verdict h2')).toBe('Verdict: FAIL');
    // Each chart is also a well-formed standalone SVG document (for use outside the report).
    const svgs = reportCharts(report).map((c) => c.svg);
    type XmlParser = new () => { parseFromString(text: string, type: string): { getElementsByTagName(name: string): { length: number } } };
    const xmlErrors = await page.evaluate((docs) => {
      const Parser = (globalThis as unknown as { DOMParser: XmlParser }).DOMParser;
      return docs.map((d) => new Parser().parseFromString(d, 'image/svg+xml').getElementsByTagName('parsererror').length);
    }, svgs);
    expect(xmlErrors).toEqual(svgs.map(() => 0));
    expect(problems).toEqual([]);
    expect(external()).toEqual([]);
    const shot = join(workDir, 'full.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    if (process.env.PIE_AUDIT_SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.PIE_AUDIT_SCREENSHOT_DIR, 'report-top.png') });
    await page.close();
  });

  it('browses 10,000 PIEs: forgotten first, filters by level, class and kind with the visible count, sorts, draws at most 500 rows', async () => {
    const pies = largePieTable();
    expect(pies.rows.length).toBeGreaterThan(8_000);
    const { page, problems, external, file } = await open('many-pies', { seed: 1 }, pies);
    expect(readFileSync(file).length).toBeLessThan(2_000_000);
    const count = async () => Number(await page.getAttribute('#pie-count', 'data-count'));
    const drawn = async () => page.$$eval('#pie-table tbody tr', (rows) => rows.length);
    expect(await count()).toBe(pies.rows.length);
    expect(await drawn()).toBe(500);
    expect(await page.textContent('#pie-table tbody tr td:nth-child(6)')).toBe('forgotten');
    const kindOf = (r: PieTable['rows'][number]) => (r.baselineCorrect ? 'forgotten' : r.compressedCorrect ? 'fixed' : 'both wrong');
    // The level filter lists the report's compressed levels; one without PIEs in the table shows none.
    await page.selectOption('#pie-level', { label: '0.5' });
    expect(await count()).toBe(0);
    expect(await drawn()).toBe(0);
    await page.selectOption('#pie-level', { label: '0.9' });
    const at09 = pies.rows.filter((r) => r.level === '0.9');
    expect(await count()).toBe(at09.length);
    await page.selectOption('#pie-kind', { label: 'fixed' });
    expect(await count()).toBe(at09.filter((r) => kindOf(r) === 'fixed').length);
    await page.selectOption('#pie-class', { label: '3' });
    const subset = at09.filter((r) => kindOf(r) === 'fixed' && r.trueLabel === 3);
    expect(subset.length).toBeGreaterThan(0);
    expect(await count()).toBe(subset.length);
    expect(await drawn()).toBe(Math.min(500, subset.length));
    const indices = async () => page.$$eval('#pie-table tbody tr td:nth-child(2)', (tds) => tds.map((t) => Number(t.textContent)));
    await page.click('#pie-table thead th:nth-child(2)');
    expect(await indices()).toEqual(subset.map((r) => r.index).sort((a, b) => a - b));
    await page.click('#pie-table thead th:nth-child(2)');
    expect(await indices()).toEqual(subset.map((r) => r.index).sort((a, b) => b - a));
    expect(await page.getAttribute('#pie-table thead th:nth-child(2)', 'aria-sort')).toBe('descending');
    // The attribute column carries each PIE's value.
    expect(await page.$$eval('#pie-table thead th', (ths) => ths.map((t) => t.textContent?.replace(/ [▲▼]$/, '')))).toContain(
      'stroke_width',
    );
    // Thumbnails follow the same filters.
    await page.selectOption('#pie-kind', '');
    await page.selectOption('#pie-class', '');
    const visible = await page.$$eval('#pie-gallery figure', (fs) =>
      fs.filter((f) => !(f as unknown as { hidden: boolean }).hidden).map((f) => f.getAttribute('data-level')),
    );
    expect(new Set(visible)).toEqual(new Set([await page.$eval('#pie-level', (s) => (s as unknown as { value: string }).value)]));
    // Other tables sort too: the levels table by PIE count.
    await page.click('#levels + div table thead th:nth-child(6)');
    expect(problems).toEqual([]);
    expect(external()).toEqual([]);
    await page.close();
  });

  it('renders named levels on a categorical axis and a sparse report without errors', async () => {
    const { page, problems, external } = await open('named', {
      seed: 7,
      levels: ['fp32', 'fp16', 'int8'],
      chaos: 0.5,
      classNames: ['<b>cat</b>', 'dog & "fox"'],
    });
    const ticks = await page.$$eval('#chart-pie-rate .x-axis text', (ts) => ts.map((t) => t.textContent));
    expect(ticks).toEqual(['fp32', 'fp16', 'int8']);
    // Class names are shown as text, never interpreted as markup.
    expect(await page.$$eval('main b', (bs) => bs.some((b) => b.textContent === 'cat' && b.closest('td,figcaption,text') !== null))).toBe(
      false,
    );
    expect(problems).toEqual([]);
    expect(external()).toEqual([]);
    await page.close();
  });
});
