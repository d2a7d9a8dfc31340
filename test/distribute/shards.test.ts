import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../src/schema/index.js';
import { runDemo } from '../../src/cli/demo.js';
import { planFromRecipe, shardJobs, testRanges } from '../../src/distribute/plan.js';
import { buildPopulationLocally } from '../../src/distribute/build-population-locally.js';
import { disposePopulation } from '../../src/population/population.js';
import { writePlan } from '../../src/distribute/plan-files.js';
import { shardIndex } from '../../src/distribute/shard-index.js';
import { runCliInProcess } from '../cli/cli-helpers.js';
import { comparable, tempDir, tinyDemo, tinyDemoRef, tinyModelConfig } from './helpers.js';

const quiet = { update() {}, log() {}, done() {} };
let reference: AuditReport;

beforeAll(async () => {
  reference = await runDemo({ out: tempDir('ref'), recipe: tinyDemo(), workers: 1, progress: quiet, print: () => {} });
});

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as AuditReport;

describe('plan / run-shard / merge', () => {
  it('merges two shards into the report of the unsharded run, and a shard run twice changes nothing', async () => {
    const dir = tempDir('plan');
    const plan = await planFromRecipe(tinyDemoRef(), 'auto', 2);
    expect(plan.jobs).toHaveLength(2 * (1 + 2 * 2));
    await writePlan(plan, dir);

    const early = await runCliInProcess(['merge', dir, '--out', join(dir, 'early'), '--quiet']);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/run shard\(s\) 0, 1 first/);

    expect((await runCliInProcess(['run-shard', dir, '--index', '0', '--quiet'])).code).toBe(0);
    process.env.JOB_COMPLETION_INDEX = '1';
    try {
      expect((await runCliInProcess(['run-shard', dir, '--quiet'])).code).toBe(0);
    } finally {
      delete process.env.JOB_COMPLETION_INDEX;
    }
    const again = await runCliInProcess(['run-shard', dir, '--index', '0']);
    expect(again.stdout).toMatch(/shard 0: 0 job\(s\) run, 5 already done/);

    expect((await runCliInProcess(['merge', dir, '--out', join(dir, 'out'), '--quiet'])).code).toBe(0);
    expect(comparable(readReport(join(dir, 'out')))).toEqual(comparable(reference));
  });

  it('a config of model files: plan / run-shard / merge writes the report of pie-audit audit', async () => {
    const dir = tempDir('cfg');
    const config = await tinyModelConfig(dir);
    const direct = await runCliInProcess(['audit', config, '--out', join(dir, 'direct'), '--quiet']);
    expect(direct.code).toBe(0);
    expect((await runCliInProcess(['plan', config, '--shards', '3', '--out', join(dir, 'plan'), '--quiet'])).code).toBe(0);
    for (const index of ['0', '1', '2'])
      expect((await runCliInProcess(['run-shard', join(dir, 'plan'), '--index', index, '--quiet'])).code).toBe(0);
    const merged = await runCliInProcess(['merge', join(dir, 'plan'), '--out', join(dir, 'merged'), '--quiet']);
    expect(merged.code).toBe(direct.code);
    const report = readReport(join(dir, 'merged'));
    expect(report.environment.runtimes).toEqual(readReport(join(dir, 'direct')).environment.runtimes);
    expect(comparable(report)).toEqual(comparable(readReport(join(dir, 'direct'))));
  });

  it('--examples-per-job: each model evaluated in ranges of the test set on several shards; the merge is the report of pie-audit audit, probabilities included', async () => {
    const dir = tempDir('ranges');
    const base = JSON.parse(readFileSync(await tinyModelConfig(dir), 'utf8'));
    const config = join(dir, 'audit-probabilities.json');
    writeFileSync(config, JSON.stringify({ ...base, probabilities: true }));
    const direct = await runCliInProcess(['audit', config, '--out', join(dir, 'direct'), '--quiet']);
    expect(direct.code).toBe(0);
    const planDir = join(dir, 'plan');
    const planned = await runCliInProcess(['plan', config, '--shards', '2', '--examples-per-job', '128', '--out', planDir]);
    expect(planned.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(planDir, 'plan.json'), 'utf8'));
    const members = Object.values(base.population as Record<string, string[]>).flat().length;
    // 300 test images in ranges of 128: 0-128, 128-256, 256-300.
    expect(plan.jobs).toHaveLength(members * 3);
    expect(plan.jobs.map((j: { range: number[] }) => j.range.join('-')).slice(0, 3)).toEqual(['0-128', '128-256', '256-300']);
    expect(plan.merge.members).toHaveLength(members);
    for (const index of ['0', '1']) expect((await runCliInProcess(['run-shard', planDir, '--index', index, '--quiet'])).code).toBe(0);
    const merged = await runCliInProcess(['merge', planDir, '--out', join(dir, 'merged'), '--quiet']);
    expect(merged.code).toBe(direct.code);
    const report = readReport(join(dir, 'merged'));
    expect(report.levels.every((l) => l.topK.status === 'ok')).toBe(true);
    expect(comparable(report)).toEqual(comparable(readReport(join(dir, 'direct'))));
    // Each level's latency was measured by its first member's first job, on that runner, named with it.
    for (const level of report.levels) {
      expect(level.latency).toMatchObject({ status: 'ok', source: 'measured', models: 1, machine: { cores: expect.any(Number) } });
      expect(level.latency?.status === 'ok' && level.latency.batch1Ms).toBeGreaterThan(0);
    }
    expect(readFileSync(join(dir, 'merged', 'report.md'), 'utf8')).toMatch(
      /Measured by the evaluate jobs that ran the models: level 0 on /,
    );
    // A result whose latency was tampered with (a control character in the machine's name) is refused, naming the job.
    const first = plan.merge.members[0].parts[0] as string;
    const resultFile = join(planDir, 'artifacts', `${first}.json`);
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    writeFileSync(resultFile, JSON.stringify({ ...result, latency: { ...result.latency, machine: { cpuModel: '\u001b[2Jx', cores: 2 } } }));
    const tampered = await runCliInProcess(['merge', planDir, '--out', join(dir, 'tampered'), '--quiet']);
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toContain(`result of evaluate job ${first}: its latency is not a measured latency`);

    const zero = await runCliInProcess(['plan', config, '--examples-per-job', '0', '--out', join(dir, 'bad')]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--examples-per-job must be a positive integer; got '0'/);
    const demo = await runCliInProcess(['plan', '--demo', '--examples-per-job', '100', '--out', join(dir, 'bad')]);
    expect(demo.code).toBe(2);
    const unqueued = await runCliInProcess(['audit', config, '--examples-per-job', '100', '--out', join(dir, 'bad')]);
    expect(unqueued.stderr).toMatch(/add --queue/);
  });

  it('plan --demo writes plan.json and one spec per shard; bad --shards is a usage error', async () => {
    const dir = tempDir('plancli');
    const ok = await runCliInProcess(['plan', '--demo', '--quick', '--shards', '3', '--out', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/14 jobs in 3 shard/);
    const spec = JSON.parse(readFileSync(join(dir, 'shard-2.json'), 'utf8'));
    expect(spec).toMatchObject({ index: 2, of: 3 });
    const own = await runCliInProcess([
      'plan',
      '--recipe',
      'test/fixtures/recipes/failing-recipe.mjs',
      '--shards',
      '2',
      '--out',
      join(dir, 'own'),
    ]);
    expect(own.stdout).toMatch(/5 jobs in 2 shard/);
    const bad = await runCliInProcess(['plan', '--demo', '--shards', '0', '--out', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shards must be an integer/);
  });
});

