/**
 * Injection payloads in every string field of a report, rendered to HTML, Markdown and CSV. HTML is also
 * opened in headless Chromium: no script runs, nothing navigates, nothing is requested.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../src/schema/index.js';
import { renderCsvTables } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { makeAuditReport } from './fixtures.js';
import { launchChromium } from '../../scripts/launch-chromium.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';

const PAYLOADS = [
  '<meta http-equiv="refresh" content="0;url=https://attacker.invalid/">',
  '<script>window.__pwned = 1</script>',
  '"><img src=x onerror="window.__pwned=2">',
  "'><svg onload=window.__pwned=3>",
  '<iframe src="https://attacker.invalid/"></iframe>',
  '<base href="https://attacker.invalid/"><a href="x">x</a>',
  '<form action="https://attacker.invalid/"><button>go</button></form>',
  '<link rel="stylesheet" href="https://attacker.invalid/x.css">',
  '</style><style>body{background:url(https://attacker.invalid/b)}</style>',
  '=HYPERLINK("https://attacker.invalid","x")',
  '[x](javascript:alert(1)) ![x](https://attacker.invalid/t.png)',
  '| x | <details open><summary>',
];

/** Every string in `value` replaced by a payload (cycling), object keys kept. */
function withPayloads<T>(value: T, offset = 0): T {
  let k = offset;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return PAYLOADS[k++ % PAYLOADS.length];
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

const REFRESH = /<meta[^>]*http-equiv\s*=\s*["']?refresh/i;
const RAW_TAG = /<(script|iframe|form|base|link|svg onload|img src=x)\b/i;

function crafted(seed: number): AuditReport {
  return withPayloads(JSON.parse(JSON.stringify(makeAuditReport({ seed, thumbnails: true }))) as AuditReport, seed);
}

describe('injection payloads in every string field', () => {
  it('HTML escapes them all: no raw tag, no refresh, only our own meta tags', () => {
    for (let seed = 0; seed < PAYLOADS.length; seed++) {
      const html = renderHtml(crafted(seed));
      // The page's own two scripts (the escaped PIE data block and the hashed PIE browser) are not payloads.
      const body = html
        .slice(html.indexOf('</head>'))
        .replace(/<script type="application\/json" id="pie-data">[^<]*<\/script>/, '')
        .replace(/<\/main><script>[\s\S]*?<\/script><\/body>/, '</main></body>');
      expect(REFRESH.test(html), `seed ${seed}`).toBe(false);
      expect(RAW_TAG.test(body), `seed ${seed}`).toBe(false);
      expect(html.match(/<meta\b/g)?.length).toBe(3);
      expect(html).toContain("form-action 'none'; base-uri 'none'");
    }
  });

  it('Markdown holds no tag but its own <details>/<summary>, and no live link', () => {
    for (let seed = 0; seed < PAYLOADS.length; seed++) {
      const md = renderMarkdown(crafted(seed));
      const tags = new Set(md.match(/<\/?[a-z][a-z0-9]*/gi) ?? []);
      for (const t of tags) expect(['<details', '</details', '<summary', '</summary'], `seed ${seed}`).toContain(t);
      expect(md).not.toMatch(/(?<!\\)\](\(javascript:|\(https:\/\/attacker)/);
    }
  });

  it('CSV never starts a cell with a formula character', () => {
    for (let seed = 0; seed < PAYLOADS.length; seed++) {
      for (const [name, text] of Object.entries(renderCsvTables(crafted(seed)))) {
        expect(text, name).not.toMatch(/(^|,|\n)"?[=+@]/);
      }
    }
  });
});

const CHROMIUM = OPTIONAL_SUITES.browser.program;
const hasChromium = optionalSuite(OPTIONAL_SUITES.browser);

describe.skipIf(!hasChromium)('crafted reports in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pie-injection-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs no script, does not navigate and requests nothing', async () => {
    const context = await launchChromium(join(dir, 'profile'), { executablePath: CHROMIUM });
    try {
      for (let seed = 0; seed < 4; seed++) {
        const file = join(dir, `crafted-${seed}.html`);
        writeFileSync(file, renderHtml(crafted(seed)));
        const url = pathToFileURL(file).href;
        const page = await context.newPage();
        const requests: string[] = [];
        const navigations: string[] = [];
        const dialogs: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        page.on('framenavigated', (f) => navigations.push(f.url()));
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForTimeout(300); // a meta refresh of 0 s fires well within this
        expect(page.url()).toBe(url);
        expect(navigations.filter((u) => u !== url)).toEqual([]);
        expect(requests.filter((u) => u !== url && !u.startsWith('data:'))).toEqual([]);
        expect(dialogs).toEqual([]);
        expect(
          await page.evaluate(
            "({ scripts: [...document.scripts].filter((s) => s.type !== 'application/json' || s.id !== 'pie-data').length, pwned: window.__pwned ?? 0, frames: window.frames.length })",
          ),
        ).toEqual({ scripts: 1, pwned: 0, frames: 0 });
        await page.close();
      }
    } finally {
      await context.close();
    }
  }, 60_000);
});
