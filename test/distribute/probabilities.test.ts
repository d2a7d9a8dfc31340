import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuditConfig } from '../../src/audit/audit-config.js';
import { runDemo } from '../../src/cli/demo.js';
import { encodeNpy } from '../../src/data/npy.js';
import { parseNpy } from '../../src/data/parse-npy.js';
import { mergePlan } from '../../src/distribute/merge-plan.js';
import type { EvaluateResult } from '../../src/distribute/merge.js';
import { distributeModule } from '../../src/distribute/module-paths.js';
import { planFromConfig, planFromRecipe, type Plan } from '../../src/distribute/plan.js';
import { readPlan, writePlan } from '../../src/distribute/plan-files.js';
import { runPlanOnQueue } from '../../src/distribute/queue/run-on-queue.js';
import { isPieAuditError } from '../../src/errors.js';
import { seededRandom } from '../../src/random/seeded-random.js';
import type { AuditReport } from '../../src/schema/index.js';
import { syntheticPopulation } from '../audit/synthetic.js';
import { runCliInProcess } from '../cli/cli-helpers.js';
import { comparable, startRedis, startWorker, tempDir, tinyDemo, waitFor } from './helpers.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';

// The queue test skips without redis-server; CI sets PIE_AUDIT_REQUIRE_REDIS=1, which makes that an error.
const hasRedis = optionalSuite(OPTIONAL_SUITES.redis);

const quiet = { update() {}, log() {}, done() {} };
const withProbabilities = () => ({ ...tinyDemo(), probabilities: true });
const recipeRef = () => ({ module: distributeModule('demo-recipe'), params: withProbabilities() });
const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as AuditReport;
const loadConfig = (path: string) => loadAuditConfig(path).options;
const evaluateIds = (plan: Plan) => plan.jobs.filter((j) => j.kind === 'evaluate').map((j) => j.id);

/** Runs every shard of a written plan through the CLI. */
async function runShards(dir: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) expect((await runCliInProcess(['run-shard', dir, '--index', String(i), '--quiet'])).code).toBe(0);
}

/** The typed error a promise rejects with. */
async function rejection(promise: Promise<unknown>) {
  const e = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!isPieAuditError(e)) throw new Error(`expected a PieAuditError, got ${String(e)}`);
  return e;
}

describe('distributed audits with class probabilities (recipe)', () => {
  let reference: AuditReport;
  let planDir: string;
  const stops: Array<() => void> = [];
  afterAll(() => {
    for (const stop of stops) stop();
  });

  beforeAll(async () => {
    reference = await runDemo({ out: tempDir('probs-ref'), recipe: withProbabilities(), workers: 1, progress: quiet, print: () => {} });
    planDir = tempDir('probs-plan');
    const plan = await planFromRecipe(recipeRef(), 'auto', 2);
    await writePlan(plan, planDir);
    await runShards(planDir, 2);
  });

  it('plan / run-shard / merge writes the in-process report, top-5 accuracy and taxicab ranking included', async () => {
    const out = join(planDir, 'out');
    expect((await runCliInProcess(['merge', planDir, '--out', out, '--quiet'])).code).toBe(reference.exitCode);
    const report = readReport(out);
    expect(comparable(report)).toEqual(comparable(reference));
    expect(report.config.probabilities).toBe(true);
    for (const level of report.levels) {
      expect(level.topK.status).toBe('ok');
      if (level.topK.status === 'ok') expect(level.topK.perModel).toHaveLength(2);
      expect(level.taxicab.status).toBe(level.key === '0' ? 'not-applicable' : 'ok');
    }
    // Each evaluate job left its rows beside its result, named (shape and hash) by the result.
    for (const id of evaluateIds(await readPlan(planDir))) {
      const result = JSON.parse(readFileSync(join(planDir, 'artifacts', `${id}.json`), 'utf8')) as EvaluateResult;
      expect(result.probabilities).toMatchObject({ file: `${id}.probabilities.npy`, shape: [300, 10] });
      const { data, shape } = parseNpy(readFileSync(join(planDir, 'artifacts', result.probabilities!.file)), 'rows');
      expect([data.constructor.name, shape]).toEqual(['Float32Array', [300, 10]]);
    }
  });

  it('a corrupt, swapped or missing probabilities file stops the merge with a typed error naming the job', async () => {
    const dir = tempDir('probs-corrupt');
    cpSync(planDir, dir, { recursive: true });
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    const plan = await readPlan(dir);
    const [first, second] = evaluateIds(plan);
    const artifacts = join(dir, 'artifacts');
    const file = join(artifacts, `${first}.probabilities.npy`);
    const good = readFileSync(file);

    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] ^= 0x40; // one float of the last row
    writeFileSync(file, flipped);
    const corrupt = await rejection(mergePlan(plan, artifacts, loadConfig));
    expect(corrupt.code).toBe('CORRUPT_FILE');
    expect(corrupt.details).toMatchObject({ job: first });
    expect(corrupt.message).toContain(`run job ${first} again`);
    const cli = await runCliInProcess(['merge', dir, '--out', join(dir, 'out'), '--quiet']);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/sha256 differs/);
    expect(existsSync(join(dir, 'out', 'report.json'))).toBe(false);

    // A readable .npy of the right shape that is another job's: the hash tells them apart.
    writeFileSync(file, readFileSync(join(artifacts, `${second}.probabilities.npy`)));
    expect(await rejection(mergePlan(plan, artifacts, loadConfig))).toMatchObject({ code: 'CORRUPT_FILE', details: { job: first } });

    rmSync(file);
    expect(await rejection(mergePlan(plan, artifacts, loadConfig))).toMatchObject({ code: 'IO_ERROR', details: { job: first } });

    // A result that names no file (its options changed after the plan) is not merged as labels only.
    const resultFile = join(artifacts, `${first}.json`);
    const { probabilities: _named, ...labelsOnly } = JSON.parse(readFileSync(resultFile, 'utf8')) as EvaluateResult;
    writeFileSync(resultFile, JSON.stringify(labelsOnly));
    expect(await rejection(mergePlan(plan, artifacts, loadConfig))).toMatchObject({ code: 'CONFIG_ERROR', details: { job: first } });

    // The advice works: without its result the job is not done, so its shard runs it again.
    rmSync(resultFile);
    const shard = plan.shards.findIndex((ids) => ids.includes(first));
    expect((await runCliInProcess(['run-shard', dir, '--index', String(shard)])).stdout).toMatch(/1 job\(s\) run/);
    expect(readFileSync(file)).toEqual(good);
    expect(comparable(await mergePlan(plan, artifacts, loadConfig))).toEqual(comparable(reference));
  });

  it.skipIf(!hasRedis)('on a BullMQ queue: the rows go through the artifact folder, the report is the in-process one', async () => {
    const redis = await startRedis();
    stops.push(redis.stop);
    const worker = startWorker(redis.url);
    stops.push(worker.kill);
    await waitFor(() => worker.log().includes('ready on'), 120_000, `a worker (${worker.log()})`);
    const plan = await planFromRecipe(recipeRef(), 'auto', 1);
    const report = await runPlanOnQueue(plan, { url: redis.url, artifacts: tempDir('probs-queue') });
    expect(comparable(report)).toEqual(comparable(reference));
  });
});

