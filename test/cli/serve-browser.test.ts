/**
 * `pie-audit serve` in Debian's Chromium (headless, via playwright-core): upload a PNG through the file input and read
 * each level's predictions from the page; they equal the audited models run by hand on the audit's preprocessing.
 * A text file and a too-large file get a clear message and the server goes on answering. Without --config the page
 * says the models cannot run and shows the recorded predictions of a PIE exemplar. Skips when Chromium is absent
 * (see test/optional-suites.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/launch-chromium.js';
import { serveCommand } from '../../src/cli/serve/serve-command.js';
import { decodeImage } from '../../src/data/decode-image.js';
import { normalizePixels, resizeAndCrop, resolvePreprocess } from '../../src/data/preprocess.js';
import { loadLayersModelFromFile } from '../../src/engine/index.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';
import { classPixels, makeServeFixture, pngOf, SERVE_CLASSES, SERVE_PREPROCESS, type ServeFixture } from './serve-fixture.js';

const CHROMIUM = OPTIONAL_SUITES.browser.program;
// Skips without Chromium (npm test's last line says so); CI sets PIE_AUDIT_REQUIRE_BROWSER=1, which makes that an error.
const hasChromium = optionalSuite(OPTIONAL_SUITES.browser);

/** `pie-audit serve` run in this process until `stop` aborts; resolves with its URL once it listens. */
function serve(args: string[], stop: AbortController): { url: Promise<string>; done: Promise<number>; stdout: () => string } {
  let stdout = '';
  let found: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => (found = resolve));
  const io = {
    stdout: (t: string) => {
      stdout += t;
      const m = / at (http:\/\/127\.0\.0\.1:\d+\/) /.exec(stdout);
      if (m) found(m[1]);
    },
    stderr: { write: (t: string) => ((stdout += t), true), isTTY: false } as unknown as NodeJS.WriteStream,
  };
  const done = serveCommand(args, io, stop.signal);
  done.catch(() => found(''));
  return { url, done, stdout: () => stdout };
}

/** Every level's table as the page shows it: modal label, and per model its top label and probabilities. */
function readPredictions(page: Page) {
  return page.$$eval('#results .level-box', (boxes) =>
    boxes.map((box) => ({
      level: box.getAttribute('data-level'),
      modal: Number(box.querySelector('.modal')?.getAttribute('data-label')),
      models: [...box.querySelectorAll('tr.model')].map((tr) => ({
        label: Number(tr.getAttribute('data-label')),
        probabilities: [...tr.querySelectorAll('td.p')].map((td) => Number(td.getAttribute('data-p'))),
      })),
    })),
  );
}

/** Waits until the panel's message contains `text`. */
const messageSays = (page: Page, text: string) => page.locator('#message', { hasText: text }).waitFor();

