import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sniffImage } from '../../data/decode-image.js';
import { reportScriptHash } from '../../report/html-script.js';
import type { AuditReport } from '../../schema/index.js';
import { FILE_CSP, readBody, send, sendJson } from './http-replies.js';
import { imageToInput } from './image-input.js';
import { MAX_EXAMPLES_LISTED, type PanelInfo } from './panel-info.js';
import { predictLevels } from './predict-levels.js';
import { readReportFile } from './report-file.js';
import type { ServeModels } from './serve-models.js';
import { PAGE_CSP, servePage } from './serve-page.js';

/** report.html's own policy, sent as a header too: its one script by hash, `data:` images, framed by the page only. */
const REPORT_HTML_CSP = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src ${reportScriptHash()}; form-action 'none'; base-uri 'none'; frame-ancestors 'self'`;

/** What the routes share. */
export interface ServeContext {
  folder: string;
  report: AuditReport;
  models: ServeModels | null;
  info: PanelInfo;
  maxUploadBytes: number;
  /** Runs a prediction after the ones before it (the predictors are shared). */
  serially<T>(fn: () => Promise<T>): Promise<T>;
}

/** Runs every level's models on `input` (from an upload or a test example) and answers with their predictions. */
async function predictInput(
  ctx: ServeContext,
  res: ServerResponse,
  input: () => Promise<{ input: Float32Array; image: unknown }>,
): Promise<void> {
  const { models } = ctx;
  if (!models) return sendJson(res, 409, { error: ctx.info.cannotRun });
  const result = await ctx.serially(async () => {
    const { input: x, image } = await input();
    return { image, levels: await predictLevels(models.levels, x, ctx.report.config.tieBreak) };
  });
  sendJson(res, 200, result);
}

async function predictUpload(ctx: ServeContext, res: ServerResponse, bytes: Buffer, name: string): Promise<void> {
  const p = ctx.models?.preprocess;
  if (ctx.models && !p) return sendJson(res, 409, { error: ctx.info.cannotUpload });
  await predictInput(ctx, res, async () => {
    const { input, format, width, height } = await imageToInput(bytes, p!, name);
    return { input, image: { format, width, height } };
  });
}

/** Test example `text` (decimal digits, within the listed examples), or null after a 404. */
function exampleIndex(ctx: ServeContext, res: ServerResponse, text: string): number | null {
  const count = Math.min(ctx.models?.examples?.count ?? 0, MAX_EXAMPLES_LISTED);
  if (!/^\d{1,7}$/.test(text) || Number(text) >= count) {
    sendJson(res, 404, { error: `No test example #${text.slice(0, 20)}; there are ${count} to pick from.` });
    return null;
  }
  return Number(text);
}

/**
 * POST routes: `/api/predict` (an image's bytes, its name in `?name=`) and `/api/examples/<i>/predict`. Bodies above
 * the upload limit get a 413, empty ones a 400.
 *
 * @throws UploadRejected for an upload that is no JPEG or PNG, too large or corrupt (answered 400/413/415 by the server)
 * @example
 * await handlePost(ctx, req, res, new URL(req.url, 'http://127.0.0.1'));
 */
export async function handlePost(ctx: ServeContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const body = declared > ctx.maxUploadBytes ? null : await readBody(req, ctx.maxUploadBytes);
  if (body === null) {
    req.resume();
    return sendJson(res, 413, { error: `The upload is larger than ${(ctx.maxUploadBytes / 1e6).toFixed(1)} MB; choose a smaller image.` });
  }
  if (url.pathname === '/api/predict') {
    if (body.length === 0) return sendJson(res, 400, { error: 'The upload is empty; choose a JPEG or PNG image.' });
    return predictUpload(ctx, res, body, (url.searchParams.get('name') ?? 'the upload').slice(0, 200));
  }
  const example = /^\/api\/examples\/([^/]+)\/predict$/.exec(url.pathname);
  if (!example) return sendJson(res, 404, { error: `Nothing to post to at ${url.pathname.slice(0, 200)}.` });
  const index = exampleIndex(ctx, res, example[1]);
  const examples = ctx.models?.examples;
  if (index !== null && examples) await predictInput(ctx, res, async () => ({ input: await examples.input(index), image: null }));
}

/**
 * GET routes: the page at `/`, `/api/info`, `/api/examples/<i>/image`, and `/report/<name>` (one plain file of the
 * report folder); everything else is a 404.
 *
 * @example
 * await handleGet(ctx, res, new URL(req.url, 'http://127.0.0.1'));
 */
export async function handleGet(ctx: ServeContext, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  if (path === '/') return send(res, 200, 'text/html; charset=utf-8', servePage(), PAGE_CSP);
  if (path === '/api/info') return sendJson(res, 200, ctx.info);
  const image = /^\/api\/examples\/([^/]+)\/image$/.exec(path);
  if (image) {
    const index = exampleIndex(ctx, res, image[1]);
    if (index === null) return;
    const file = ctx.models?.examples?.imagePath(index);
    if (!file) return sendJson(res, 404, { error: `Test example #${index} is not an image file.` });
    const bytes = await readFile(file);
    const format = (await sniffImage(bytes))?.format;
    return send(res, 200, format === 'png' ? 'image/png' : format === 'jpeg' ? 'image/jpeg' : 'application/octet-stream', bytes);
  }
  if (path.startsWith('/report/')) {
    let name = '';
    try {
      name = decodeURIComponent(path.slice('/report/'.length));
    } catch {
      // A malformed escape names no file.
    }
    const file = await readReportFile(ctx.folder, name);
    if (file) return send(res, 200, file.type, file.bytes, file.type.startsWith('text/html') ? REPORT_HTML_CSP : FILE_CSP);
  }
  return sendJson(res, 404, { error: `Not found: ${path.slice(0, 200)}` });
}