describe('population building on local workers', () => {
  it('two worker threads build the same population as one thread: the demo report is identical', async () => {
    const threaded = await runDemo({ out: tempDir('threads'), recipe: tinyDemo(), workers: 2, progress: quiet, print: () => {} });
    expect(comparable(threaded)).toEqual(comparable(reference));
  });

  it('forked worker processes build the same models as worker threads', async () => {
    const [threads, processes] = [
      await buildPopulationLocally(tinyDemoRef(), 2, undefined, 'threads'),
      await buildPopulationLocally(tinyDemoRef(), 2, undefined, 'processes'),
    ];
    try {
      expect(processes.measuredSparsity).toEqual(threads.measuredSparsity);
      for (const [key, models] of Object.entries(threads.levels)) {
        models.forEach((m, i) =>
          m.getWeights().forEach((w, k) => expect(processes.levels[key][i].getWeights()[k].dataSync()).toEqual(w.dataSync())),
        );
      }
    } finally {
      disposePopulation(threads);
      disposePopulation(processes);
    }
  });
});

describe('shardIndex', () => {
  it('reads --index, then Kubernetes, Slurm and CI variables, and rejects out-of-range indices', () => {
    expect(shardIndex('2', {}, 4)).toBe(2);
    expect(shardIndex(undefined, { JOB_COMPLETION_INDEX: '3' }, 4)).toBe(3);
    expect(shardIndex(undefined, { SLURM_ARRAY_TASK_ID: '1' }, 4)).toBe(1);
    expect(shardIndex(undefined, { PIE_AUDIT_SHARD_INDEX: '0', SLURM_ARRAY_TASK_ID: '1' }, 4)).toBe(0);
    expect(shardIndex(undefined, { CI_NODE_INDEX: '4' }, 4)).toBe(3);
    expect(() => shardIndex(undefined, {}, 4)).toThrow(/needs --index/);
    expect(() => shardIndex('4', {}, 4)).toThrow(/shards 0 to 3/);
    expect(() => shardIndex('x', {}, 4)).toThrow(/--index is 'x'/);
  });
});

