import { describe, expect, it } from 'vitest';
import { OPTIONAL_SUITES, optionalSuite, skippedSuitesLine } from './optional-suites.js';

const absent = { ...OPTIONAL_SUITES.redis, program: '/nonexistent/redis-server' };

describe('suites that need a program outside npm', () => {
  it('skip when the program is absent, and fail when their PIE_AUDIT_REQUIRE_* variable is 1', () => {
    expect(optionalSuite(absent, {})).toBe(false);
    expect(() => optionalSuite(absent, { PIE_AUDIT_REQUIRE_REDIS: '1' })).toThrow(
      /\/nonexistent\/redis-server is required \(PIE_AUDIT_REQUIRE_REDIS=1\) but absent: apt-get install -y redis-server/,
    );
  });

  it('npm test ends with one line naming what was skipped and the one command that enables it', () => {
    const ran = ['/repo/test/report/browser.test.ts', '/repo/test/distribute/queue.test.ts', '/repo/test/cli/cli.test.ts'];
    expect(skippedSuitesLine(ran, () => false)).toBe(
      'skipped: the HTML report in a real browser (/usr/bin/chromium missing), the BullMQ queue on real Redis ' +
        '(/usr/bin/redis-server missing); enable with: apt-get install -y chromium redis-server',
    );
    expect(skippedSuitesLine(ran, (s) => s === OPTIONAL_SUITES.browser)).toBe(
      'skipped: the BullMQ queue on real Redis (/usr/bin/redis-server missing); enable with: apt-get install -y redis-server',
    );
    // Nothing to say when every program is here, or when no test file that needs one ran.
    expect(skippedSuitesLine(ran, () => true)).toBeNull();
    expect(skippedSuitesLine(['/repo/test/cli/cli.test.ts'], () => false)).toBeNull();
  });
});
