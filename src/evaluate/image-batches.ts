import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '../data/decode-image.js';
import { resizeBilinear } from '../data/pil-resize.js';
import { encodePngDataUri } from '../data/png.js';
import { preprocessedShape, resolvePreprocess, type Preprocess, type ResolvedPreprocess } from '../data/preprocess.js';
import { PieAuditError } from '../errors.js';
import { decodeImageRange, normalizeImageRange } from './decode-image-range.js';
import { startImageDecodeThread, type ImageDecodeThread } from './image-decode-thread.js';
import type { InputBatches } from './input-batches.js';

/** Image inputs: decoded and preprocessed batch by batch, plus thumbnails of the original images. */
export interface ImageBatches extends InputBatches {
  readonly paths: readonly string[];
  readonly preprocess: ResolvedPreprocess;
  /** A PNG data URI of image `i` as stored (not preprocessed), its longer side at most `maxSide` pixels. */
  thumbnail(i: number, maxSide?: number): Promise<string>;
}

/** Options of {@link imageBatches}. */
export interface ImageBatchesOptions {
  /**
   * Keep each image's resized, cropped 8-bit pixels in a temporary file the first time it is decoded, so that the
   * second and later models read them instead of decoding again (default true). The file takes n x H x W x C bytes
   * (CelebA's 19,962 test images at 224 x 224 x 3: 3.0 GB) and is removed by `close()`.
   */
  decodeOnce?: boolean;
  /** Folder of that temporary file (default the system's temporary folder). */
  tempDir?: string;
  /** Images decoded at once (default the number of cores). */
  concurrency?: number;
  /**
   * Decode, resize and normalise on a worker thread, the next batch while the current one is evaluated (default
   * true); false does it on the calling thread (sharp still decodes on libuv's pool).
   */
  decodeThread?: boolean;
}

/** sha256 of the preprocessing and every file's bytes: the prediction cache's key of an image test set. */
async function hashImageFiles(paths: readonly string[], p: ResolvedPreprocess): Promise<string> {
  const hash = createHash('sha256').update(`images\0${JSON.stringify({ ...p, preset: null })}\0n=${paths.length}\0`);
  for (const path of paths)
    hash.update(
      createHash('sha256')
        .update(await readFile(path))
        .digest(),
    );
  return hash.digest('hex');
}

/** A PNG data URI of an image as stored, its longer side at most `maxSide` (PIL's bilinear filter). */
async function thumbnailOf(path: string, maxSide: number): Promise<string> {
  const image = await decodeImage(path, 3);
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const pixels = resizeBilinear(image.data, image.width, image.height, 3, w, h);
  return encodePngDataUri(pixels, w, h, 3, { scale: Math.max(w, h) <= 32 ? 2 : 1 });
}

/**
 * Inputs from image files (JPEG/PNG), in the given order, through a declared preprocessing (a preset such as
 * `'torchvision'` or the explicit form): every batch is decoded, resized with PIL's bilinear filter, center-cropped
 * and normalised when read, the next batch is decoded while the current one is evaluated, and with `decodeOnce`
 * every image is decoded once per audit whatever the number of models.
 *
 * @throws PieAuditError `CONFIG_ERROR` for a preprocessing without a fixed output size; reads throw `CORRUPT_FILE`
 *   naming the image
 * @example
 * const inputs = imageBatches(['val/cat/1.jpg', 'val/dog/2.jpg'], 'torchvision');
 * const first = await inputs.read(0, 2); // 2 x 3 x 224 x 224 floats
 * await inputs.close();
 */
export function imageBatches(paths: readonly string[], preprocess: Preprocess, options: ImageBatchesOptions = {}): ImageBatches {
  const p = resolvePreprocess(preprocess);
  const inputShape = preprocessedShape(p);
  if (!inputShape)
    throw new PieAuditError('CONFIG_ERROR', "testSet.preprocess: resize 'shorter' needs a crop so that every input has the same shape.", {
      key: 'testSet.preprocess',
    });
  if (paths.length === 0) throw new PieAuditError('CONFIG_ERROR', 'testSet.images: lists no images.', { key: 'testSet.images' });
  const [height, width] = p.layout === 'nchw' ? inputShape.slice(1) : inputShape.slice(0, 2);
  const pixelBytes = width * height * p.channels;
  const featureSize = pixelBytes;
  const limit = options.concurrency ?? Math.max(2, availableParallelism());
  const decodeOnce = options.decodeOnce ?? true;
  let store: { dir: string; file: FileHandle; written: number } | null = null;
  const useThread = options.decodeThread ?? true;
  let thread: ImageDecodeThread | null = null;
  type Decoded = { pixels: Uint8Array; floats: Float32Array | null };
  let pending: { start: number; rows: number; decoded: Promise<Decoded> } | null = null;
  let floats: Float32Array = new Float32Array(0);

  // One batch decoding ahead at most (plus the one being read): memory stays at two batches.
  const decodeRange = async (start: number, rows: number): Promise<Decoded> => {
    const range = paths.slice(start, start + rows);
    if (!useThread) return { pixels: await decodeImageRange(range, p, limit), floats: null };
    thread ??= startImageDecodeThread();
    return thread.decode(range, p, limit);
  };
  const pixelsOf = async (start: number, rows: number): Promise<Decoded> => {
    if (store && start + rows <= store.written) {
      const bytes = new Uint8Array(rows * pixelBytes);
      await store.file.read(bytes, 0, bytes.length, start * pixelBytes);
      return { pixels: bytes, floats: null };
    }
    const ahead = pending && pending.start === start && pending.rows === rows ? pending.decoded : null;
    pending = null;
    const decoded = await (ahead ?? decodeRange(start, rows));
    const bytes = decoded.pixels;
    if (decodeOnce && store === null && start === 0) {
      const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'pie-audit-images-'));
      store = { dir, file: await open(join(dir, 'pixels.u8'), 'w+'), written: 0 };
    }
    if (store && start === store.written) {
      await store.file.write(bytes, 0, bytes.length, start * pixelBytes);
      store.written += rows;
    }
    return decoded;
  };

  return {
    n: paths.length,
    inputShape,
    featureSize,
    description: `${paths.length} images (${p.preset ?? 'explicit preprocessing'})`,
    paths,
    preprocess: p,
    async read(start, rows) {
      const decoded = await pixelsOf(start, rows);
      const next = start + rows;
      const stored = store !== null && next + rows <= (store as { written: number }).written;
      if (next < paths.length && !stored) {
        const r = Math.min(rows, paths.length - next);
        const ahead = decodeRange(next, r);
        ahead.catch(() => {}); // surfaced when that batch is read
        pending = { start: next, rows: r, decoded: ahead };
      }
      if (decoded.floats) return decoded.floats;
      floats = normalizeImageRange(decoded.pixels, rows, p, floats);
      return floats;
    },
    contentKey: () => hashImageFiles(paths, p),
    thumbnail: (i, maxSide = 96) => thumbnailOf(paths[i], maxSide),
    async close() {
      pending = null;
      const t = thread as ImageDecodeThread | null;
      thread = null;
      const s = store as { dir: string; file: FileHandle } | null;
      store = null;
      await t?.close();
      if (s) {
        await s.file.close();
        await rm(s.dir, { recursive: true, force: true });
      }
    },
  };
}
