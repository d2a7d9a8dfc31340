import type { GateEvaluation, GateResult } from '../schema/index.js';

/** Options of {@link renderJunit}. */
export interface RenderJunitOptions {
  /** Name of the test suite; default `'pie-audit gates'`. */
  suiteName?: string;
  /** ISO 8601 time stamp of the suite; omitted when not given. */
  timestamp?: string;
}

// XML 1.0 allows tab, newline, carriage return and characters from U+0020; others cannot be escaped, only dropped.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function testCaseName(r: GateResult): string {
  const on = r.attribute === null ? '' : ` ${r.attribute}${r.value === null ? '' : `=${r.value}`}`;
  return `${r.gate}${on} at level ${r.level}`;
}

function testCase(r: GateResult): string {
  const open = `    <testcase classname="pie-audit.${xml(r.gate)}" name="${xml(testCaseName(r))}">`;
  const details = `threshold ${r.threshold}, observed ${r.observed === null ? 'not measured' : r.observed}`;
  if (r.status === 'pass') return `${open}</testcase>`;
  if (r.status === 'fail')
    return `${open}\n      <failure message="${xml(r.reason)}" type="gate failed">${xml(details)}</failure>\n    </testcase>`;
  return `${open}\n      <skipped message="${xml(`inconclusive: ${r.reason}`)}"/>\n    </testcase>`;
}

/**
 * Gate results as JUnit XML, the test-report format CI systems display (GitHub, GitLab, Jenkins,
 * Azure). One test case per checked threshold: a passed gate passes, a failed gate is a `<failure>`
 * with the reason, and an inconclusive gate is `<skipped>` with the reason (it was not decided; the
 * CLI's exit code 3 still says so). Without gates (`null`) the suite is empty and says why.
 *
 * @example
 * await writeFile('gates.xml', renderJunit(evaluateGates(report, gates), { timestamp: new Date().toISOString() }));
 */
export function renderJunit(evaluation: GateEvaluation | null, options: RenderJunitOptions = {}): string {
  const results = evaluation?.results ?? [];
  const failures = results.filter((r) => r.status === 'fail').length;
  const skipped = results.filter((r) => r.status === 'inconclusive').length;
  const suiteName = xml(options.suiteName ?? 'pie-audit gates');
  const counts = `tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  const stamp = options.timestamp ? ` timestamp="${xml(options.timestamp)}"` : '';
  const verdict = evaluation ? `verdict: ${evaluation.verdict} (exit ${evaluation.exitCode})` : 'no gates configured';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pie-audit" ${counts}>`,
    `  <testsuite name="${suiteName}" ${counts}${stamp}>`,
    ...results.map(testCase),
    `    <system-out>${xml(verdict)}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