describe.skipIf(!hasChromium)('pie-audit serve in Chromium', () => {
  let context: BrowserContext;
  let dir: string;
  let fixture: ServeFixture;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pie-serve-browser-'));
    fixture = await makeServeFixture(dir);
    context = await launchChromium(join(dir, 'profile'), { executablePath: CHROMIUM, viewport: { width: 1300, height: 1000 } });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the predictions of an uploaded PNG as the models give them, and clear messages for a text and a too-large file', async () => {
    const stop = new AbortController();
    const server = serve([fixture.out, '--config', fixture.config, '--max-upload-mb', '1'], stop);
    const url = await server.url;
    expect(url, server.stdout()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    try {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.textContent('#capability')).toMatch(
        /^Models: 0 \(3\), 0\.8 \(3\) on tfjs \(cpu backend\); preprocessing explicit: resize exact to 8 x 8, scale 1\/255, mean 0\/0\/0, std 1\/1\/1, nhwc, 3 channels\.$/,
      );
      // The report itself, in its frame.
      const frame = page.frameLocator('iframe');
      expect(await frame.locator('h1').textContent()).toBe('pie-audit report');

      // A 12 x 10 PNG of the 'dog' kind: the audit's preprocessing resizes it to 8 x 8.
      const png = await pngOf(classPixels(1, 7, 12, 10), 12, 10);
      await page.setInputFiles('#upload', { name: 'my dog.png', mimeType: 'image/png', buffer: png });
      await page.waitForSelector('#results .level-box');
      expect(await page.textContent('#message')).toBe('Predictions for "my dog.png" (PNG, 12 x 10).');
      const shown = await readPredictions(page);

      const p = resolvePreprocess(SERVE_PREPROCESS);
      const image = resizeAndCrop(await decodeImage(png, 3), p);
      const input = new Float32Array(8 * 8 * 3);
      normalizePixels(image, p, input, 0);
      const x = tf.tensor4d(input, [1, 8, 8, 3]);
      expect(shown.map((l) => l.level)).toEqual(['0', '0.8']);
      for (const level of shown) {
        const votes = [0, 0, 0];
        for (const [i, m] of level.models.entries()) {
          const model = await loadLayersModelFromFile(fixture.population[level.level!][i]);
          const expected = Array.from((model.predict(x) as tf.Tensor).dataSync());
          model.dispose();
          expect(m.probabilities.map((v) => v.toFixed(6))).toEqual(expected.map((v) => v.toFixed(6)));
          expect(m.label).toBe(expected.indexOf(Math.max(...expected)));
          votes[m.label]++;
        }
        // The modal label with the audit's tie rule ('max': the larger tied class).
        expect(level.modal).toBe(votes.lastIndexOf(Math.max(...votes)));
        expect(SERVE_CLASSES[level.modal]).toBe('dog');
      }
      x.dispose();

      await page.setInputFiles('#upload', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
      await page.waitForSelector('#message.error');
      expect(await page.textContent('#message')).toBe("'notes.txt' is not an image; choose a JPEG or PNG file.");
      expect(await page.locator('#results .level-box').count()).toBe(0);

      await page.setInputFiles('#upload', { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(1_500_000) });
      await messageSays(page, 'huge.png');
      expect(await page.textContent('#message')).toBe('"huge.png" is 1.5 MB; uploads are limited to 1.0 MB.');

      // Dropped on the drop zone instead of chosen.
      const b64 = png.toString('base64');
      await page.evaluate(`(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([Uint8Array.from(atob('${b64}'), (c) => c.charCodeAt(0))], 'dropped.png', { type: 'image/png' }));
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      })()`);
      await messageSays(page, 'Predictions for "dropped.png"');
      expect(await readPredictions(page)).toEqual(shown);

      // Still running: a test example picked from the list (the dog folder's first image).
      await page.selectOption('#example', '5');
      await messageSays(page, 'Predictions for test example #5');
      expect((await readPredictions(page)).map((l) => SERVE_CLASSES[l.modal])).toEqual(['dog', 'dog']);

      // The one failed load is the text upload's 415, which the page turned into its message.
      expect(problems).toEqual([
        'console error: Failed to load resource: the server responded with a status of 415 (Unsupported Media Type)',
      ]);
      expect(requests.filter((r) => !r.startsWith(url) && !r.startsWith('blob:'))).toEqual([]);
    } finally {
      await page.close();
      stop.abort();
    }
    expect(await server.done).toBe(0);
    expect(server.stdout()).toMatch(/stopped \(abort\)/);
  }, 60_000);

  it('without --config says the models cannot run and shows the recorded predictions of a PIE exemplar', async () => {
    const stop = new AbortController();
    const server = serve([fixture.out], stop);
    const url = await server.url;
    const page = await context.newPage();
    try {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.textContent('#capability')).toMatch(/^Served without --config, so the models cannot run here/);
      expect(await page.locator('#upload').isDisabled()).toBe(true);
      const first = await page.locator('#example option').nth(1).getAttribute('value');
      await page.selectOption('#example', first!);
      await page.waitForSelector('#results table.recorded');
      const rows = await page.$$eval('#results table.recorded tr[data-level]', (trs) =>
        trs.map((tr) => [...tr.children].map((td) => td.textContent)),
      );
      expect(rows.map((r) => r[0])).toEqual(['0', '0.8']);
      // The faint images are forgotten at 0.8: the pruned models, leaning to 'eel', call them eel.
      expect(rows[0][1]).not.toBe(rows[1][1]);
    } finally {
      await page.close();
      stop.abort();
    }
    expect(await server.done).toBe(0);
  }, 60_000);
});
