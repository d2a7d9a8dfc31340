import type { IncomingMessage, ServerResponse } from 'node:http';

/** The CSP of everything but the page and report.html: nothing loads, nothing runs. */
export const FILE_CSP = `default-src 'none'; sandbox; frame-ancestors 'self'`;

/**
 * Answers with `body` and the headers every response of the server carries (CSP, nosniff, no referrer, no caching).
 *
 * @example
 * send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
 */
export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, csp = FILE_CSP): void {
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

/**
 * Answers with a JSON value (`{ error }` for every refusal).
 *
 * @example
 * sendJson(res, 415, { error: "'notes.txt' is not an image; choose a JPEG or PNG file." });
 */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/**
 * Reads a request body up to `limit` bytes. Past the limit it keeps reading and discarding (a browser shows a 413
 * only to a client whose upload was read) and returns null.
 *
 * @example
 * const body = await readBody(req, 20 * 1024 * 1024); // null: too large
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
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
