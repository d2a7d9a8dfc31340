/**
 * Trust at the edges: plans edited by hand, result files swapped or replaced by special files, bombs and
 * out-of-range values in inputs, and names that try to reach a CI runner through stdout. Every case must
 * end in a typed PieAuditError or a correct result; nothing runs that the operator did not name and nothing
 * is written outside its folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/summary.js';
import { terminalLine, terminalName } from '../../src/cli/terminal-text.js';
import { encodeNpy } from '../../src/data/npy.js';
import { duplicateJsonKey } from '../../src/data/json-duplicate-key.js';
import { readJsonFile } from '../../src/data/read-json-file.js';
import { artifactStore } from '../../src/distribute/artifacts.js';
import { checkJobShape } from '../../src/distribute/job-checks.js';
import { mergePlan } from '../../src/distribute/merge-plan.js';
import type { Plan } from '../../src/distribute/plan.js';
import { readPlan } from '../../src/distribute/plan-files.js';
import { runShard } from '../../src/distribute/run-shard.js';
import { trustedJob, trustedRecipes } from '../../src/distribute/trusted-recipes.js';
import { distributeModule } from '../../src/distribute/module-paths.js';
import { readCacheEntry } from '../../src/evaluate/cache/prediction-cache.js';
import { isPieAuditError } from '../../src/errors.js';
import { runCliInProcess } from '../cli/cli-helpers.js';
import { tempDir } from '../distribute/helpers.js';
import { FUZZ_SEED, mutateAt, oddValue, pathsOf, typedOrValue } from './helpers.js';

const codeOf = (p: Promise<unknown> | (() => unknown)) =>
  Promise.resolve()
    .then(() => (typeof p === 'function' ? p() : p))
    .then(
      () => 'resolved',
      (e: unknown) => (isPieAuditError(e) ? e.code : `untyped: ${String(e)}`),
    );
const dirs: string[] = [];
const fresh = (tag: string) => {
  const d = tempDir(tag);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A module that, if ever imported, leaves a marker file: the proof that planted code ran. */
