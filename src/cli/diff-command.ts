import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareAudits } from '../compare/compare-audits.js';
import { loadAuditForDiff } from '../compare/load-audit-for-diff.js';
import { renderDiffMarkdown } from '../compare/render-diff-markdown.js';
import type { DiffGatesConfig } from '../compare/types.js';
import { writeDiff } from '../compare/write-diff.js';
import { readJsonFile } from '../data/read-json-file.js';
import type { GateEvaluation } from '../schema/index.js';
import type { CliIO } from './cli-io.js';
import { writeCiOutputs } from './ci-outputs.js';
import { docsDir } from './docs-dir.js';
import { parseCommand, UsageError } from './parse-command.js';

/** `pie-audit diff --help`. */
export const DIFF_HELP = `Usage: pie-audit diff <before/report.json> <after/report.json> [--out <dir>] [--gates <diff-gates.json>]
                      [--junit <file>] [--step-summary] [--quiet]

Compares two audits of the same test set (the last release against a candidate): per compressed level both
have, the change of top-1 drop, PIE count and excess over the noise floor, the overlap of the PIE sets (read
from each folder's pies.arrow or pies.csv), classes newly hurt or no longer hurt, attribute values newly
over-indexed, and new warnings. Prints the findings; writes diff.md, diff.html and diff.json into --out.

  --out <dir>        write diff.md, diff.html, diff.json (default: print only)
  --gates <file>     regression gates, e.g. { "maxNewHurtClasses": 0, "maxPieRateIncrease": { "0.9": 0.01 },
                     "maxTop1DropIncrease": 0.005, "maxNewOverIndexed": 0, "decision": "point" }
  --junit <file>     also write the gate results as JUnit XML
  --step-summary     append diff.md to $GITHUB_STEP_SUMMARY
With GITHUB_ACTIONS=true, failed and inconclusive gates print ::error:: / ::warning:: annotations.
Exit codes: 0 pass (or no gates), 1 a gate failed, 2 usage/input error (e.g. different test sets), 3 inconclusive.
Docs: ${join(docsDir(), 'compare.md')}
`;

/**
 * `pie-audit diff`: reads two report folders, compares them, prints the findings, writes the diff files and the CI
 * outputs, and returns the gate exit code.
 *
 * @throws PieAuditError for bad flags, unreadable reports or different test sets (exit code 2 in the CLI)
 * @example
 * const code = await diffCommand(['v1/report.json', 'v2/report.json', '--gates', 'g.json'], io);
 */
export async function diffCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand('diff', args, {
    out: { type: 'string', short: 'o' },
    gates: { type: 'string', short: 'g' },
    junit: { type: 'string' },
    'step-summary': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(DIFF_HELP);
    return 0;
  }
  const env = io.env ?? process.env;
  if (positionals.length !== 2)
    throw new UsageError(
      `diff needs two report.json files, the earlier audit and the candidate; got ${positionals.length}. See 'pie-audit diff --help'.`,
    );
  if (values.junit === '') throw new UsageError('--junit needs a file name, e.g. --junit diff-gates.xml.');
  if (values['step-summary'] && !env.GITHUB_STEP_SUMMARY)
    throw new UsageError(
      '--step-summary: GITHUB_STEP_SUMMARY is not set; GitHub Actions sets it in every job (elsewhere set it to a file).',
    );
  if (values.out === '') throw new UsageError('--out needs a folder name.');
  const gates = values.gates ? (readJsonFile(values.gates as string, 'diff gates file') as DiffGatesConfig) : null;
  const before = await loadAuditForDiff(positionals[0]);
  const after = await loadAuditForDiff(positionals[1]);
  const diff = compareAudits(before.report, after.report, gates, {
    beforePies: before.pies,
    afterPies: after.pies,
    beforePiesFile: before.piesFile,
    afterPiesFile: after.piesFile,
    beforeSource: before.source,
    afterSource: after.source,
  });
  if (!values.quiet) {
    for (const f of diff.findings) io.stdout(`${f.level === null ? '' : `level ${f.level} [${f.kind}]: `}${f.text}\n`);
    for (const r of diff.gates?.results ?? []) io.stdout(`[${r.status}] ${r.reason}\n`);
    io.stdout(`verdict: ${diff.verdict.toUpperCase()} (exit ${diff.exitCode})\n`);
  }
  if (values.out) {
    const written = await writeDiff(diff, values.out as string);
    if (!values.quiet) io.stdout(`wrote ${written.join(', ')}\n`);
  }
  // JUnit and annotations exactly as `gate` writes them, from the diff's gate results.
  const evaluation: GateEvaluation | null = diff.gates ? { ...diff.gates, waived: null } : null;
  await writeCiOutputs(after.report, evaluation, { junit: values.junit as string | undefined }, env, io.stdout);
  if (values['step-summary'] && env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${renderDiffMarkdown(diff)}\n`);
  return diff.exitCode;
}
