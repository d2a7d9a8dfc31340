import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditReport } from '../../src/schema/index.js';
import { isAuditResult, type AuditResult } from '../../src/report/audit-result.js';
import { demoRecipe, type DemoRecipe } from '../../src/distribute/demo-recipe.js';
import { distributeModule } from '../../src/distribute/module-paths.js';
import { repoRoot } from '../cli/cli-helpers.js';

/** A demo recipe small enough for tests: 2 seeds, 2 levels, a few hundred images. */
export function tinyDemo(): DemoRecipe {
  return {
    ...demoRecipe({ quick: true }),
    seeds: [1, 2],
    levels: [0, 0.9],
    trainSubset: 1200,
    fineTuneSubset: 400,
    testSubset: 300,
    probabilities: false,
  };
}

export const tinyDemoRef = () => ({ module: distributeModule('demo-recipe'), params: tinyDemo() });

/**
 * The report (of a report or an audit result) without what may differ between runs (timings, timestamps) and the
 * latencies, which are measurements (a merge's come from its jobs' runners).
 */
export function comparable(reportOrResult: AuditReport | AuditResult): Omit<AuditReport, 'generatedAt' | 'timings'> {
  const report = isAuditResult(reportOrResult) ? reportOrResult.report : reportOrResult;
  const { generatedAt: _g, timings: _t, ...rest } = report;
  const { latency: _l, ...config } = rest.config;
  const levels = rest.levels.map(({ latency: _latency, ...level }) => level);
  return JSON.parse(JSON.stringify({ ...rest, config, levels }));
}

export const tempDir = (tag: string) => mkdtempSync(join(tmpdir(), `pie-${tag}-`));

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Debian's redis-server on 127.0.0.1 (a free port, or `onPort`), no persistence, in a temp dir; resolves once it accepts connections. */
export async function startRedis(onPort?: number, extra: readonly string[] = []): Promise<{ url: string; port: number; stop: () => void }> {
  const port = onPort ?? (await freePort());
  const dir = tempDir('redis');
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => child.kill('SIGKILL') };
}

/** The artifact folder the test workers of this process share (a worker writes only to its own --artifacts). */
export const workerArtifacts = tempDir('worker-artifacts');

/**
 * A `pie-audit worker` process (its own process group, so SIGKILL takes its sandboxed children too), with
 * {@link workerArtifacts} as its folder and the failing test recipe among the modules it may run.
 */
export function startWorker(url: string, lockMs = 2000, extra: readonly string[] = []) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      `${repoRoot}src/cli/main.ts`,
      'worker',
      '--queue',
      url,
      '--lock-duration',
      String(lockMs),
      '--artifacts',
      workerArtifacts,
      '--recipe',
      `${repoRoot}test/fixtures/recipes/failing-recipe.mjs`,
      ...extra,
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    },
  );
  let log = '';
  const watchers: Array<() => void> = [];
  const append = (d: unknown) => {
    log += String(d);
    for (const w of [...watchers]) w();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  const kill = () => signal('SIGKILL');
  return {
    child,
    log: () => log,
    kill,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    /**
     * SIGKILLs the worker in the same tick its log (from now on) first matches `pattern`, so a job it
     * has just started cannot finish first however fast it is; resolves with the matched line.
     */
    killWhenLogged: (pattern: RegExp) =>
      new Promise<string>((resolve) => {
        const from = log.length;
        const check = () => {
          const match = log.slice(from).match(pattern);
          if (!match) return;
          kill();
          watchers.splice(watchers.indexOf(check), 1);
          resolve(match[0]);
        };
        watchers.push(check);
      }),
  };
}

/** Resolves once `predicate` holds (checked every 100 ms), rejects after `ms`. */
export async function waitFor(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends one command to Redis (RESP over a socket) and resolves with the first reply line. */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () =>
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`),
    );
    socket.on('data', (d) => {
      socket.end();
      resolve(String(d).split('\r\n')[0]);
    });
    socket.on('error', reject);
  });
}

/**
 * An audit config of real tfjs model files: the tiny demo's fine-tuned models (built by its plan's jobs
 * in this process) and its test images and labels as .npy files. Returns the config path.
 */
export async function tinyModelConfig(dir: string): Promise<string> {
  const { planFromRecipe } = await import('../../src/distribute/plan.js');
  const { runShard } = await import('../../src/distribute/run-shard.js');
  const { artifactStore } = await import('../../src/distribute/artifacts.js');
  const { loadRecipe } = await import('../../src/distribute/recipe.js');
  const { encodeNpy } = await import('../../src/data/npy.js');
  const { writeFileSync } = await import('node:fs');
  const plan = await planFromRecipe(tinyDemoRef(), 'auto', 1);
  const artifacts = join(dir, 'models');
  await runShard(plan, 0, { artifacts, loadConfig: () => ({}) as never });
  const store = artifactStore(artifacts);
  const population: Record<string, string[]> = {};
  for (const job of plan.jobs)
    if (job.kind === 'fineTune') (population[String(job.level)] ??= []).push(join(store.modelDir(job.id), 'model.json'));
  const { testSet, classNames } = (await loadRecipe(tinyDemoRef())).audit;
  const n = testSet.labels!.length;
  writeFileSync(join(dir, 'images.npy'), encodeNpy(testSet.inputs, [n, 28, 28, 1]));
  writeFileSync(join(dir, 'labels.npy'), encodeNpy(Int32Array.from(testSet.labels as ArrayLike<number>), [n]));
  const config = join(dir, 'audit.json');
  writeFileSync(
    config,
    JSON.stringify({
      population,
      testSet: { inputs: 'images.npy', labels: 'labels.npy' },
      classNames,
      maxExemplars: 4,
      gates: { maxPieRate: { '0.9': 0.5 } },
    }),
  );
  return config;
}
