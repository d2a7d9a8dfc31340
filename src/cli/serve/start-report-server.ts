import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditReport } from '../../schema/index.js';
import { send, sendJson } from './http-replies.js';
import { UploadRejected } from './image-input.js';
import { panelInfo } from './panel-info.js';
import type { ServeModels } from './serve-models.js';
import { handleGet, handlePost, type ServeContext } from './serve-routes.js';

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
  let queue: Promise<unknown> = Promise.resolve();
  const ctx: ServeContext = {
    folder: options.folder,
    report: options.report,
    models,
    info: panelInfo(options.report, models, options.cannotRun, maxUploadBytes),
    maxUploadBytes,
    serially: <T>(fn: () => Promise<T>): Promise<T> => {
      const run = queue.then(fn);
      queue = run.catch(() => undefined);
      return run;
    },
  };
  let port = 0;
  // Only this server's own names: a page of another site that rebinds its DNS name to 127.0.0.1 is refused.
  const allowed = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowed(req.headers.host))
      return send(res, 421, 'text/plain; charset=utf-8', 'Use http://127.0.0.1 or localhost with this port.\n');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'POST') {
      const origin = req.headers.origin;
      if (origin !== undefined && !allowed(origin.replace(/^http:\/\//, '')))
        return sendJson(res, 403, { error: 'Posts from another site are refused.' });
      return handlePost(ctx, req, res, url);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { error: `${req.method} is not served; use GET or POST.` });
    return handleGet(ctx, res, url);
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
