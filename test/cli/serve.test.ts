/**
 * `pie-audit serve` over plain HTTP (no browser): the panel's predictions equal the models run by hand, bad uploads
 * get their status and message while the server keeps answering, no request reaches a file outside the report folder,
 * the flags are checked, and the CLI process prints its URL and stops cleanly on SIGINT.
 */
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServeModels, type ServeModels } from '../../src/cli/serve/serve-models.js';
import { serveCommand } from '../../src/cli/serve/serve-command.js';
import { type ReportServer, startReportServer } from '../../src/cli/serve/start-report-server.js';
import { loadLayersModelFromFile } from '../../src/engine/index.js';
import { loadKerasModel } from '../../src/engine/keras/load-keras-model.js';
import { loadReport } from '../../src/report/load-report.js';
import { listImageFolder } from '../../src/data/image-test-set.js';
import { decodeImage } from '../../src/data/decode-image.js';
import { encodeNpy } from '../../src/data/npy.js';
import { repoRoot, runCliInProcess } from './cli-helpers.js';
import { classPixels, makeServeFixture, pngOf, SERVE_PREPROCESS, type ServeFixture } from './serve-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-serve-'));
let fixture: ServeFixture;
let server: ReportServer;
let bare: ReportServer;

beforeAll(async () => {
  fixture = await makeServeFixture(dir);
  writeFileSync(join(dir, 'secret.txt'), 'outside the report folder');
  symlinkSync(join(dir, 'secret.txt'), join(fixture.out, 'link.txt'));
  mkdirSync(join(fixture.out, 'sub'));
  writeFileSync(join(fixture.out, '.hidden'), 'dot file');
  const report = await loadReport(join(fixture.out, 'report.json'));
  server = await startReportServer({
    folder: fixture.out,
    report,
    models: (await loadServeModels(fixture.config, report)) as ServeModels,
    maxUploadBytes: 64 * 1024,
  });
  bare = await startReportServer({ folder: fixture.out, report, models: null, cannotRun: 'no models here' });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await bare?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request: the path goes out exactly as written (fetch would normalise `..`), any Host header. */
function raw(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A 69-byte PNG that declares 10000 x 10000 pixels (a decompression bomb's header, cut short after one IDAT). */
function hugePngHeader(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([head, Buffer.from(type), data, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(100))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const upload = (base: string, body: Uint8Array | string, name = 'x.png') =>
  fetch(`${base}api/predict?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/octet-stream' },
  });

describe('pie-audit serve over HTTP', () => {
  it('predicts an uploaded PNG exactly as the audited models run by hand on the same preprocessing', async () => {
    const png = await pngOf(classPixels(1, 99), 8, 8);
    const res = await upload(server.url, png, 'dog.png');
    expect(res.status).toBe(200);
    const result = (await res.json()) as {
      levels: Array<{ key: string; modal: number; models: Array<{ label: number; probabilities: number[] }> }>;
    };
    expect(result.levels.map((l) => l.key)).toEqual(['0', '0.8']);
    // The image is already 8x8: the preprocessing is pixel / 255, NHWC.
    const input = tf.tensor4d(
      Float32Array.from(classPixels(1, 99), (v) => Math.fround(v / 255)),
      [1, 8, 8, 3],
    );
    for (const level of result.levels) {
      for (const [i, m] of level.models.entries()) {
        const model = await loadLayersModelFromFile(fixture.population[level.key][i]);
        const expected = Array.from((model.predict(input) as tf.Tensor).dataSync());
        model.dispose();
        expect(m.probabilities.map((p) => p.toFixed(6))).toEqual(expected.map((p) => p.toFixed(6)));
        expect(m.label).toBe(expected.indexOf(Math.max(...expected)));
      }
      expect(level.modal).toBe(1);
    }
    input.dispose();
  });

  it('refuses text, another image type, a corrupt PNG, an empty and a too-large upload with clear messages, and keeps answering', async () => {
    const truncated = await pngOf(classPixels(0, 1), 8, 8);
    const cases: Array<[Uint8Array | string, number, RegExp]> = [
      ['just some text', 415, /'x\.png' is not an image; choose a JPEG or PNG file/],
      [
        await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
          .webp()
          .toBuffer(),
        415,
        /WEBP image; .*JPEG and PNG only/,
      ],
      [truncated.subarray(0, truncated.length - 30), 400, /Cannot decode image 'x\.png'.*complete JPEG or PNG/],
      ['', 400, /empty/],
      [new Uint8Array(200 * 1024), 413, /larger than 0\.1 MB/],
      [hugePngHeader(), 413, /10000 x 10000 pixels, more than 50 megapixels/],
    ];
    for (const [body, status, message] of cases) {
      const res = await upload(server.url, body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect((await fetch(`${server.url}api/info`)).status).toBe(200);
  });

  it('serves only regular files directly in the report folder: no traversal, link, dot file or listing', async () => {
    const ok = await raw(server.port, '/report/report.json', { host: `127.0.0.1:${server.port}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).classNames).toEqual(['cat', 'dog', 'eel']);
    for (const path of [
      '/report/../secret.txt',
      '/report/..%2fsecret.txt',
      '/report/%2e%2e%2fsecret.txt',
      '/report/..%5csecret.txt',
      '/report/%2e%2e/secret.txt',
      '/../secret.txt',
      '/report/link.txt',
      '/report/.hidden',
      '/report/sub',
      '/report/',
      '/report',
      '/report/%00report.json',
      '/report/%E0%A4%A',
    ]) {
      const res = await raw(server.port, path, { host: `127.0.0.1:${server.port}` });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body).not.toContain('outside the report folder');
    }
  });

  it('sends a CSP and nosniff, and refuses another host name and posts from another site', async () => {
    const page = await fetch(server.url);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'sha256-/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await raw(server.port, '/', { host: 'evil.example' })).status).toBe(421);
    const png = await pngOf(classPixels(0, 1), 8, 8);
    const res = await fetch(`${server.url}api/predict`, { method: 'POST', body: png, headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
  });

  it('runs a test example picked by index and refuses an index outside the list', async () => {
    const res = await fetch(`${server.url}api/examples/5/predict`, { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { levels: Array<{ modal: number }> };
    expect(body.levels[0].modal).toBe(1); // examples 5..9 are the dog folder
    expect((await fetch(`${server.url}api/examples/15/predict`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}api/examples/-1/image`)).status).toBe(404);
    expect((await fetch(`${server.url}api/examples/0/image`)).headers.get('content-type')).toBe('image/png');
  });

  it('without --config says the models cannot run and offers the recorded predictions of the exemplars', async () => {
    const info = (await (await fetch(`${bare.url}api/info`)).json()) as {
      canRun: boolean;
      cannotRun: string;
      recorded: Array<{ index: number; levels: Array<{ key: string; modal: number }> }>;
    };
    expect(info.canRun).toBe(false);
    expect(info.cannotRun).toBe('no models here');
    // The report's PIE exemplars (the faint image of each class, forgotten at 0.8), with both levels' recorded modal labels.
    const report = await loadReport(join(fixture.out, 'report.json'));
    const exemplars = report.levels[1].exemplars;
    expect(exemplars.length).toBeGreaterThan(0);
    expect(info.recorded.map((e) => e.index)).toEqual(exemplars.map((e) => e.index).sort((a, b) => a - b));
    for (const e of exemplars) {
      const recorded = info.recorded.find((r) => r.index === e.index)!;
      expect(recorded.levels).toEqual([
        { key: '0', modal: e.baselineModal, agreement: e.baselineAgreement },
        { key: '0.8', modal: e.compressedModal, agreement: e.compressedAgreement },
      ]);
    }
    const res = await upload(bare.url, await pngOf(classPixels(0, 1), 8, 8));
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe('no models here');
  });
});

describe('pie-audit serve flags', () => {
  it('refuses --host other than 127.0.0.1/localhost, a bad port and a config of other models', async () => {
    const host = await runCliInProcess(['serve', fixture.out, '--host', '0.0.0.0']);
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/--host: serve listens on 127\.0\.0\.1 only/);
    const port = await runCliInProcess(['serve', fixture.out, '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port must be an integer from 0 to 65535/);
    // The levels' models swapped: the content hashes the report recorded do not match.
    const swapped = join(dir, 'swapped.json');
    writeFileSync(
      swapped,
      JSON.stringify({
        population: { '0': fixture.population['0.8'], '0.8': fixture.population['0'] },
        testSet: { images: 'images', preprocess: SERVE_PREPROCESS },
      }),
    );
    const other = await runCliInProcess(['serve', fixture.out, '--config', swapped]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/model 0 of level '0' .* is not the file the report audited/);
    // The same models on another test set (two of the fifteen images).
    writeFileSync(join(dir, 'two.csv'), 'path,label\nimages/cat/0.png,0\nimages/dog/0.png,1\n');
    const fewer = join(dir, 'fewer.json');
    writeFileSync(
      fewer,
      JSON.stringify({ population: fixture.population, testSet: { images: { list: 'two.csv' }, preprocess: SERVE_PREPROCESS } }),
    );
    const smaller = await runCliInProcess(['serve', fixture.out, '--config', fewer]);
    expect(smaller.code).toBe(2);
    expect(smaller.stderr).toMatch(/--config: its test set has 2 examples but the report audited 15/);
  });

  it('with a config of precomputed predictions serves the report and says why the models cannot run', async () => {
    const pdir = join(dir, 'precomputed');
    mkdirSync(pdir);
    const population: Record<string, string[]> = { '0': [], int8: [] };
    for (const [level, rows] of Object.entries({ '0': [[0, 1, 2, 2]], int8: [[1, 2, 2, 2]] }))
      for (const [i, predictions] of rows.entries()) {
        writeFileSync(join(pdir, `${level}-${i}.json`), JSON.stringify({ predictions }));
        population[level].push(`${level}-${i}.json`);
      }
    writeFileSync(join(pdir, 'audit.json'), JSON.stringify({ population }));
    const audit = await runCliInProcess(['audit', join(pdir, 'audit.json'), '--out', join(pdir, 'out'), '--quiet']);
    expect(audit.code).toBe(0);
    let stdout = '';
    const stop = new AbortController();
    const io = { stdout: (t: string) => (stdout += t), stderr: process.stderr };
    const done = serveCommand([join(pdir, 'out'), '--config', join(pdir, 'audit.json')], io, stop.signal);
    while (!/ at http/.test(stdout)) await new Promise((r) => setTimeout(r, 20));
    const url = / at (http:\/\/127\.0\.0\.1:\d+\/) /.exec(stdout)![1];
    const info = (await (await fetch(`${url}api/info`)).json()) as { canRun: boolean; cannotRun: string; recorded: unknown[] };
    expect(info.canRun).toBe(false);
    expect(info.cannotRun).toMatch(/^The audit's level '0' holds precomputed predictions \('0-0\.json'\), not a model file/);
    expect(info.recorded.length).toBeGreaterThan(0);
    stop.abort();
    expect(await done).toBe(0);
    expect(stdout).toMatch(/precomputed predictions: the page shows the report and its recorded predictions/);
  });

  it('runs Keras members (.h5 and .keras) on a picked example, as loadKerasModel runs them by hand', async () => {
    const kdir = join(dir, 'keras');
    mkdirSync(join(kdir, 'models'), { recursive: true });
    const fixtures = join(repoRoot, 'test', 'fixtures', 'keras');
    for (const f of ['mlp.h5', 'mlp.keras', 'nested.h5', 'nested.keras']) copyFileSync(join(fixtures, f), join(kdir, 'models', f));
    const n = 12;
    const x = Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 0.7) * 1.5);
    writeFileSync(join(kdir, 'x.npy'), encodeNpy(x, [n, 4]));
    writeFileSync(join(kdir, 'y.csv'), `label\n${Array.from({ length: n }, (_, i) => i % 3).join('\n')}\n`);
    const config = join(kdir, 'audit.json');
    const population = { '0': ['models/mlp.h5', 'models/mlp.keras'], '0.5': ['models/nested.h5', 'models/nested.keras'] };
    writeFileSync(config, JSON.stringify({ population, testSet: { inputs: 'x.npy', labels: 'y.csv' }, bootstrap: { resamples: 0 } }));
    expect((await runCliInProcess(['audit', config, '--out', join(kdir, 'out'), '--quiet'])).code).toBe(0);
    const report = await loadReport(join(kdir, 'out', 'report.json'));
    const models = await loadServeModels(config, report);
    expect(models).not.toHaveProperty('cannotRun');
    const kerasServer = await startReportServer({ folder: join(kdir, 'out'), report, models: models as ServeModels });
    try {
      const served = (await (await fetch(`${kerasServer.url}api/examples/3/predict`, { method: 'POST' })).json()) as {
        levels: Array<{ models: Array<{ probabilities: number[] }> }>;
      };
      const files = [...population['0'], ...population['0.5']];
      const byHand: number[][] = [];
      for (const f of files) {
        const model = await loadKerasModel(join(kdir, f));
        byHand.push(Array.from((model.predict(tf.tensor(x.subarray(12, 16), [1, 4])) as tf.Tensor).dataSync()));
        model.dispose();
      }
      const got = served.levels.flatMap((l) => l.models.map((m) => m.probabilities));
      expect(got).toHaveLength(4);
      got.forEach((p, i) => p.forEach((v, c) => expect(v).toBeCloseTo(byHand[i][c], 5)));
    } finally {
      await kerasServer.close();
    }
  }, 60_000);

  it('with a test set that is not images runs the models on a picked example and refuses uploads', async () => {
    // The same fifteen images as a .npy tensor (pixel / 255, NHWC) with a label file: the audit records no preprocessing.
    const ndir = join(dir, 'tensor');
    mkdirSync(ndir);
    const images = listImageFolder(join(dir, 'images'));
    const x = new Float32Array(images.paths.length * 192);
    for (const [i, path] of images.paths.entries())
      x.set(
        Float32Array.from((await decodeImage(path, 3)).data, (v) => v / 255),
        i * 192,
      );
    writeFileSync(join(ndir, 'x.npy'), encodeNpy(x, [images.paths.length, 8, 8, 3]));
    writeFileSync(join(ndir, 'y.csv'), `label\n${Array.from(images.labels!).join('\n')}\n`);
    const config = join(ndir, 'audit.json');
    writeFileSync(
      config,
      JSON.stringify({
        population: fixture.population,
        testSet: { inputs: 'x.npy', labels: 'y.csv' },
        runtime: 'tfjs',
        backend: 'cpu',
        bootstrap: { resamples: 0 },
      }),
    );
    expect((await runCliInProcess(['audit', config, '--out', join(ndir, 'out'), '--quiet'])).code).toBe(0);
    const report = await loadReport(join(ndir, 'out', 'report.json'));
    expect(report.testSet.preprocess).toBeUndefined();
    const tensorServer = await startReportServer({
      folder: join(ndir, 'out'),
      report,
      models: (await loadServeModels(config, report)) as ServeModels,
    });
    try {
      const info = (await (await fetch(`${tensorServer.url}api/info`)).json()) as {
        canRun: boolean;
        canUpload: boolean;
        examples: Array<{ label: number; image: boolean }>;
      };
      expect([info.canRun, info.canUpload]).toEqual([true, false]);
      expect(info.examples[5]).toEqual({ index: 5, label: 1, image: false });
      // Example 5 from the tensor gets the very predictions example 5 gets from its PNG through the preprocessing.
      const fromTensor = await (await fetch(`${tensorServer.url}api/examples/5/predict`, { method: 'POST' })).json();
      const fromImage = await (await fetch(`${server.url}api/examples/5/predict`, { method: 'POST' })).json();
      expect((fromTensor as { image: unknown }).image).toBeNull();
      // (Model ids differ: each config names them relative to itself.)
      type Levels = { levels: Array<{ modal: number; meanProbabilities: number[]; models: Array<{ probabilities: number[] }> }> };
      const values = (r: unknown) => (r as Levels).levels.map((l) => [l.modal, l.meanProbabilities, l.models.map((m) => m.probabilities)]);
      expect(values(fromTensor)).toEqual(values(fromImage));
      const refused = await upload(tensorServer.url, await pngOf(classPixels(0, 1), 8, 8));
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: string }).error).toMatch(/test set was not images .* pick a test example instead/);
      expect((await fetch(`${tensorServer.url}api/examples/5/image`)).status).toBe(404);
    } finally {
      await tensorServer.close();
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'runs as a process on a free port of 127.0.0.1 and stops cleanly on %s',
    async (signal) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', `${repoRoot}src/cli/main.ts`, 'serve', fixture.out, '--config', fixture.config],
        {
          cwd: repoRoot,
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        },
      );
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = / at (http:\/\/127\.0\.0\.1:\d+\/) /.exec(stdout);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}`)));
      });
      const info = (await (await fetch(`${url}api/info`)).json()) as { canRun: boolean; levels: unknown[] };
      expect(info.canRun).toBe(true);
      expect(info.levels).toHaveLength(2);
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (c) => resolve(c));
        child.kill(signal);
      });
      expect(code).toBe(0);
      expect(stdout).toContain(`stopped (${signal})`);
      await expect(fetch(`${url}api/info`)).rejects.toThrow();
    },
    60_000,
  );
});
