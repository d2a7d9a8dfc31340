/**
 * Planted jobs on a real Redis (Debian's redis-server with a password): a queue message is data, so a
 * worker runs only the recipe modules its operator named, builds paths only from checked content-hash ids,
 * writes only to its own --artifacts folder, and prints job names escaped.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuditConfig } from '../../src/audit/audit-config.js';
import { encodeNpy } from '../../src/data/npy.js';
import { planFromConfig } from '../../src/distribute/plan.js';
import { QUEUE_NAME } from '../../src/distribute/queue/queue-names.js';
import { assertRedisReachable, parseRedisUrl, redisAddress } from '../../src/distribute/queue/redis-url.js';
import { runPlanOnQueue } from '../../src/distribute/queue/run-on-queue.js';
import { isPieAuditError } from '../../src/errors.js';
import { runCliInProcess, runCliProcess } from '../cli/cli-helpers.js';
import { comparable, freePort, startRedis, startWorker, tempDir, waitFor } from './helpers.js';
import { OPTIONAL_SUITES, optionalSuite } from '../optional-suites.js';

const password = 's3cr:t@/%pw';
let redis: Awaited<ReturnType<typeof startRedis>>;
let worker: ReturnType<typeof startWorker>;
let url: string;
let queue: Queue;
const root = tempDir('trust-queue');
const workerDir = join(root, 'worker-artifacts');

/** A config of .npy predictions files (3 classes, 2 levels of 3 members, 45 examples). */
function predictionsConfig(dir: string): string {
  const n = 45;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  writeFileSync(join(dir, 'labels.npy'), encodeNpy(labels, [n]));
  const population: Record<string, string[]> = { '0': [], '0.5': [] };
  for (const [level, flips] of [
    ['0', 0],
    ['0.5', 7],
  ] as const) {
    for (let m = 0; m < 3; m++) {
      const file = join(dir, `p${level}-${m}.npy`);
      writeFileSync(
        file,
        encodeNpy(
          Int32Array.from(labels, (y, i) => (i < flips + m ? (y + 1) % 3 : y)),
          [n],
        ),
      );
      population[level].push(file);
    }
  }
  const config = join(dir, 'audit.json');
  writeFileSync(
    config,
    JSON.stringify({ population, testSet: { labels: 'labels.npy' }, classNames: ['a', 'b', 'c'], bootstrap: { resamples: 50 } }),
  );
  return config;
}

