/**
 * Opens diff.html in Debian's Chromium (headless, via playwright-core): it loads without errors or requests, and the
 * finding a reviewer needs (the newly hurt class) is visible at the top. Skips when Chromium is absent (see test/optional-suites.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../../scripts/launch-chromium.js';
import { compareAudits } from '../../src/compare/compare-audits.js';
import { renderDiffHtml } from '../../src/compare/render-diff-html.js';
import { twoAudits } from './audits.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';

const CHROMIUM = OPTIONAL_SUITES.browser.program;
// Skips without Chromium (npm test's last line says so); CI sets PIE_AUDIT_REQUIRE_BROWSER=1, which makes that an error.
const hasChromium = optionalSuite(OPTIONAL_SUITES.browser);

describe.skipIf(!hasChromium)('diff.html in Chromium', () => {
  let context: BrowserContext;
  let workDir: string;
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'pie-diff-browser-'));
    context = await launchChromium(join(workDir, 'profile'), { executablePath: CHROMIUM, viewport: { width: 1400, height: 1000 } });
  });
  afterAll(async () => {
    await context?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('shows the newly hurt class first, above the failed verdict, with no errors or network requests', async () => {
    const { before, after } = await twoAudits();
    const file = join(workDir, 'diff.html');
    writeFileSync(file, renderDiffHtml(compareAudits(before, after, { maxNewHurtClasses: 0 })));
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
    const finding = page.locator('#findings li[data-level="0.9"]');
    expect(await finding.isVisible()).toBe(true);
    expect(await finding.textContent()).toMatch(/^Level 0\.9: newly hurt: 'cat'/);
    expect(await finding.getAttribute('class')).toBe('worse');
    // Findings come first: above the verdict, and inside the first screen.
    const top = (sel: string) => page.locator(sel).evaluate((e) => e.getBoundingClientRect().top);
    expect(await top('#findings')).toBeLessThan(await top('.verdict'));
    expect(await top('#findings li[data-level="0.9"]')).toBeLessThan(1000);
    expect(await page.textContent('.verdict h2')).toBe('FAIL (exit 1)');
    expect(await page.locator('#gates td.status-fail').first().textContent()).toBe('fail');
    expect(problems).toEqual([]);
    expect(requests.filter((u) => u !== url)).toEqual([]);
    await page.close();
  });
});
