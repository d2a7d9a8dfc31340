import { appendFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { AuditReport, GateEvaluation } from '../schema/index.js';
import { PieAuditError } from '../errors.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { writeFilesAtomic } from '../report/write-atomic.js';
import { terminalLine } from './terminal-text.js';

/** What the `--junit` and `--step-summary` flags asked for. */
export interface CiOutputRequest {
  /** Path of the JUnit XML file to write, if any. */
  junit?: string;
  /** Append the Markdown report to the file named by GITHUB_STEP_SUMMARY. */
  stepSummary?: boolean;
}

/**
 * GitHub workflow-command escaping of a message (`%`, CR, LF, which the runner decodes) and of a property value
 * (also `:` and `,`); any other control character (ESC, bidi overrides) is shown escaped, never sent raw.
 */
const escapeData = (s: string) => terminalLine(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * The CI side of `audit` and `gate`: JUnit XML of the gate results (`--junit`), GitHub Actions
 * annotations (`::error::` per failed gate, `::warning::` per inconclusive one, printed to stdout when
 * `GITHUB_ACTIONS` is `true`), and the Markdown report appended to `GITHUB_STEP_SUMMARY` (`--step-summary`).
 * Returns the paths written.
 *
 * @example
 * await writeCiOutputs(report, report.gates, { junit: 'gates.xml' }, process.env, (t) => process.stdout.write(t));
 * @throws PieAuditError INVALID_ARGUMENT when `--step-summary` is asked for but GITHUB_STEP_SUMMARY is not set.
 */
export async function writeCiOutputs(
  report: AuditReport,
  gates: GateEvaluation | null,
  request: CiOutputRequest,
  env: Record<string, string | undefined>,
  stdout: (text: string) => void,
): Promise<string[]> {
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (request.stepSummary && !summaryFile) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      '--step-summary: GITHUB_STEP_SUMMARY is not set; it is set inside GitHub Actions jobs (or set it to a file).',
    );
  }
  const written: string[] = [];
  if (request.junit) {
    const path = resolve(request.junit);
    await writeFilesAtomic(dirname(path), { [basename(path)]: renderJunit(gates, { timestamp: new Date().toISOString() }) });
    written.push(request.junit);
  }
  if (env.GITHUB_ACTIONS === 'true' && gates) {
    for (const r of gates.results) {
      if (r.status === 'pass') continue;
      const command = r.status === 'fail' ? 'error' : 'warning';
      const title = `pie-audit ${r.status === 'fail' ? 'gate failed' : 'gate inconclusive'}: ${r.gate} at level ${r.level}`;
      stdout(`::${command} title=${escapeProperty(title)}::${escapeData(r.reason)}\n`);
    }
  }
  if (request.stepSummary && summaryFile) {
    // `gate` checks other thresholds than the audit did: the summary shows the ones just checked.
    const shown: AuditReport =
      gates === report.gates ? report : { ...report, gates, verdict: gates?.verdict ?? 'ungated', exitCode: gates?.exitCode ?? 0 };
    await appendFile(summaryFile, `${renderMarkdown(shown, { chartImage: false })}\n`);
    written.push(summaryFile);
  }
  return written;
}
