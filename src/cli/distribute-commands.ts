import { resolve } from 'node:path';
import { distributeModule } from '../distribute/module-paths.js';
import { demoRecipe } from '../distribute/demo-recipe.js';
import { mergePlan } from '../distribute/merge-plan.js';
import { planFromConfig, planFromRecipe, type Plan } from '../distribute/plan.js';
import { readPlan, writePlan } from '../distribute/plan-files.js';
import { runShard } from '../distribute/run-shard.js';
import { shardIndex } from '../distribute/shard-index.js';
import { writeReports } from '../report/write-reports.js';
import { loadAuditConfig, readJsonFile } from '../audit/audit-config.js';
import { createProgress } from './progress.js';
import { formatSummary } from './summary.js';
import { noiseFloorBlock } from './noise-floor-lines.js';
import type { CliIO } from './cli-io.js';
import { parseCommand, UsageError } from './parse-command.js';
import { decimalInteger } from './decimal-integer.js';
import { terminalLine } from './terminal-text.js';

/** Help of the scale-out commands. */
export const DISTRIBUTE_HELP: Record<string, string> = {
  plan: `Usage: pie-audit plan <config.json> --shards <N> --out <plan dir> [--examples-per-job <k>]
       pie-audit plan --demo [--quick] [--models <k>] --shards <N> --out <plan dir>
       pie-audit plan --recipe <module> [--params <params.json>] --shards <N> --out <plan dir>

Writes the audit's job list (plan.json: one evaluate job per model of the config, or for the demo
a train job per seed and a fineTune and an evaluate job per seed and level; a recipe in the
fromScratch regime has a scratch and an evaluate job per seed and level) and N shard specs
(shard-<i>.json). --recipe: your population recipe, a module exporting createRecipe(params), at the
same path on every runner, with params from a JSON file. Job ids are content hashes; a seed's jobs
stay in one shard. --examples-per-job k (config plans): evaluate each model file in jobs of at
most k test examples, so one model's evaluation spreads over runners; the merge joins them in
order. See docs/scale-out.md.
`,
  'run-shard': `Usage: pie-audit run-shard <plan dir> [--index <i>] [--artifacts <dir>] [--recipe <module>]... [--quiet]

Runs shard i's jobs, writing each job's artifact (models, predictions) atomically under
<plan dir>/artifacts (or --artifacts, a folder every runner shares). Jobs already done are skipped,
so a shard can run twice or resume. --recipe: the population recipe module the plan was written
for, as this runner has it (repeatable; the bundled demo recipe is always allowed): a plan naming any
other module (matched by the sha256 of its bytes) is refused, never imported. Without --index the index comes from PIE_AUDIT_SHARD_INDEX,
JOB_COMPLETION_INDEX (Kubernetes Indexed Job), SLURM_ARRAY_TASK_ID (Slurm array) or CI_NODE_INDEX
(GitLab parallel, counted from 1).
`,
  merge: `Usage: pie-audit merge <plan dir> --out <dir> [--artifacts <dir>] [--recipe <module>]... [--format json,md,html,csv] [--quiet]

Audits what the shards wrote and writes the same reports as the unsharded run (report.json equal
apart from timings and timestamps); exits with the gate code. Refuses, naming the shards still to
run, while any result is missing, and refuses a result that is not its job's (a swapped or linked
file). --recipe as for run-shard: a recipe plan's module must be one named here.
`,
};

const usage = (message: string) => new UsageError(message);
/** The `--recipe` flags of a runner, as absolute paths. */
const recipeFlags = (value: unknown): string[] => (Array.isArray(value) ? value.map((m) => resolve(String(m))) : []);
const printed = (io: CliIO, text: string): number => {
  io.stdout(text);
  return 0;
};

/**
 * The demo's recipe as a plan source: the bundled recipe module and the demo's parameters.
 * @example
 * demoRecipeRef({ quick: true }).params.seeds; // [1, 2]
 */
export function demoRecipeRef(options: { quick?: boolean; models?: number }) {
  return { module: distributeModule('demo-recipe'), params: demoRecipe(options) };
}

/**
 * The value of `--examples-per-job`: a positive integer, or undefined when the flag is absent.
 * @example
 * parseExamplesPerJob('5000'); // 5000
 * @throws UsageError when the value is not a positive integer.
 */
export function parseExamplesPerJob(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return decimalInteger(value, '--examples-per-job', 1, Number.MAX_SAFE_INTEGER);
}

/**
 * `pie-audit plan`: writes the plan folder.
 * @example
 * await planCommand(['audit.json', '--shards', '4', '--out', 'plan'], io);
 * @throws PieAuditError INVALID_ARGUMENT on bad flags.
 */
