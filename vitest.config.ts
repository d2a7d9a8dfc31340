import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // In CI a JSON summary is written too, so .ci/run can print a plain "N passed, N failed" line; the last
    // reporter ends the run with one line naming suites skipped for a missing program (Chromium, redis-server).
    reporters: process.env.CI ? ['default', 'json', './test/skipped-suites-reporter.ts'] : ['default', './test/skipped-suites-reporter.ts'],
    outputFile: process.env.CI ? { json: 'test-results.json' } : undefined,
  },
});
