import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sniffImage } from '../../data/decode-image.js';
import { reportScriptHash } from '../../report/html-script.js';
import type { AuditReport } from '../../schema/index.js';
import { imageToInput, UploadRejected } from './image-input.js';
import { predictLevels } from './predict-levels.js';
import { readReportFile } from './report-file.js';
import type { ServeModels } from './serve-models.js';
import { PAGE_CSP, servePage } from './serve-page.js';

/** Options of {@link startReportServer}. */
export interface ReportServerOptions {
  /** The report folder (its report.json already read into `report`). */
  folder: string;
  report: AuditReport;
  /** The audit's models, or `null`: the panel then shows the report's recorded exemplars only. */
  models: ServeModels | null;
  /** Why the models cannot run, shown when `models` is null. */
  cannotRun?: string;
  /** Port on 127.0.0.1; 0 (default) takes a free one. */
  port?: number;
  /** Largest upload in bytes (default 20 MB). */
  maxUploadBytes?: number;
}

/** A running server. */
export interface ReportServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  /** Stops listening, ends open connections and disposes the models. */
  close(): Promise<void>;
}

const MAX_EXAMPLES_LISTED = 1000;
const REPORT_HTML_CSP = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src ${reportScriptHash()}; form-action 'none'; base-uri 'none'; frame-ancestors 'self'`;
const FILE_CSP = `default-src 'none'; sandbox; frame-ancestors 'self'`;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, csp = FILE_CSP): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

/**
 * Reads a request body up to `limit` bytes. Past the limit it keeps reading and discarding (a browser shows a 413
 * only to a client whose upload was read) and returns null.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : null));
    req.on('error', reject);
  });
}

const preprocessText = (p: NonNullable<ServeModels['preprocess']>) =>
  `${p.preset ?? 'explicit'}: resize ${p.resize} to ${Array.isArray(p.size) ? p.size.join(' x ') : p.size}${p.crop ? `, crop ${p.crop.join(' x ')}` : ''}, scale ${p.scale}, mean ${p.mean.join('/')}, std ${p.std.join('/')}, ${p.layout}, ${p.channels} channel${p.channels === 1 ? '' : 's'}`;

/** What the page needs to draw the panel: classes, levels, what can run, the examples to pick. */
function info(o: ReportServerOptions, maxUploadBytes: number): unknown {
  const { report, models } = o;
  const canRun = models !== null && models.preprocess !== null;
  const runtimes = models ? [...new Set(models.levels.flatMap((l) => l.models.map((m) => m.predictor.runtime)))].join(', ') : '';
  const recorded = new Map<number, { index: number; trueLabel: number | null; thumbnail: string | null; levels: unknown[] }>();
  for (const level of report.levels) {
    for (const e of level.exemplars) {
      const entry = recorded.get(e.index) ?? { index: e.index, trueLabel: e.trueLabel, thumbnail: e.thumbnail, levels: [] };
      if (entry.levels.length === 0)
        entry.levels.push({ key: report.baselineLevel, modal: e.baselineModal, agreement: e.baselineAgreement });
      entry.levels.push({ key: level.key, modal: e.compressedModal, agreement: e.compressedAgreement });
      recorded.set(e.index, entry);
    }
  }
  const examples = models?.examples;
  return {
    classNames: report.classNames,
    baselineLevel: report.baselineLevel,
    levels: report.levels.map((l) => ({ key: l.key, isBaseline: l.isBaseline, models: l.models.map((m) => m.id) })),
    tieBreak: report.config.tieBreak,
    canRun,
    cannotRun: canRun
      ? null
      : models === null
        ? (o.cannotRun ?? 'The models cannot run here.')
        : "The audit's test set was not images (the report records no image preprocessing), so an uploaded image cannot become a model input.",
    runtimes: models?.backend && runtimes.includes('tfjs') ? `${runtimes} (${models.backend} backend)` : runtimes,
    preprocessText: models?.preprocess ? preprocessText(models.preprocess) : null,
    maxUploadBytes,
    examples: examples
      ? examples.paths.slice(0, MAX_EXAMPLES_LISTED).map((_, index) => ({ index, label: examples.labels ? examples.labels[index] : null }))
      : [],
    recorded: [...recorded.values()].sort((a, b) => a.index - b.index),
  };
}

/**
 * Serves a report folder and the "try it" panel on 127.0.0.1 only (node:http): the page at `/`, the folder's files
 * at `/report/<name>` (plain names only, no listing), and the panel's API: `GET /api/info`, `POST /api/predict` (an
 * image's bytes), `GET /api/examples/<i>/image`, `POST /api/examples/<i>/predict`. Requests for another host name
 * (DNS rebinding) or posts from another origin are refused; bad uploads get a JSON `{ error }` with 400, 413 or 415
 * and the server goes on. Predictions run one at a time.
 *
 * @example
 * const server = await startReportServer({ folder: 'audit-out', report, models: await loadServeModels('audit.json', report) });
 * console.log(server.url);
 * await server.close();
 */
export async function startReportServer(options: ReportServerOptions): Promise<ReportServer> {
  const maxUploadBytes = options.maxUploadBytes ?? 20 * 1024 * 1024;
  const { models } = options;
  const infoJson = info(options, maxUploadBytes);
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs predictions one after another: the predictors are shared. */
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  async function predict(res: ServerResponse, bytes: Buffer, name: string): Promise<void> {
    const p = models?.preprocess;
    if (!p || !models) return sendJson(res, 409, { error: (infoJson as { cannotRun: string }).cannotRun });
    const result = await serially(async () => {
      const image = await imageToInput(bytes, p, name);
      return {
        image: { format: image.format, width: image.width, height: image.height },
        levels: await predictLevels(models.levels, image.input, options.report.config.tieBreak),
      };
    });
    sendJson(res, 200, result);
  }

  async function exampleIndex(res: ServerResponse, text: string): Promise<number | null> {
    const index = Number(text);
    const count = Math.min(models?.examples?.paths.length ?? 0, MAX_EXAMPLES_LISTED);
    if (!/^\d{1,7}$/.test(text) || index >= count) {
      sendJson(res, 404, { error: `No test example #${text}; there are ${count} to pick from.` });
      return null;
    }
    return index;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? ''))
      return send(res, 421, 'text/plain; charset=utf-8', 'Use http://127.0.0.1 or localhost with this port.\n');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;
    if (req.method === 'POST') {
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, '')))
        return sendJson(res, 403, { error: 'Posts from another site are refused.' });
      const declared = Number(req.headers['content-length'] ?? 0);
      const body = declared > maxUploadBytes ? null : await readBody(req, maxUploadBytes);
      if (body === null) {
        req.resume();
        return sendJson(res, 413, { error: `The upload is larger than ${(maxUploadBytes / 1e6).toFixed(1)} MB; choose a smaller image.` });
      }
      if (path === '/api/predict') {
        if (body.length === 0) return sendJson(res, 400, { error: 'The upload is empty; choose a JPEG or PNG image.' });
        return predict(res, body, (url.searchParams.get('name') ?? 'the upload').slice(0, 200));
      }
      const match = /^\/api\/examples\/([^/]+)\/predict$/.exec(path);
      if (match) {
        const index = await exampleIndex(res, match[1]);
        if (index === null) return;
        return predict(res, await readFile(models!.examples!.paths[index]), `test example #${index}`);
      }
      return sendJson(res, 404, { error: `Nothing to post to at ${path}.` });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { error: `${req.method} is not served; use GET or POST.` });
    if (path === '/') return send(res, 200, 'text/html; charset=utf-8', servePage(), PAGE_CSP);
    if (path === '/api/info') return sendJson(res, 200, infoJson);
    const image = /^\/api\/examples\/([^/]+)\/image$/.exec(path);
    if (image) {
      const index = await exampleIndex(res, image[1]);
      if (index === null) return;
      const bytes = await readFile(models!.examples!.paths[index]);
      const header = await sniffImage(bytes);
      return send(
        res,
        200,
        header?.format === 'png' ? 'image/png' : header?.format === 'jpeg' ? 'image/jpeg' : 'application/octet-stream',
        bytes,
      );
    }
    if (path.startsWith('/report/')) {
      let name: string;
      try {
        name = decodeURIComponent(path.slice('/report/'.length));
      } catch {
        name = '';
      }
      const file = await readReportFile(options.folder, name);
      if (file) return send(res, 200, file.type, file.bytes, /^text\/html/.test(file.type) ? REPORT_HTML_CSP : FILE_CSP);
    }
    return sendJson(res, 404, { error: `Not found: ${path}` });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      const status = e instanceof UploadRejected ? e.status : 500;
      if (res.headersSent) return res.destroy();
      sendJson(res, status, { error: e instanceof Error ? e.message : String(e) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () => {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await queue;
        await models?.dispose();
      })();
      return closed;
    },
  };
}