function plantedModule(dir: string): { module: string; marker: string } {
  const marker = join(dir, 'planted-code-ran');
  const module = join(dir, 'planted.mjs');
  writeFileSync(
    module,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport function createRecipe() { throw new Error('planted'); }\n`,
  );
  return { module, marker };
}

/** A config of .npy predictions files (3 classes, 3 members per level, 60 examples) and its folder. */
function predictionsConfig(dir: string, extra: Record<string, unknown> = {}): string {
  const n = 60;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  writeFileSync(join(dir, 'labels.npy'), encodeNpy(labels, [n]));
  const population: Record<string, string[]> = { '0': [], '0.5': [] };
  for (const [level, flips] of [
    ['0', 0],
    ['0.5', 9],
  ] as const) {
    for (let m = 0; m < 3; m++) {
      const p = Int32Array.from(labels, (y, i) => (i < flips + m ? (y + 1) % 3 : y));
      const file = join(dir, `p${level}-${m}.npy`);
      writeFileSync(file, encodeNpy(p, [n]));
      population[level].push(file);
    }
  }
  const config = join(dir, 'audit.json');
  writeFileSync(
    config,
    JSON.stringify({ population, testSet: { labels: 'labels.npy' }, classNames: ['a', 'b', 'c'], bootstrap: { resamples: 50 }, ...extra }),
  );
  return config;
}

/** plan + run-shard of a predictions config; returns the plan folder, its plan and the artifact folder. */
async function shardedPredictions(tag: string): Promise<{ dir: string; planDir: string; plan: Plan; artifacts: string }> {
  const dir = fresh(tag);
  const config = predictionsConfig(dir);
  const planDir = join(dir, 'plan');
  expect((await runCliInProcess(['plan', config, '--shards', '1', '--out', planDir, '--quiet'])).code).toBe(0);
  expect((await runCliInProcess(['run-shard', planDir, '--index', '0', '--quiet'])).code).toBe(0);
  return { dir, planDir, plan: await readPlan(planDir), artifacts: join(planDir, 'artifacts') };
}

const loadConfig = async () => (await import('../../src/audit/audit-config.js')).loadAuditConfig;

describe('plans edited by hand: nothing runs that the operator did not name', () => {
  it('a plan naming a planted recipe module is refused by run-shard and merge, and the module is never imported', async () => {
    const { planDir, plan } = await shardedPredictions('planted');
    const { module, marker } = plantedModule(planDir);
    const sha256 = createHash('sha256').update(readFileSync(module)).digest('hex');
    const source = { kind: 'recipe', recipe: { module, params: {}, sha256 }, runtime: 'auto' };
    const planted = {
      ...plan,
      source,
      jobs: [{ kind: 'train', id: `train-${'a'.repeat(24)}`, source, seed: 1, needs: [] }],
      shards: [[`train-${'a'.repeat(24)}`]],
      merge: { ...plan.merge, source },
    };
    writeFileSync(join(planDir, 'plan.json'), JSON.stringify(planted));
    const shard = await runCliInProcess(['run-shard', planDir, '--index', '0']);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/names recipe module .*planted\.mjs.* which this runner was not given; start it with --recipe/);
    const merge = await runCliInProcess(['merge', planDir, '--out', join(planDir, 'out')]);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toMatch(/which this runner was not given/);
    // Without a content hash (an older or hand-written plan) it is refused too.
    const unhashed = { ...planted, source: { ...source, recipe: { module, params: {} } } };
    expect(
      await codeOf(runShard(unhashed as unknown as Plan, 0, { artifacts: join(planDir, 'a2'), loadConfig: () => ({}) as never })),
    ).toBe('CONFIG_ERROR');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(planDir, 'out'))).toBe(false);
  });

  it('a job naming the demo recipe by its hash but another path imports the runner’s own module, never the named path', () => {
    const dir = fresh('swap-path');
    const { module } = plantedModule(dir);
    const demo = distributeModule('demo-recipe');
    const sha256 = createHash('sha256').update(readFileSync(demo)).digest('hex');
    const job = {
      kind: 'train',
      id: `train-${'b'.repeat(24)}`,
      seed: 1,
      needs: [],
      source: { kind: 'recipe', recipe: { module, params: {}, sha256 }, runtime: 'auto' },
    } as const;
    const trusted = trustedJob(job as never, trustedRecipes()) as typeof job;
    expect(trusted.source.recipe.module).toBe(demo);
    // Named on the command line, the module is trusted under its own path.
    const own = trustedJob(
      {
        ...job,
        source: {
          ...job.source,
          recipe: { module: '/elsewhere/x.mjs', params: {}, sha256: createHash('sha256').update(readFileSync(module)).digest('hex') },
        },
      } as never,
      trustedRecipes([module]),
    ) as typeof job;
    expect(own.source.recipe.module).toBe(module);
  });

  it('job ids that are not content hashes are refused before any path is built; nothing is written outside the folder', async () => {
    const { dir, planDir, plan } = await shardedPredictions('ids');
    const bad = ['../../X', '/tmp/X', 'train-../../../x', `evaluate-${'0'.repeat(23)}`, `EVALUATE-${'0'.repeat(24)}`, '', 'x'.repeat(5000)];
    let cases = 0;
    for (const id of bad) {
      const edited = { ...plan, jobs: plan.jobs.map((j, i) => (i === 0 ? { ...j, id } : j)), shards: [[id, ...plan.shards[0].slice(1)]] };
      writeFileSync(join(planDir, 'plan.json'), JSON.stringify(edited));
      const r = await runCliInProcess(['run-shard', planDir, '--index', '0']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not a pie-audit (evaluate |train )?job id|is not a pie-audit evaluate id/);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      cases++;
    }
    expect(cases).toBe(bad.length);
    expect(existsSync(join(dir, 'X'))).toBe(false);
    expect(existsSync(join(dir, '..', 'X'))).toBe(false);
  });

  it('a merge listing a member twice, or one member under two ids, is refused', async () => {
    const { plan, artifacts } = await shardedPredictions('dupes');
    const load = await loadConfig();
    const first = plan.merge.members[0];
    const twice = { ...plan, merge: { ...plan.merge, members: [...plan.merge.members, first], needs: [...plan.merge.needs, first.job] } };
    const err = await mergePlan(twice, artifacts, (p) => load(p).options).catch((e: unknown) => e);
    expect(isPieAuditError(err, 'CONFIG_ERROR')).toBe(true);
    expect((err as Error).message).toMatch(/listed twice in members/);
    const renamed = {
      ...plan,
      merge: {
        ...plan.merge,
        members: plan.merge.members.map((m, i) => (i === 1 ? { ...m, memberId: first.memberId, level: first.level } : m)),
      },
    };
    expect(await codeOf(mergePlan(renamed, artifacts, (p) => load(p).options))).toBe('CONFIG_ERROR');
    // Untouched, the same plan merges.
    expect(await codeOf(mergePlan(plan, artifacts, (p) => load(p).options))).toBe('resolved');
  });

  it('mutated plan.json (any field, odd values): run-shard and merge give a typed error or a result, never import a module, write nothing outside', async () => {
    const { planDir, plan, artifacts } = await shardedPredictions('mutated');
    const { module, marker } = plantedModule(planDir);
    const load = await loadConfig();
    const paths = pathsOf(plan);
    const value = fc.oneof(
      oddValue,
      fc.constantFrom(module, '../../X', { kind: 'recipe', recipe: { module, params: {} }, runtime: 'auto' }),
    );
    const outcomes = { typed: 0, report: 0 };
    const before = readdirSync(join(planDir, '..')).sort();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: paths.length - 1 }), value, async (at, next) => {
        const mutated = mutateAt(plan, paths[at], next);
        const shard = await typedOrValue(() => runShard(mutated, 0, { artifacts, loadConfig: (p) => load(p).options }));
        const outcome = await typedOrValue(() => mergePlan(mutated, artifacts, (p) => load(p).options));
        if (outcome.code) outcomes.typed++;
        else outcomes.report++;
        if (shard.code) outcomes.typed++;
        else outcomes.report++;
      }),
      { seed: FUZZ_SEED, numRuns: 120 },
    );
    expect(outcomes.typed + outcomes.report).toBe(240);
    expect(readdirSync(join(planDir, '..')).sort()).toEqual(before);
    expect(outcomes.typed).toBeGreaterThan(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('fuzzed jobs: checkJobShape gives a typed error or a job whose every id is a content hash', () => {
    const id = fc.oneof(
      fc.constantFrom('../../X', `evaluate-${'a'.repeat(24)}`, `train-${'b'.repeat(24)}`, `merge-${'c'.repeat(24)}`, '', '__proto__'),
      fc.string({ maxLength: 30 }),
    );
    const job = fc.record(
      {
        kind: fc.constantFrom('train', 'fineTune', 'scratch', 'evaluate', 'merge', 'rm', '__proto__'),
        id,
        needs: fc.oneof(fc.array(id, { maxLength: 3 }), fc.constant('x')),
        model: fc.oneof(fc.record({ job: id }), fc.record({ file: fc.string() }), fc.constant(null)),
        members: fc.array(
          fc.record({
            job: id,
            level: fc.constantFrom('0', '0.5', 1),
            memberId: fc.constantFrom('a', 'b'),
            parts: fc.option(fc.array(id, { maxLength: 2 }), { nil: undefined }),
          }),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: [] },
    );
    // A well-formed merge with one field replaced: the accepted branch is exercised too.
    const e = (c: string) => `evaluate-${c.repeat(24)}`;
    const merge = {
      kind: 'merge',
      id: `merge-${'c'.repeat(24)}`,
      needs: [e('1'), e('2')],
      members: [
        { job: e('1'), level: '0', memberId: 'a' },
        { job: e('2'), level: '0.5', memberId: 'a', parts: [e('2')] },
      ],
    };
    const mergePaths = pathsOf(merge);
    const mutatedMerge = fc
      .tuple(fc.nat({ max: mergePaths.length - 1 }), fc.oneof(oddValue, id), fc.boolean())
      .map(([at, next, keep]) => (keep ? merge : mutateAt(merge, mergePaths[at], next)));
    const pattern = /^(train|fineTune|scratch|evaluate|merge)-[0-9a-f]{24}$/;
    let typed = 0;
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(job, mutatedMerge), (j) => {
        try {
          const checked = checkJobShape(j, 'fuzzed job') as unknown as Record<string, unknown>;
          accepted++;
          expect(checked.id).toMatch(pattern);
          for (const n of checked.needs as string[]) expect(n).toMatch(pattern);
        } catch (e) {
          if (!isPieAuditError(e, 'CONFIG_ERROR')) throw e;
          typed++;
        }
      }),
      { seed: FUZZ_SEED, numRuns: 400 },
    );
    expect(typed + accepted).toBe(400);
    expect(typed).toBeGreaterThan(0);
  });
});

describe('results read are the results asked for', () => {
  it('a swapped, linked, FIFO, device or escaping result file is a typed error; restored, the merge is the audit', async () => {
    const { planDir, plan, artifacts } = await shardedPredictions('swapped');
    const [a, b] = plan.merge.needs;
    const fileOf = (id: string) => join(artifacts, `${id}.json`);
    const outside = join(planDir, 'outside.json');
    writeFileSync(outside, readFileSync(fileOf(b)));
    const keep = join(planDir, 'keep.json');
    renameSync(fileOf(a), keep);
    const merge = () => runCliInProcess(['merge', planDir, '--out', join(planDir, 'out')]);
    const cases: Array<[string, () => void, RegExp]> = [
      ['swapped with another member', () => writeFileSync(fileOf(a), readFileSync(fileOf(b))), /is the result of job .*swapped or linked/],
      ['linked to another member', () => symlinkSync(fileOf(b), fileOf(a)), /is the result of job|outside its folder/],
      ['linked outside its folder', () => symlinkSync(outside, fileOf(a)), /outside its folder/],
      ['linked to /dev/zero', () => symlinkSync('/dev/zero', fileOf(a)), /a device|outside its folder/],
      ['a FIFO', () => execFileSync('mkfifo', [fileOf(a)]), /a named pipe/],
    ];
    for (const [what, plant, message] of cases) {
      plant();
      const r = await merge();
      expect(r.code, what).toBe(2);
      expect(r.stderr, what).toMatch(message);
      expect(existsSync(join(planDir, 'out')), what).toBe(false);
      unlinkSync(fileOf(a));
    }
    renameSync(keep, fileOf(a));
    const ok = await merge();
    expect(ok.code).toBeLessThanOrEqual(1);
    const direct = await runCliInProcess(['audit', join(planDir, '..', 'audit.json'), '--out', join(planDir, 'direct'), '--quiet']);
    const read = (d: string) => {
      const { generatedAt: _g, timings: _t, environment: _e, ...rest } = JSON.parse(readFileSync(join(planDir, d, 'report.json'), 'utf8'));
      return rest;
    };
    expect(read('out')).toEqual(read('direct'));
    expect(direct.code).toBe(ok.code);
  });

  it('mutated result files (any field, odd values): the merge gives a typed error or the report', async () => {
    const { planDir, plan, artifacts } = await shardedPredictions('mutated-results');
    const load = await loadConfig();
    const id = plan.merge.needs[1];
    const file = join(artifacts, `${id}.json`);
    const original = JSON.parse(readFileSync(file, 'utf8'));
    const paths = pathsOf(original);
    const value = fc.oneof(
      oddValue,
      fc.constantFrom(plan.merge.needs[0], 'AAAA', 'A'.repeat(200), { file: '../x', shape: [60, 3], sha256: '' }),
    );
    const outcomes = { typed: 0, report: 0 };
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: paths.length - 1 }), value, async (at, next) => {
        writeFileSync(file, JSON.stringify(mutateAt(original, paths[at], next)) ?? 'null');
        const outcome = await typedOrValue(() => mergePlan(plan, artifacts, (p) => load(p).options));
        if (outcome.code) outcomes.typed++;
        else outcomes.report++;
      }),
      { seed: FUZZ_SEED, numRuns: 100 },
    );
    expect(outcomes.typed + outcomes.report).toBe(100);
    expect(outcomes.typed).toBeGreaterThan(0);
    expect(existsSync(join(planDir, 'x'))).toBe(false);
  });

  it('a model folder in the artifacts whose model.json is a link out of the folder, a FIFO or /dev/zero is not loaded', async () => {
    const dir = fresh('model-link');
    const store = artifactStore(join(dir, 'artifacts'));
    const id = `fineTune-${'7'.repeat(24)}`;
    mkdirSync(store.modelDir(id), { recursive: true });
    const modelJson = join(store.modelDir(id), 'model.json');
    writeFileSync(join(dir, 'elsewhere.json'), '{}');
    for (const plant of [
      () => symlinkSync(join(dir, 'elsewhere.json'), modelJson),
      () => symlinkSync('/dev/zero', modelJson),
      () => execFileSync('mkfifo', [modelJson]),
    ]) {
      plant();
      expect(await codeOf(() => store.modelToLoad(id))).toBe('IO_ERROR');
      unlinkSync(modelJson);
    }
    writeFileSync(modelJson, '{}');
    expect(store.modelToLoad(id)).toBe(store.modelDir(id));
    expect(await codeOf(() => store.modelToLoad('../../X'))).toBe('CONFIG_ERROR');
  });

  it('a prediction-cache entry that is a link to /dev/zero or a FIFO is a miss, read at once', async () => {
    const dir = fresh('cache');
    const key = 'a'.repeat(64);
    const { cacheEntryPath } = await import('../../src/evaluate/cache/prediction-cache.js');
    const path = cacheEntryPath(dir, key, key);
    mkdirSync(join(path, '..'), { recursive: true });
    symlinkSync('/dev/zero', path);
    expect(await readCacheEntry(dir, key, key)).toBeUndefined();
    unlinkSync(path);
    execFileSync('mkfifo', [path]);
    expect(await readCacheEntry(dir, key, key)).toBeUndefined();
  });
});

describe('one bad value: a typed error at once', () => {
  it('a predictions file with one label 65535 (classes 0..2): LABEL_OUT_OF_RANGE naming the file and the value', async () => {
    const dir = fresh('label');
    const config = predictionsConfig(dir);
    const file = join(dir, 'p0.5-1.npy');
    const labels = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    labels[17] = 65535;
    writeFileSync(file, encodeNpy(labels, [60]));
    const r = await runCliInProcess(['audit', config, '--out', join(dir, 'out'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/p0\.5-1\.npy.*predicted label 65535 at example 17 is not one of the 3 classes/);
    // Without classNames the classes are those of the labels (0..2): the same error.
    const noNames = JSON.parse(readFileSync(config, 'utf8'));
    delete noNames.classNames;
    writeFileSync(config, JSON.stringify(noNames));
    const r2 = await runCliInProcess(['audit', config, '--out', join(dir, 'out2'), '--quiet']);
    expect(r2.stderr).toMatch(/predicted label 65535 at example 17 is not one of the 3 classes/);
  });

  it('bounds, duplicate keys, bombs and numbers written another way are typed errors', async () => {
    const dir = fresh('bounds');
    const cases: Array<[string, Record<string, unknown> | string, RegExp]> = [
      ['resamples 1e9', { bootstrap: { resamples: 1e9 } }, /bootstrap\.resamples: must be an integer from 0 to 100000; got 1000000000/],
      ['draws 1e12', { noiseFloor: { draws: 1e12 } }, /noiseFloor\.draws: must be an integer from 1 to 1000000/],
      ['batchSize 1e10', { batchSize: 1e10 }, /batchSize: must be an integer from 1/],
      ['maxExemplars 1e9', { maxExemplars: 1e9 }, /maxExemplars: must be an integer from 0 to 100000/],
      ['backend -1 (unused)', { backend: -1 }, /backend: must be one of auto, tensorflow, wasm, cpu; got -1/],
      ['backend "gpu" (unused)', { backend: 'gpu' }, /backend: must be one of/],
      ['runtime 7', { runtime: 7 }, /runtime: must be one of auto, tfjs, onnx/],
      ['duplicate key', '{"maxExemplars": 4, "maxExemplars": 5}', /names key "maxExemplars" twice/],
      ['nested duplicate key', '{"bootstrap": {"resamples": 10, "resamples": 1e9}}', /names key "resamples" twice in bootstrap/],
    ];
    for (const [what, extra, message] of cases) {
      const config = predictionsConfig(dir, typeof extra === 'string' ? {} : extra);
      if (typeof extra === 'string') writeFileSync(config, `{${extra.slice(1, -1)}, ${readFileSync(config, 'utf8').slice(1)}`);
      const r = await runCliInProcess(['audit', config, '--out', join(dir, 'out'), '--quiet']);
      expect(r.code, what).toBe(2);
      expect(r.stderr, what).toMatch(message);
    }
    for (const shards of ['0x10', '1e1', '+4', ' 4', '4.0', '', '0', '10001']) {
      const r = await runCliInProcess(['plan', '--demo', '--shards', shards, '--out', join(dir, 'plan')]);
      expect(r.code, shards).toBe(2);
      expect(r.stderr, shards).toMatch(/--shards must be an integer from 1 to 10000/);
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a gzipped config expanding past the cap is a typed error, read without expanding it whole', () => {
    const dir = fresh('bomb');
    const file = join(dir, 'bomb.json.gz');
    // 24 gzip members of 64 MiB of spaces each: 1.5 GiB once expanded, about 1.5 MB on disk.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    writeFileSync(file, Buffer.concat(Array.from({ length: 24 }, () => member)));
    const before = process.memoryUsage().rss;
    let error: unknown;
    try {
      readJsonFile(file, 'config file');
    } catch (e) {
      error = e;
    }
    expect(isPieAuditError(error, 'CONFIG_ERROR') || isPieAuditError(error, 'CORRUPT_FILE')).toBe(true);
    expect((error as Error).message).toMatch(/larger than 16777216 bytes once decompressed/);
    // The reader's memory is bounded by the cap (16 MiB), not by the 1 GiB the file expands to.
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });

  it('duplicateJsonKey finds exactly the objects with a repeated key (checked against a reference count)', () => {
    const obj = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', '__proto__', 'é', 'a\\"'),
      fc.oneof(fc.integer(), fc.string({ maxLength: 3 })),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(fc.array(obj, { maxLength: 3 }), fc.boolean(), (objects, duplicate) => {
        const parts = objects.map((o) => JSON.stringify(o));
        let text = `{"list": [${parts.join(',')}], "z": 1}`;
        if (duplicate) text = text.replace(/}$/, ', "z": 2}');
        expect(duplicateJsonKey(text) !== undefined).toBe(duplicate);
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });
});

describe('names on the terminal and in CI logs are escaped', () => {
  const hostile = [
    'cat\n::error::injected',
    'dog\r\n::add-mask::secret',
    '\u001b[2J\u001b[31mred',
    '50%0A::warning::x',
    '##[error]old form',
    '\u202eevil\u2028next',
  ];

  it('under GITHUB_ACTIONS=true and outside it, audit and gate print no injected line, ESC or command', async () => {
    const dir = fresh('names');
    const config = predictionsConfig(dir, {
      classNames: hostile.slice(0, 3),
      gates: { maxPieRate: { '0.5': 0 } },
    });
    writeFileSync(join(dir, 'gates.json'), JSON.stringify({ maxPieRate: { '0.5': 0 } }));
    const { runCli } = await import('../../src/cli/run-cli.js');
    for (const env of [{ GITHUB_ACTIONS: 'true' }, {}]) {
      let stdout = '';
      let stderr = '';
      const stream = { write: (t: string) => ((stderr += t), true), isTTY: false } as unknown as NodeJS.WriteStream;
      const code = await runCli(['audit', config, '--out', join(dir, `out-${Object.keys(env).length}`)], {
        stdout: (t) => (stdout += t),
        stderr: stream,
        env,
      });
      expect([1, 3]).toContain(code);
      const report = join(dir, `out-${Object.keys(env).length}`, 'report.json');
      const gated = await runCli(['gate', report, '--gates', join(dir, 'gates.json')], {
        stdout: (t) => (stdout += t),
        stderr: stream,
        env,
      });
      expect([1, 3]).toContain(gated);
      // Every class listed as hurt, so the summary prints each hostile name.
      const saved = JSON.parse(readFileSync(report, 'utf8'));
      saved.levels[1].classImpact = { ...saved.levels[1].classImpact, status: 'ok', hurtClasses: [0, 1, 2] };
      stdout += formatSummary(saved);
      // The rendered report on stdout too.
      for (const format of ['md', 'html'])
        expect(await runCli(['report', report, '--format', format], { stdout: (t) => (stdout += t), stderr: stream, env })).toBe(0);
      for (const line of `${stdout}\n${stderr}`.split('\n')) {
        expect(line).not.toMatch(/\u001b|\r|\u202e|\u2028/);
        expect(line).not.toMatch(/##\[/);
        // The only workflow commands are the gate annotations pie-audit writes itself.
        if (/^\s*::/.test(line)) expect(line).toMatch(/^::(error|warning) title=[^\n]*::/);
        expect(line).not.toMatch(/^\s*::(add-mask|warning::x|error::injected)/);
      }
      expect(stdout).toContain('cat\\x0a:\\x3aerror:\\x3ainjected');
      expect(stdout).toContain('\\x1b[2J\\x1b[31mred');
    }
  });

  it('an error message quoting a path with a newline and a command stays one escaped line', async () => {
    const r = await runCliInProcess(['audit', '/nonexistent/a\n::error::x\u001b[2J.json', '--out', fresh('err')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\u001b|^::/m);
  });

  it('fuzzed names: terminalName and terminalLine leave no control character, line break or command start', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('\n', '\r', '\u001b', ':', '%', '#', '[', '\u0085', '\u2028', '\u202e', '\t'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 20,
    });
    let runs = 0;
    fc.assert(
      fc.property(text, text, (name, line) => {
        runs++;
        for (const out of [terminalName(name), terminalLine(`${line}${terminalName(name)}`), terminalLine(name)]) {
          expect(out).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
          expect(out).not.toMatch(/^\s*:/);
          expect(out).not.toMatch(/##\[/);
        }
        expect(terminalName(name)).not.toMatch(/::|%(?!25)/);
      }),
      { seed: FUZZ_SEED, numRuns: 500 },
    );
    expect(runs).toBe(500);
  });
});
