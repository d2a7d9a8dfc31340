import { decodeImage, sniffImage } from '../../data/decode-image.js';
import { normalizePixels, resizeAndCrop, type ResolvedPreprocess } from '../../data/preprocess.js';
import { PieAuditError } from '../../errors.js';

/** Most pixels an uploaded image may declare (about a 50-megapixel photograph): a small file can claim any size. */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** An upload the server refuses: the HTTP status and a message that says what to send instead. */
export class UploadRejected extends PieAuditError {
  readonly status: number;
  constructor(status: number, message: string) {
    super('INVALID_ARGUMENT', message, { status });
    this.status = status;
  }
}

/**
 * Turns an image's bytes into one model input with the audit's own preprocessing: the type sniffed from the bytes
 * (JPEG and PNG only, whatever the name or the declared type say), the declared size checked before decoding, then
 * decode, resize, crop and normalise exactly as the audit did.
 *
 * @throws UploadRejected 415 for bytes that are no JPEG or PNG image, 413 for an image above {@link MAX_IMAGE_PIXELS}, 400 for a corrupt one
 * @example
 * const { input } = await imageToInput(await readFile('cat.png'), report.testSet.preprocess, 'cat.png');
 */
export async function imageToInput(
  bytes: Uint8Array,
  p: ResolvedPreprocess,
  name: string,
): Promise<{ input: Float32Array; format: string; width: number; height: number }> {
  const header = await sniffImage(bytes);
  if (header === null) throw new UploadRejected(415, `'${name}' is not an image; choose a JPEG or PNG file.`);
  if (header.format !== 'png' && header.format !== 'jpeg')
    throw new UploadRejected(
      415,
      `'${name}' is a ${header.format.toUpperCase()} image; the audit reads JPEG and PNG only. Convert it to PNG.`,
    );
  if (header.width * header.height > MAX_IMAGE_PIXELS)
    throw new UploadRejected(
      413,
      `'${name}' is ${header.width} x ${header.height} pixels, more than ${MAX_IMAGE_PIXELS / 1e6} megapixels; scale it down first.`,
    );
  let image: Awaited<ReturnType<typeof decodeImage>>;
  try {
    image = resizeAndCrop(await decodeImage(bytes, p.channels, name), p);
  } catch (e) {
    throw new UploadRejected(400, e instanceof Error ? e.message : String(e));
  }
  const input = new Float32Array(image.width * image.height * p.channels);
  normalizePixels(image, p, input, 0);
  return { input, format: header.format, width: header.width, height: header.height };
}
