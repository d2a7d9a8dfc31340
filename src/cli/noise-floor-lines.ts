import type { AuditReport } from '../schema/index.js';

import { terminalLine, terminalName } from './terminal-text.js';

const short = (v: number) => Number(v.toPrecision(3)).toString();

/**
 * One line per compressed level on its PIE count against the seed-noise floor: the null median and 95th
 * percentile, the excess and the permutation p, or why the test cannot reach alpha.
 *
 * @example
 * noiseFloorLines(report);
 * // ["level 0.9: 431 PIEs vs a noise floor of 120 (95th percentile 151): excess 311, p = 0.03125 (paired, exact, 64 splits)"]
 */
export function noiseFloorLines(report: AuditReport): string[] {
  const lines: string[] = [];
  for (const level of report.levels) {
    if (level.pies.status !== 'ok') continue;
    const f = level.pies.permutation;
    const how = `${f.design}, ${f.method}, ${f.splits} splits`;
    const head =
      `level ${terminalName(level.key)}: ${f.observed} ${f.observed === 1 ? 'PIE' : 'PIEs'} vs a noise floor of ${short(f.nullMedian)} (95th percentile ` +
      `${short(f.nullP95)}): excess ${short(f.excess)}`;
    // An inconclusive test's reason is in the report's warnings; the line names the smallest p it could give.
    const verdict =
      f.status === 'ok' ? `p = ${short(f.p)}` : `p = ${short(f.p)}, inconclusive (smallest possible p ${short(f.minAchievableP)})`;
    lines.push(terminalLine(`${head}, ${verdict} (${how})`));
  }
  return lines;
}

/**
 * The noise-floor block of the terminal summary: the pairing design and why, then one line per compressed level
 * ({@link noiseFloorLines}); printed by `pie-audit audit` and the demo alike.
 *
 * @example
 * process.stdout.write(noiseFloorBlock(report));
 * // seed-noise floor (paired design: every compressed level holds exactly the baseline's member ids):
 * //   level 0.9: 431 PIEs vs a noise floor of 120 (95th percentile 151): excess 311, p = 0.03125 (paired, exact, 64 splits)
 */
export function noiseFloorBlock(report: AuditReport): string {
  const lines = noiseFloorLines(report);
  const body = lines.length > 0 ? lines : ['no level has a PIE count to test'];
  return `seed-noise floor (${report.design.design} design: ${report.design.reason}):\n${body.map((l) => `  ${l}\n`).join('')}`;
}

/**
 * One line per compressed level on [H20]'s taxicab ranking: the share of PIEs among the top-N examples by the
 * distance between the populations' mean probabilities (N = the PIE count); none without probabilities.
 *
 * @example
 * taxicabLines(report); // ["level 0.9: 92% of the 431 examples whose mean probabilities moved most are PIEs (mean distance 0.031)"]
 */
export function taxicabLines(report: AuditReport): string[] {
  const lines: string[] = [];
  for (const level of report.levels) {
    if (level.taxicab.status !== 'ok') continue;
    const t = level.taxicab;
    lines.push(
      `level ${terminalName(level.key)}: ${(t.pieShareInTopN * 100).toFixed(0)}% of the ${t.topN} examples whose mean probabilities moved most are ` +
        `PIEs (mean distance ${short(t.meanDistance)})`,
    );
  }
  return lines;
}
