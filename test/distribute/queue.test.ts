import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../src/schema/index.js';
import { runDemo } from '../../src/cli/demo.js';
import { planFromRecipe } from '../../src/distribute/plan.js';
import { distributeModule } from '../../src/distribute/module-paths.js';
import { runPlanOnQueue } from '../../src/distribute/queue/run-on-queue.js';
import { QUEUE_NAME } from '../../src/distribute/queue/queue-names.js';
import { QueueEvents } from 'bullmq';
import { repoRoot, runCliInProcess, runCliProcess } from '../cli/cli-helpers.js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseNpy } from '../../src/data/parse-npy.js';
import { encodePng } from '../../src/data/png.js';
import { join } from 'node:path';
import {
  comparable,
  freePort,
  redisCommand,
  startRedis,
  startWorker,
  tempDir,
  tinyDemo,
  tinyDemoRef,
  tinyModelConfig,
  waitFor,
  workerArtifacts,
} from './helpers.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';

// Real parts only: Debian's redis-server, BullMQ workers as `pie-audit worker` processes on loopback. Skips without
// redis-server (npm test's last line says so); CI sets PIE_AUDIT_REQUIRE_REDIS=1, which makes that an error.
const hasRedis = optionalSuite(OPTIONAL_SUITES.redis);
const quiet = { update() {}, log() {}, done() {} };
let reference: AuditReport;
let redis: Awaited<ReturnType<typeof startRedis>>;
const workers: Array<ReturnType<typeof startWorker>> = [];
const redisServers: Array<Awaited<ReturnType<typeof startRedis>>> = [];

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis();
  workers.push(startWorker(redis.url), startWorker(redis.url));
  reference = await runDemo({ out: tempDir('qref'), recipe: tinyDemo(), progress: quiet, print: () => {} });
  await waitFor(
    () => workers.every((w) => w.log().includes('ready on')),
    120_000,
    `two workers (${workers.map((w) => w.log()).join(' | ')})`,
  );
});

afterAll(() => {
  for (const w of workers) w.kill();
  redis?.stop();
  for (const r of redisServers) r.stop();
});

