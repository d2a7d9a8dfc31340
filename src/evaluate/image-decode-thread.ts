import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResolvedPreprocess } from '../data/preprocess.js';
import { PieAuditError, type PieAuditErrorCode } from '../errors.js';

/** A worker thread that decodes and preprocesses batches of images, answering in the order asked. */
export interface ImageDecodeThread {
  /** The batch's 8-bit HWC pixels and its normalised model inputs. */
  decode(paths: readonly string[], p: ResolvedPreprocess, concurrency: number): Promise<{ pixels: Uint8Array; floats: Float32Array }>;
  /** Stops the thread; batches still pending are rejected. */
  close(): Promise<void>;
}

/** The worker's file: the TypeScript source through tsx's hooks (tests, tsx), or the built `dist/evaluate/*.js`. */
function startWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  const source = join(dirname(here), 'image-decode-worker.ts');
  if (here.endsWith('.ts') && existsSync(source)) {
    // Worker threads do not inherit tsx's hooks.
    const bootstrap = new URL('../engine/ts-worker-bootstrap.mjs', pathToFileURL(source));
    return new Worker(bootstrap, { workerData: { entry: pathToFileURL(source).href } });
  }
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return new Worker(join(dir, 'dist', 'evaluate', 'image-decode-worker.js'));
}

type Reply =
  | { id: number; pixels: Uint8Array; floats: Float32Array }
  | { id: number; error: { code: PieAuditErrorCode | null; message: string; details: Record<string, unknown> } };

/**
 * Starts a worker thread for {@link imageBatches}: decoding (sharp), PIL's resize and the normalisation of a batch
 * run there while the calling thread evaluates the previous batch. The thread keeps the process alive only while a
 * batch is pending.
 *
 * @example
 * const thread = startImageDecodeThread();
 * const { floats } = await thread.decode(paths.slice(0, 32), resolvePreprocess('torchvision'), 2);
 * await thread.close();
 */
export function startImageDecodeThread(): ImageDecodeThread {
  const worker = startWorker();
  worker.unref();
  const pending = new Map<number, { resolve: (r: { pixels: Uint8Array; floats: Float32Array }) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker.unref();
  };
  worker.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if ('error' in reply) {
      const { code, message, details } = reply.error;
      p.reject(code ? new PieAuditError(code, message, details) : new Error(message));
    } else p.resolve({ pixels: reply.pixels, floats: reply.floats });
  });
  worker.on('error', (e) => failAll(new PieAuditError('IO_ERROR', `The image decoding thread failed: ${e.message}.`, {}, { cause: e })));
  worker.on('exit', (code) => failAll(new PieAuditError('IO_ERROR', `The image decoding thread stopped (exit code ${code}).`)));
  return {
    decode(paths, p, concurrency) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, paths: [...paths], preprocess: p, concurrency });
      });
    },
    async close() {
      failAll(new PieAuditError('INVALID_ARGUMENT', 'The image inputs were closed while a batch was being decoded.'));
      await worker.terminate();
    },
  };
}
