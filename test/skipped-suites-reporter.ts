/**
 * A vitest reporter that ends the run with one line naming the suites skipped for a missing program
 * (Chromium, redis-server) and the one command that enables them (test/optional-suites.ts). Listed after
 * the default reporter, whose summary it follows.
 */
import { relative } from 'node:path';
import type { Reporter } from 'vitest/node';
import { skippedSuitesLine } from './optional-suites.js';

export default class SkippedSuitesReporter implements Reporter {
  onFinished(files: Array<{ filepath: string }> = []): void {
    const line = skippedSuitesLine(files.map((f) => relative(process.cwd(), f.filepath)));
    if (line) process.stdout.write(`${line}\n`);
  }
}