describe.skipIf(!hasRedis)('BullMQ executor on real Redis', () => {
  it('two workers produce the report of the in-process run; one worker killed mid-run: its job is retried, same report', async () => {
    const plan = await planFromRecipe(tinyDemoRef(), 'auto', 1);
    const progress: number[] = [];
    const report = await runPlanOnQueue(plan, { url: redis.url, artifacts: tempDir('qa'), onProgress: (done) => progress.push(done) });
    expect(comparable(report)).toEqual(comparable(reference));
    expect(progress.at(-1)).toBe(plan.jobs.length + 1);
    expect(workers.every((w) => /done /.test(w.log()))).toBe(true);

    // Fresh queue and artifacts: nothing done yet. Worker 1 is paused (SIGSTOP), so worker 0 takes the first
    // job; it is SIGKILLed (with its sandboxed child) the moment it starts it. Worker 1 then resumes and must
    // find the stalled job once worker 0's lock expires, retry it and finish the run.
    expect(await redisCommand(redis.port, 'FLUSHALL')).toBe('+OK');
    // The workers write to their own --artifacts (never the submitter's): emptied, so every job runs again.
    rmSync(workerArtifacts, { recursive: true, force: true });
    mkdirSync(workerArtifacts, { recursive: true });
    const stalled: string[] = [];
    const events = new QueueEvents(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    await events.waitUntilReady();
    workers[1].pause();
    const killedMidJob = workers[0].killWhenLogged(/start \S+ seed \S+.*\n/);
    const running = runPlanOnQueue(plan, { url: redis.url, artifacts: tempDir('qb') });
    try {
      expect(await killedMidJob).toMatch(/^start train seed/);
    } finally {
      workers[1].resume();
    }
    const killed = await running;
    await events.close();
    expect(stalled.length).toBeGreaterThan(0);
    expect(comparable(killed)).toEqual(comparable(reference));
  });

  it('the fromScratch regime with random controls runs as scratch jobs: the report of the in-process run', async () => {
    const recipe = { ...tinyDemo(), regime: 'fromScratch' as const, randomControl: true };
    const inProcess = await runDemo({ out: tempDir('qscratchref'), recipe, workers: 1, progress: quiet, print: () => {} });
    const plan = await planFromRecipe({ module: distributeModule('demo-recipe'), params: recipe }, 'auto', 1);
    expect(plan.jobs.some((j) => j.kind === 'scratch')).toBe(true);
    const report = await runPlanOnQueue(plan, { url: redis.url, artifacts: tempDir('qscratch') });
    expect(comparable(report)).toEqual(comparable(inProcess));
  });

  it('audit <config> --queue writes the report of pie-audit audit, also with each model evaluated in ranges', async () => {
    const dir = tempDir('qcfg');
    const config = await tinyModelConfig(dir);
    const direct = await runCliInProcess(['audit', config, '--out', join(dir, 'direct'), '--quiet']);
    const queued = await runCliInProcess(['audit', config, '--queue', redis.url, '--out', join(dir, 'queued'), '--quiet']);
    expect(queued.code).toBe(direct.code);
    const read = (d: string) => JSON.parse(readFileSync(join(dir, d, 'report.json'), 'utf8')) as AuditReport;
    expect(comparable(read('queued'))).toEqual(comparable(read('direct')));
    // The full PIE list travels back from the merge job with the report: the same pies.csv and pies.arrow.
    for (const name of ['pies.csv', 'pies.arrow'])
      expect(readFileSync(join(dir, 'queued', name)).equals(readFileSync(join(dir, 'direct', name))), name).toBe(true);
    // Each model evaluated in 3 jobs of at most 100 of the 300 test images, joined by the merge.
    const ranged = await runCliInProcess([
      'audit',
      config,
      '--queue',
      redis.url,
      '--examples-per-job',
      '100',
      '--out',
      join(dir, 'ranged'),
      '--quiet',
    ]);
    expect(ranged.code).toBe(direct.code);
    expect(comparable(read('ranged'))).toEqual(comparable(read('direct')));
  });

  it('audit <image folder config> --queue: workers decode the images themselves, the report is that of pie-audit audit', async () => {
    const dir = tempDir('qimg');
    const config = await tinyModelConfig(dir);
    // The tiny demo's test digits as 8-bit PNGs, one folder per class (c0 .. c9, labels from the folders).
    const { data, shape } = parseNpy(readFileSync(join(dir, 'images.npy')), 'images.npy');
    const labels = parseNpy(readFileSync(join(dir, 'labels.npy')), 'labels.npy').data;
    for (let i = 0; i < shape[0]; i++) {
      const folder = join(dir, 'images', `c${labels[i]}`);
      mkdirSync(folder, { recursive: true });
      const pixels = Uint8Array.from((data as Float32Array).subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
      writeFileSync(join(folder, `${String(i).padStart(4, '0')}.png`), encodePng(pixels, 28, 28, 1));
    }
    const options = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    const images = join(dir, 'images.json');
    writeFileSync(
      images,
      JSON.stringify({
        ...options,
        testSet: { images: 'images', preprocess: { size: 28, resize: 'exact', layout: 'nhwc', channels: 1 } },
      }),
    );
    const direct = await runCliInProcess(['audit', images, '--out', join(dir, 'direct'), '--quiet']);
    expect(direct.stderr).toBe('');
    const read = (d: string) => JSON.parse(readFileSync(join(dir, d, 'report.json'), 'utf8')) as AuditReport;
    expect(read('direct').testSet.preprocess).toMatchObject({ channels: 1, layout: 'nhwc' });
    for (const [out, extra] of [
      ['queued', []],
      ['ranged', ['--examples-per-job', '120']],
    ] as const) {
      const queued = await runCliInProcess(['audit', images, '--queue', redis.url, ...extra, '--out', join(dir, out), '--quiet']);
      expect(queued.stderr).toBe('');
      expect(queued.code).toBe(direct.code);
      expect(comparable(read(out))).toEqual(comparable(read('direct')));
    }
  });

  it('a job that fails 3 times fails the audit, naming the job and its error', async () => {
    const dir = tempDir('qfail');
    const module = `${repoRoot}test/fixtures/recipes/failing-recipe.mjs`;
    const plan = await planFromRecipe({ module, params: {} }, 'auto', 1);
    await expect(runPlanOnQueue(plan, { url: redis.url, artifacts: dir, lostConnectionMs: 5000 })).rejects.toThrow(
      /job train seed 7 \(train-[0-9a-f]+\) failed after 3 attempts: no GPU in this recipe/,
    );
  });

  it('Redis lost mid-run: the submitter fails with one clear error, no report', async () => {
    const own = await startRedis();
    const plan = await planFromRecipe(tinyDemoRef(), 'auto', 1);
    // No worker listens on this Redis, so the run is still waiting when Redis goes away.
    const running = runPlanOnQueue(plan, { url: own.url, artifacts: tempDir('qlost'), lostConnectionMs: 1000 });
    await new Promise((r) => setTimeout(r, 1500));
    own.stop();
    await expect(running).rejects.toThrow(
      new RegExp(`lost the connection to Redis at redis://127.0.0.1:${own.port} .*no report was written`),
    );
  });

  it('Redis restarted without persistence mid-run: the submitter resubmits the lost jobs and writes the same report', async () => {
    const own = await startRedis();
    // Its own artifact folder: jobs the other tests' workers finished must run again here.
    const worker = startWorker(own.url, 2000, ['--artifacts', tempDir('qrestart-worker')]);
    // afterAll stops them too, should this test time out before its finally runs.
    workers.push(worker);
    redisServers.push(own);
    let restarted: Awaited<ReturnType<typeof startRedis>> | undefined;
    try {
      await waitFor(() => worker.log().includes('ready on'), 120_000, `a worker (${worker.log()})`);
      const plan = await planFromRecipe(tinyDemoRef(), 'auto', 1);
      const notices: string[] = [];
      const running = runPlanOnQueue(plan, { url: own.url, artifacts: tempDir('qrestart'), onNotice: (l) => notices.push(l) });
      // Once the first baseline is trained, Redis dies and comes back empty on the same port within a second.
      await waitFor(() => /done train seed/.test(worker.log()), 120_000, 'the first train job');
      own.stop();
      restarted = await startRedis(own.port);
      redisServers.push(restarted);
      const report = await running;
      expect(comparable(report)).toEqual(comparable(reference));
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/lost the queued jobs .*resubmitting them/);
    } finally {
      worker.kill();
      restarted?.stop();
      own.stop();
    }
  });

  it('Redis unreachable: one clear line and exit 2', async () => {
    const port = await freePort();
    const result = runCliProcess(['demo', '--quick', '--queue', `redis://127.0.0.1:${port}`, '--out', tempDir('qnone'), '--quiet'], {
      timeout: 60_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`pie-audit: error: cannot reach Redis at redis://127.0.0.1:${port} \\(ECONNREFUSED\\)`));
  });
});
