import { decodeImage } from '../data/decode-image.js';
import { normalizePixels, outputSize, resizeAndCrop, type ResolvedPreprocess } from '../data/preprocess.js';

/** Runs `fn` over `count` indices, at most `limit` at a time. */
async function forEachLimited(count: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) await fn(i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

/**
 * Decodes, resizes and center-crops images (at most `concurrency` decoding at once), in the given order: their 8-bit
 * HWC pixels, `height * width * channels` bytes each, one after another.
 *
 * @throws PieAuditError `CORRUPT_FILE` or `IO_ERROR` naming the first image that failed
 * @example
 * const pixels = await decodeImageRange(['a.jpg', 'b.jpg'], resolvePreprocess('torchvision'), 2); // 2 x 224 x 224 x 3
 */
export async function decodeImageRange(paths: readonly string[], p: ResolvedPreprocess, concurrency: number): Promise<Uint8Array> {
  const [height, width] = outputSize(p)!;
  const pixelBytes = height * width * p.channels;
  const bytes = new Uint8Array(paths.length * pixelBytes);
  await forEachLimited(paths.length, concurrency, async (k) => {
    const image = resizeAndCrop(await decodeImage(paths[k], p.channels), p);
    bytes.set(image.data, k * pixelBytes);
  });
  return bytes;
}

/**
 * Model inputs of preprocessed pixels (from {@link decodeImageRange}): `(pixel * scale - mean) / std` in the
 * declared layout, `rows` examples one after another.
 *
 * @example
 * const floats = normalizeImageRange(pixels, 2, p); // 2 x 3 x 224 x 224
 */
export function normalizeImageRange(pixels: Uint8Array, rows: number, p: ResolvedPreprocess, out?: Float32Array): Float32Array {
  const [height, width] = outputSize(p)!;
  const pixelBytes = height * width * p.channels;
  const floats = out && out.length === rows * pixelBytes ? out : new Float32Array(rows * pixelBytes);
  for (let k = 0; k < rows; k++) {
    const image = { data: pixels.subarray(k * pixelBytes, (k + 1) * pixelBytes), width, height, channels: p.channels };
    normalizePixels(image, p, floats, k * pixelBytes);
  }
  return floats;
}