export async function planCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand('plan', args, {
    shards: { type: 'string' },
    out: { type: 'string' },
    demo: { type: 'boolean' },
    quick: { type: 'boolean' },
    models: { type: 'string' },
    recipe: { type: 'string' },
    params: { type: 'string' },
    'examples-per-job': { type: 'string' },
  });
  if (values.help) return printed(io, DISTRIBUTE_HELP.plan);
  const examplesPerJob = parseExamplesPerJob(values['examples-per-job']);
  if (examplesPerJob !== undefined && (values.recipe || values.demo))
    throw usage('--examples-per-job applies to a config of model files; a recipe evaluates each model it builds in one job.');
  if (!values.out) throw usage("plan needs --out <plan dir>. See 'pie-audit plan --help'.");
  const shards = decimalInteger(values.shards ?? '1', '--shards', 1, 10000);
  let plan: Plan;
  if (values.recipe) {
    if (positionals.length > 0 || values.demo)
      throw usage("plan --recipe takes no config file and no --demo. See 'pie-audit plan --help'.");
    const params = values.params ? readJsonFile(values.params as string, 'recipe parameters file') : {};
    plan = await planFromRecipe({ module: resolve(values.recipe as string), params }, 'auto', shards);
  } else if (values.demo) {
    if (positionals.length > 0) throw usage("plan --demo takes no config file. See 'pie-audit plan --help'.");
    const models = values.models === undefined ? undefined : decimalInteger(values.models, '--models', 1, 50);
    plan = await planFromRecipe(demoRecipeRef({ quick: Boolean(values.quick), ...(models ? { models } : {}) }), 'auto', shards);
  } else {
    if (positionals.length !== 1)
      throw usage(`plan needs exactly one config file (or --demo); got ${positionals.length}. See 'pie-audit plan --help'.`);
    const config = resolve(positionals[0]);
    plan = await planFromConfig(config, loadAuditConfig(config).options, shards, examplesPerJob);
  }
  await writePlan(plan, values.out as string);
  if (!values.quiet)
    io.stdout(
      `wrote a plan of ${plan.jobs.length} jobs in ${shards} shard(s) to ${values.out as string} (${plan.shards.map((s) => s.length).join(', ')} jobs)\n`,
    );
  return 0;
}

/**
 * `pie-audit run-shard`: runs one shard's jobs.
 * @example
 * await runShardCommand(['plan', '--index', '0'], io);
 * @throws PieAuditError naming the job that failed.
 */
export async function runShardCommand(args: string[], io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseCommand('run-shard', args, {
    index: { type: 'string' },
    artifacts: { type: 'string' },
    recipe: { type: 'string', multiple: true },
  });
  if (values.help) return printed(io, DISTRIBUTE_HELP['run-shard']);
  if (positionals.length !== 1)
    throw usage(`run-shard needs exactly one plan folder; got ${positionals.length}. See 'pie-audit run-shard --help'.`);
  const plan = await readPlan(positionals[0]);
  const index = shardIndex(values.index as string | undefined, env, plan.shards.length);
  const artifacts = resolve((values.artifacts as string | undefined) ?? resolve(positionals[0], 'artifacts'));
  const progress = createProgress({ quiet: Boolean(values.quiet), stream: io.stderr });
  const { ran, skipped } = await runShard(plan, index, {
    artifacts,
    recipes: recipeFlags(values.recipe),
    onJob: (e) => progress.update(`shard ${index}`, e.done, e.total),
  });
  progress.done();
  if (!values.quiet)
    io.stdout(`${terminalLine(`shard ${index}: ${ran} job(s) run, ${skipped} already done; artifacts in ${artifacts}`)}\n`);
  return 0;
}

/**
 * `pie-audit merge`: writes the reports and returns the gate's exit code.
 * @example
 * const code = await mergeCommand(['plan', '--out', 'reports'], io, parseFormats);
 * @throws PieAuditError IO_ERROR while a shard's results are missing.
 */
export async function mergeCommand(
  args: string[],
  io: CliIO,
  formats: (text: string | undefined) => Array<'json' | 'md' | 'html' | 'csv'>,
): Promise<number> {
  const { values, positionals } = parseCommand('merge', args, {
    out: { type: 'string', short: 'o' },
    artifacts: { type: 'string' },
    format: { type: 'string' },
    recipe: { type: 'string', multiple: true },
  });
  if (values.help) return printed(io, DISTRIBUTE_HELP.merge);
  if (positionals.length !== 1)
    throw usage(`merge needs exactly one plan folder; got ${positionals.length}. See 'pie-audit merge --help'.`);
  if (!values.out) throw usage("merge needs --out <dir> for the reports. See 'pie-audit merge --help'.");
  const plan = await readPlan(positionals[0]);
  const artifacts = resolve((values.artifacts as string | undefined) ?? resolve(positionals[0], 'artifacts'));
  const result = await mergePlan(plan, artifacts, undefined, recipeFlags(values.recipe));
  const { report } = result;
  const written = await writeReports(result, values.out as string, formats(values.format as string | undefined));
  if (!values.quiet) {
    io.stdout(formatSummary(report));
    io.stdout(noiseFloorBlock(report));
    io.stdout(`wrote ${written.length} files to ${values.out as string}\n`);
  }
  return report.exitCode;
}
