import type { BrowserContext } from 'playwright-core';

/** Headless, sandbox-free (containers), and quiet: no first-run page, sync, updates or background requests. */
const HEADLESS_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Debian's Chromium (or the one at `executablePath`) headless through playwright-core, with its
 * profile in `profileDir`: what the report's browser tests and the screenshot script share.
 *
 * @example
 * const context = await launchChromium(join(tmp, 'profile'), { executablePath: '/usr/bin/chromium', viewport: { width: 1400, height: 1000 } });
 */
export async function launchChromium(
  profileDir: string,
  options: { executablePath: string; viewport?: { width: number; height: number } },
): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: options.executablePath,
    headless: true,
    args: HEADLESS_ARGS,
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
}