describe('distributed audits with class probabilities (config)', () => {
  /** A config of score-row .npy files (8 classes, a few rows with tied maxima), with `probabilities`. */
  function scoreConfig(dir: string, probabilities: boolean): string {
    const nClasses = 8;
    const s = syntheticPopulation({ nClasses, perClass: 40, models: 2, seed: 5 });
    const rand = seededRandom(9);
    const population: Record<string, string[]> = {};
    for (const [level, members] of Object.entries(s.population)) {
      population[level] = members.map((m, k) => {
        const rows = new Float32Array(s.n * nClasses);
        for (let i = 0; i < s.n; i++) {
          for (let c = 0; c < nClasses; c++) rows[i * nClasses + c] = rand() * 0.1;
          rows[i * nClasses + m.predictions[i]] = 0.6;
          // A tie: the argmax must take the lowest class, in one process and after the merge alike.
          if (i % 17 === 0) rows[i * nClasses + ((m.predictions[i] + 3) % nClasses)] = 0.6;
        }
        const file = `${level}-${k}.npy`;
        writeFileSync(join(dir, file), encodeNpy(rows, [s.n, nClasses]));
        return file;
      });
    }
    writeFileSync(join(dir, 'labels.npy'), encodeNpy(Int32Array.from(s.labels), [s.n]));
    const config = join(dir, `audit-${probabilities}.json`);
    writeFileSync(config, JSON.stringify({ population, testSet: { labels: 'labels.npy' }, probabilities, maxExemplars: 5 }));
    return config;
  }

  it('a plan of score files merges into the report of pie-audit audit; whether rows are kept is part of the job ids', async () => {
    const dir = tempDir('probs-cfg');
    const config = scoreConfig(dir, true);
    const direct = await runCliInProcess(['audit', config, '--out', join(dir, 'direct'), '--quiet']);
    expect((await runCliInProcess(['plan', config, '--shards', '2', '--out', join(dir, 'plan'), '--quiet'])).code).toBe(0);
    await runShards(join(dir, 'plan'), 2);
    const merged = await runCliInProcess(['merge', join(dir, 'plan'), '--out', join(dir, 'merged'), '--quiet']);
    expect(merged.code).toBe(direct.code);
    const report = readReport(join(dir, 'merged'));
    expect(comparable(report)).toEqual(comparable(readReport(join(dir, 'direct'))));
    expect(report.levels.map((l) => [l.topK.status, l.taxicab.status])).toEqual([
      ['ok', 'not-applicable'],
      ['ok', 'ok'],
      ['ok', 'ok'],
    ]);

    const without = scoreConfig(dir, false);
    const [kept, dropped] = [await planFromConfig(config, loadConfig(config), 1), await planFromConfig(without, loadConfig(without), 1)];
    expect(evaluateIds(kept).filter((id) => evaluateIds(dropped).includes(id))).toEqual([]);
  });
});
