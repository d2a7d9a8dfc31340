/**
 * The suites that need a program outside npm (Debian's Chromium, redis-server) or a native build npm may drop
 * (tfjs-tflite-node's binding): whether each can run
 * here, and the one command that enables it. A suite skips when its program is absent, and fails the
 * run instead when its PIE_AUDIT_REQUIRE_* variable is 1 (as .ci/run sets them), so CI never passes
 * with a suite silently skipped. test/skipped-suites-reporter.ts prints one line at the end of
 * `npm test` naming what was skipped and how to enable it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface OptionalSuite {
  /** What the suite checks, for the summary line. */
  what: string;
  /** The program it needs. */
  program: string;
  /** The one command that installs it (Debian). */
  install: string;
  /** The variable that makes its absence an error. */
  requireVariable: string;
  /** Test files (relative to the repository root) that skip without it. */
  files: string[];
}

export const OPTIONAL_SUITES = {
  browser: {
    what: 'the HTML report in a real browser',
    program: '/usr/bin/chromium',
    install: 'apt-get install -y chromium',
    requireVariable: 'PIE_AUDIT_REQUIRE_BROWSER',
    files: [
      'test/report/browser.test.ts',
      'test/report/injection.test.ts',
      'test/compare/diff-browser.test.ts',
      'test/cli/serve-browser.test.ts',
    ],
  },
  redis: {
    what: 'the BullMQ queue on real Redis',
    program: '/usr/bin/redis-server',
    install: 'apt-get install -y redis-server',
    requireVariable: 'PIE_AUDIT_REQUIRE_REDIS',
    files: ['test/distribute/queue.test.ts', 'test/distribute/probabilities.test.ts', 'test/distribute/trust-queue.test.ts'],
  },
  tflite: {
    what: "TFLite files on TFLite's own runtime",
    // The optional dependency's native binding: npm drops the package when its node-gyp build fails.
    program: join(import.meta.dirname, '..', 'node_modules', 'tfjs-tflite-node', 'build', 'Release', 'node_tflite_binding.node'),
    install: 'npm install tfjs-tflite-node',
    requireVariable: 'PIE_AUDIT_REQUIRE_TFLITE',
    files: ['test/evaluate/tflite-file-predictor.test.ts', 'test/audit/tflite-audit.test.ts'],
  },
} satisfies Record<string, OptionalSuite>;

/** Whether the suite's program is here. */
export const suiteAvailable = (suite: OptionalSuite): boolean => existsSync(suite.program);

/**
 * Whether a suite can run; throws when its program is absent and its PIE_AUDIT_REQUIRE_* variable is 1.
 *
 * @example
 * describe.skipIf(!optionalSuite(OPTIONAL_SUITES.redis))('queue', () => { ... });
 */
export function optionalSuite(suite: OptionalSuite, env: Record<string, string | undefined> = process.env): boolean {
  if (suiteAvailable(suite)) return true;
  if (env[suite.requireVariable] === '1')
    throw new Error(`${suite.program} is required (${suite.requireVariable}=1) but absent: ${suite.install}`);
  return false;
}

/**
 * The line `npm test` ends with when suites were skipped for a missing program; null when none was.
 *
 * @example
 * skippedSuitesLine(['test/report/browser.test.ts'], () => false);
 * // 'skipped: the HTML report in a real browser (/usr/bin/chromium missing); enable with: apt-get install -y chromium'
 */
export function skippedSuitesLine(ranFiles: string[], available: (suite: OptionalSuite) => boolean = suiteAvailable): string | null {
  const skipped = Object.values(OPTIONAL_SUITES).filter(
    (suite) => !available(suite) && suite.files.some((file) => ranFiles.some((ran) => ran.endsWith(file))),
  );
  if (skipped.length === 0) return null;
  const what = skipped.map((s) => `${s.what} (${s.program} missing)`).join(', ');
  const apt = 'apt-get install -y ';
  const packages = skipped.filter((s) => s.install.startsWith(apt)).map((s) => s.install.slice(apt.length));
  const commands = [
    ...(packages.length ? [`${apt}${packages.join(' ')}`] : []),
    ...skipped.filter((s) => !s.install.startsWith(apt)).map((s) => s.install),
  ];
  return `skipped: ${what}; enable with: ${commands.join(' && ')}`;
}
