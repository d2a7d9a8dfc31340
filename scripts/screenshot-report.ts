/**
 * Renders an audit report to HTML and screenshots it in headless Chromium, to review the layout.
 *
 *   npx tsx scripts/screenshot-report.ts [report.json] [--out dir] [--width 1400]
 *   (fixture variations: --levels fp32,fp16,int8  --chaos 0.3  --classes 200)
 *
 * Without a report.json it renders the realistic fixture used by the tests. Writes
 * `<out>/report.html`, `<out>/report-top.png` (first screen) and `<out>/report-full.png` (full page).
 * Needs Chromium at /usr/bin/chromium (Debian: `apt-get install -y chromium`) or CHROMIUM_PATH.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadReport, renderHtml } from '../src/report/index.js';
import { makeAuditReport } from '../test/report/fixtures.js';
import { launchChromium } from './launch-chromium.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const outDir = resolve(flag('--out') ?? mkdtempSync(join(tmpdir(), 'pie-audit-shot-')));
const width = Number(flag('--width') ?? 1400);
const chaos = Number(flag('--chaos') ?? 0);
const levels = flag('--levels')?.split(',');
const classes = flag('--classes');
const reportPath = args[0];
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}; install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  process.exit(2);
}

const report = reportPath
  ? await loadReport(reportPath)
  : makeAuditReport({ seed: 1, chaos, levels, classes: classes ? Number(classes) : undefined });
mkdirSync(outDir, { recursive: true });
const htmlPath = join(outDir, 'report.html');
writeFileSync(htmlPath, renderHtml(report));

const userDataDir = mkdtempSync(join(tmpdir(), 'pie-audit-chromium-'));
const context = await launchChromium(userDataDir, { executablePath, viewport: { width, height: 1000 } });
try {
  const page = await context.newPage();
  await page.goto(pathToFileURL(htmlPath).href);
  await page.screenshot({ path: join(outDir, 'report-top.png') });
  await page.screenshot({ path: join(outDir, 'report-full.png'), fullPage: true });
} finally {
  await context.close();
}
console.log(`Wrote ${htmlPath}, report-top.png and report-full.png in ${outDir}`);