describe('shardJobs', () => {
  it('puts every job in exactly one shard, with the jobs it needs, in plan order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        (seeds, levels, count) => {
          const jobs = [];
          for (let s = 0; s < seeds; s++) {
            jobs.push({ kind: 'train', id: `t${s}`, needs: [] });
            for (let l = 0; l < levels; l++)
              jobs.push(
                { kind: 'fineTune', id: `f${s}-${l}`, needs: [`t${s}`] },
                { kind: 'evaluate', id: `e${s}-${l}`, needs: [`f${s}-${l}`] },
              );
          }
          const shards = shardJobs(jobs as never, count);
          expect(shards).toHaveLength(count);
          expect(shards.flat().sort()).toEqual(jobs.map((j) => j.id).sort());
          for (const ids of shards)
            for (const job of jobs.filter((j) => ids.includes(j.id)))
              for (const need of job.needs) expect(ids.indexOf(need)).toBeLessThan(ids.indexOf(job.id));
        },
      ),
      { seed: 11, numRuns: 60 },
    );
  });
});

describe('testRanges', () => {
  it('cuts [0, n) into consecutive ranges of at most k examples, none empty (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 6000 }), (n, k) => {
        const ranges = testRanges(n, k);
        expect(ranges[0][0]).toBe(0);
        expect(ranges.at(-1)![1]).toBe(n);
        ranges.forEach(([a, b], i) => {
          expect(b - a).toBeGreaterThan(0);
          expect(b - a).toBeLessThanOrEqual(k);
          if (i > 0) expect(a).toBe(ranges[i - 1][1]);
        });
        expect(ranges).toHaveLength(Math.ceil(n / k));
      }),
      { seed: 5, numRuns: 200 },
    );
    expect(testRanges(300)).toEqual([[0, 300]]);
    expect(() => testRanges(300, 1.5)).toThrow(/positive integer/);
  });
});