/** Adds one job as any Redis client could, and resolves with its failure reason (or 'completed'). */
async function planted(name: string, data: unknown): Promise<string> {
  const job = await queue.add(name, data as never, { attempts: 1, jobId: `planted-${Math.random().toString(16).slice(2)}` });
  for (;;) {
    const state = await job.getState();
    if (state === 'failed') return (await queue.getJob(job.id!))?.failedReason ?? 'failed';
    if (state === 'completed') return 'completed';
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Skips without redis-server (npm test's last line says so); CI sets PIE_AUDIT_REQUIRE_REDIS=1, which makes that an error.
const hasRedis = optionalSuite(OPTIONAL_SUITES.redis);

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis(undefined, ['--requirepass', password]);
  url = `redis://:${encodeURIComponent(password)}@127.0.0.1:${redis.port}`;
  worker = startWorker(url, 2000, ['--artifacts', workerDir]);
  queue = new Queue(QUEUE_NAME, { connection: { ...parseRedisUrl(url), maxRetriesPerRequest: null } });
  await waitFor(() => worker.log().includes('ready on'), 120_000, `a worker (${worker.log()})`);
});

afterAll(async () => {
  await queue?.close();
  worker?.kill();
  redis?.stop();
});

describe.skipIf(!hasRedis)('a queue is data: planted jobs on a password-protected Redis', () => {
  it('a config plan over redis://:password@ gives the in-process report; the worker writes only to its own --artifacts', async () => {
    const dir = tempDir('trust-cfg');
    const config = predictionsConfig(dir);
    const direct = await runCliInProcess(['audit', config, '--out', join(dir, 'direct'), '--quiet']);
    const plan = await planFromConfig(config, loadAuditConfig(config).options, 1);
    const elsewhere = join(dir, 'named-by-the-submitter');
    const { report } = await runPlanOnQueue(plan, { url, artifacts: elsewhere });
    const expected = JSON.parse(readFileSync(join(dir, 'direct', 'report.json'), 'utf8'));
    expect(comparable({ ...report, environment: null } as never)).toEqual(comparable({ ...expected, environment: null }));
    expect(report.exitCode).toBe(direct.code);
    expect(existsSync(elsewhere)).toBe(false);
    expect(readdirSync(workerDir).filter((f) => f.startsWith('evaluate-'))).toHaveLength(plan.merge.needs.length);
    // The worker's log names the server without the password.
    expect(worker.log()).not.toContain(password);
    expect(worker.log()).toContain(`ready on redis://127.0.0.1:${redis.port}`);
  });

  it('a train job naming a planted recipe module fails, typed; the module is never imported', async () => {
    const dir = tempDir('trust-planted');
    const marker = join(dir, 'planted-code-ran');
    const module = join(dir, 'planted.mjs');
    writeFileSync(
      module,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport function createRecipe() { return {}; }\n`,
    );
    const sha256 = createHash('sha256').update(readFileSync(module)).digest('hex');
    const source = { kind: 'recipe', recipe: { module, params: {}, sha256 }, runtime: 'auto' };
    const reasons = [
      await planted('train seed 1', { job: { kind: 'train', id: `train-${'1'.repeat(24)}`, source, seed: 1, needs: [] }, artifacts: dir }),
      await planted('train seed 2', {
        job: { kind: 'train', id: `train-${'2'.repeat(24)}`, source: { ...source, recipe: { module, params: {} } }, seed: 2, needs: [] },
        artifacts: dir,
      }),
      await planted('fineTune', {
        job: { kind: 'fineTune', id: `fineTune-${'3'.repeat(24)}`, source, seed: 1, level: 0.5, needs: [`train-${'1'.repeat(24)}`] },
        artifacts: dir,
      }),
    ];
    expect(reasons[0]).toMatch(/names recipe module .*planted\.mjs.*which this runner was not given; start it with --recipe/);
    expect(reasons[1]).toMatch(/without its content hash/);
    expect(reasons[2]).toMatch(/which this runner was not given/);
    expect(existsSync(marker)).toBe(false);
  });

  it('ids that are not content hashes, malformed jobs and duplicate merge members are refused; nothing lands outside the folder', async () => {
    const source = { kind: 'config', config: join(root, 'none.json') };
    const cases: Array<[unknown, RegExp]> = [
      [{ job: { kind: 'train', id: '../../X', source, seed: 1, needs: [] } }, /"\.\.\/\.\.\/X" is not a pie-audit train id/],
      [
        { job: { kind: 'evaluate', id: `evaluate-${'4'.repeat(24)}`, source, model: { job: '../../../etc' }, needs: [] } },
        /model\.job: .* is not a pie-audit job id/,
      ],
      [{ job: { kind: 'rm -rf', id: 'x', needs: [] } }, /unknown kind/],
      ['just a string', /is not a job object/],
      [
        {
          job: {
            kind: 'merge',
            id: `merge-${'5'.repeat(24)}`,
            source,
            needs: [],
            members: [
              { job: `evaluate-${'6'.repeat(24)}`, level: '0', memberId: 'a' },
              { job: `evaluate-${'6'.repeat(24)}`, level: '0', memberId: 'b' },
            ],
          },
        },
        /listed twice in members/,
      ],
    ];
    for (const [data, reason] of cases) expect(await planted('planted', data)).toMatch(reason);
    expect(existsSync(join(workerDir, '..', '..', 'X'))).toBe(false);
    expect(existsSync(join(workerDir, '..', 'X'))).toBe(false);
  });

  it('a job name with newlines, ESC and workflow commands reaches the worker log escaped', async () => {
    const from = worker.log().length;
    await planted('evil\n::error::injected\u001b[2J##[warning]x', 'not a job');
    await waitFor(() => worker.log().slice(from).includes('failed'), 30_000, 'the failure line');
    const log = worker.log().slice(from);
    expect(log).not.toMatch(/\u001b/);
    expect(log).not.toMatch(/^\s*::/m);
    expect(log).not.toMatch(/##\[/);
    // One line per event: the name's newline is shown as \x0a, so its '::error::' never starts a line.
    expect(log).toContain('start evil\\x0a::error::injected\\x1b[2J#\\x23[warning]x');
  });

  it('a wrong password or no --artifacts: one typed error that never shows the password', async () => {
    const wrong = parseRedisUrl(`redis://:wrong-${encodeURIComponent(password)}@127.0.0.1:${redis.port}`);
    const error = await assertRedisReachable(wrong).catch((e: unknown) => e);
    expect(isPieAuditError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).not.toContain(password);
    const noArtifacts = await runCliInProcess(['worker', '--queue', url]);
    expect(noArtifacts.code).toBe(2);
    expect(noArtifacts.stderr).toMatch(/worker needs --artifacts <dir>/);
    expect(noArtifacts.stderr).not.toContain(password);
  });

  it('rediss:// URLs carry TLS; messages show neither scheme mistakes nor passwords', () => {
    const tls = parseRedisUrl('rediss://user:pa%40ss@queue.example:6380/2');
    expect(tls).toEqual({
      host: 'queue.example',
      port: 6380,
      db: 2,
      username: 'user',
      password: 'pa@ss',
      tls: { servername: 'queue.example' },
    });
    expect(redisAddress(tls)).toBe('rediss://queue.example:6380');
    for (const bad of ['http://:pw@host:1', 'redis://:pw@host:1/x', 'redis://:pw@host:1/0x1', 'not a url']) {
      let message = '';
      try {
        parseRedisUrl(bad);
      } catch (e) {
        expect(isPieAuditError(e, 'INVALID_ARGUMENT')).toBe(true);
        message = (e as Error).message;
      }
      expect(message, bad).not.toBe('');
      expect(message).not.toContain(':pw');
    }
  });
});

/** A throwaway CA and a server certificate for 127.0.0.1, made with openssl in `dir`. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const at = (f: string) => join(dir, f);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=pie-audit test CA',
  ]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(at('ext'), 'subjectAltName=IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.pem'),
    '-days',
    '1',
    '-extfile',
    at('ext'),
  ]);
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server.key') };
}

describe.skipIf(!hasRedis)('rediss:// on a real TLS Redis with a password', () => {
  it('a worker and a submitter trusting the CA run the audit over TLS; without the CA it is one typed error', async () => {
    const dir = tempDir('trust-tls');
    const { ca, cert, key } = makeCertificates(dir);
    const port = await freePort();
    const tls = await startRedis(undefined, [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      cert,
      '--tls-key-file',
      key,
      '--tls-ca-cert-file',
      ca,
      '--tls-auth-clients',
      'no',
      '--requirepass',
      password,
    ]);
    const tlsUrl = `rediss://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    const untrusted = await assertRedisReachable(parseRedisUrl(tlsUrl)).catch((e: unknown) => e);
    expect(isPieAuditError(untrusted, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((untrusted as Error).message).toMatch(/cannot reach Redis at rediss:\/\/127\.0\.0\.1/);
    const previous = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = ca;
    const tlsWorker = startWorker(tlsUrl, 2000, ['--artifacts', join(dir, 'artifacts')]);
    try {
      await waitFor(() => tlsWorker.log().includes('ready on'), 120_000, `a TLS worker (${tlsWorker.log()})`);
      expect(tlsWorker.log()).toContain(`ready on rediss://127.0.0.1:${port}`);
      const config = predictionsConfig(dir);
      const queued = runCliProcess(['audit', config, '--queue', tlsUrl, '--out', join(dir, 'queued'), '--quiet'], { timeout: 120_000 });
      const direct = await runCliInProcess(['audit', config, '--out', join(dir, 'direct'), '--quiet']);
      expect(queued.stderr).toBe('');
      expect(queued.code).toBe(direct.code);
      const read = (d: string) => {
        const { environment: _e, ...rest } = comparable(JSON.parse(readFileSync(join(dir, d, 'report.json'), 'utf8')));
        return rest;
      };
      expect(read('queued')).toEqual(read('direct'));
      expect(`${tlsWorker.log()}${queued.stdout}${queued.stderr}`).not.toContain(password);
    } finally {
      if (previous === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = previous;
      tlsWorker.kill();
      tls.stop();
    }
  });
});
