import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '../data/decode-image.js';
import { resizeBilinear } from '../data/pil-resize.js';
import { encodePngDataUri } from '../data/png.js';
import {
  normalizePixels,
  preprocessedShape,
  resizeAndCrop,
  resolvePreprocess,
  type Preprocess,
  type ResolvedPreprocess,
} from '../data/preprocess.js';
import { PieAuditError } from '../errors.js';
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
}

/** Runs `fn` over `count` indices, at most `limit` at a time. */
async function forEachLimited(count: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) await fn(i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
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
  let pending: { start: number; rows: number; bytes: Promise<Uint8Array> } | null = null;
  let floats = new Float32Array(0);

  const decodeRange = async (start: number, rows: number): Promise<Uint8Array> => {
    const bytes = new Uint8Array(rows * pixelBytes);
    await forEachLimited(rows, limit, async (k) => {
      const image = resizeAndCrop(await decodeImage(paths[start + k], p.channels), p);
      bytes.set(image.data, k * pixelBytes);
    });
    return bytes;
  };
  const pixelsOf = async (start: number, rows: number): Promise<Uint8Array> => {
    if (store && start + rows <= store.written) {
      const bytes = new Uint8Array(rows * pixelBytes);
      await store.file.read(bytes, 0, bytes.length, start * pixelBytes);
      return bytes;
    }
    const ahead = pending && pending.start === start && pending.rows === rows ? pending.bytes : null;
    pending = null;
    const bytes = await (ahead ?? decodeRange(start, rows));
    if (decodeOnce && store === null && start === 0) {
      const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'pie-audit-images-'));
      store = { dir, file: await open(join(dir, 'pixels.u8'), 'w+'), written: 0 };
    }
    if (store && start === store.written) {
      await store.file.write(bytes, 0, bytes.length, start * pixelBytes);
      store.written += rows;
    }
    return bytes;
  };

  return {
    n: paths.length,
    inputShape,
    featureSize,
    description: `${paths.length} images (${p.preset ?? 'explicit preprocessing'})`,
    paths,
    preprocess: p,
    async read(start, rows) {
      const bytes = await pixelsOf(start, rows);
      const next = start + rows;
      const stored = store !== null && next + rows <= (store as { written: number }).written;
      if (next < paths.length && !stored) {
        const r = Math.min(rows, paths.length - next);
        const ahead = decodeRange(next, r);
        ahead.catch(() => {}); // surfaced when that batch is read
        pending = { start: next, rows: r, bytes: ahead };
      }
      if (floats.length !== rows * featureSize) floats = new Float32Array(rows * featureSize);
      for (let k = 0; k < rows; k++) {
        const image = { data: bytes.subarray(k * pixelBytes, (k + 1) * pixelBytes), width, height, channels: p.channels };
        normalizePixels(image, p, floats, k * featureSize);
      }
      return floats;
    },
    contentKey: () => hashImageFiles(paths, p),
    thumbnail: (i, maxSide = 96) => thumbnailOf(paths[i], maxSide),
    async close() {
      const s = store as { dir: string; file: FileHandle } | null;
      store = null;
      if (s) {
        await s.file.close();
        await rm(s.dir, { recursive: true, force: true });
      }
    },
  };
}
