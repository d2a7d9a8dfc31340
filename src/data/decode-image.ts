import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PieAuditError } from '../errors.js';

/** Pixels of one decoded image, row-major, channel-interleaved (HWC), 8 bits per value. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** 3 (RGB) or 1 (luma). */
  channels: 1 | 3;
}

type Sharp = typeof import('sharp').default;
let sharpModule: Sharp | undefined;

/** sharp, loaded on first use so that audits without images never load libvips. */
function loadSharp(): Sharp {
  sharpModule ??= createRequire(import.meta.url)('sharp') as Sharp;
  return sharpModule;
}

/** PIL's `convert('L')`: ITU-R 601-2 luma in 16-bit fixed point, rounded. */
const luma = (r: number, g: number, b: number) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;

/** Raw pixels of any channel count (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) as RGB or luma, alpha dropped. */
function toChannels(raw: Uint8Array, pixels: number, from: number, to: 1 | 3): Uint8Array {
  const out = new Uint8Array(pixels * to);
  for (let p = 0; p < pixels; p++) {
    const s = p * from;
    if (from <= 2) {
      const v = raw[s];
      if (to === 1) out[p] = v;
      else out.fill(v, p * 3, p * 3 + 3);
    } else if (to === 3) {
      out[p * 3] = raw[s];
      out[p * 3 + 1] = raw[s + 1];
      out[p * 3 + 2] = raw[s + 2];
    } else out[p] = luma(raw[s], raw[s + 1], raw[s + 2]);
  }
  return out;
}

/** 16-bit samples scaled to 8 bits by their high byte, as libvips does. */
function scale16(raw: Uint8Array): Uint8Array {
  const words = new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
  return Uint8Array.from(words, (v) => v >> 8);
}

/**
 * Decodes a JPEG or PNG file (or its bytes) to 8-bit RGB or luma pixels as PIL's `Image.open(f).convert('RGB')`
 * (or `convert('L')` for `channels: 1`) does: gray is replicated, palettes expanded, alpha dropped (not composited),
 * 16-bit PNG samples scaled to 8 bits (their high byte: PIL would clip them instead), EXIF orientation ignored. JPEGs decode bit-exactly as PIL's libjpeg-turbo
 * (measured on scikit-image's photographs, see docs/evaluation.md).
 *
 * @throws PieAuditError `CORRUPT_FILE` naming the file for a corrupt, truncated or non-JPEG/PNG image, `IO_ERROR` when unreadable
 * @example
 * const img = await decodeImage('cats/001.jpg', 3);
 * img.width; img.height; img.data.length; // width * height * 3
 */
export async function decodeImage(source: string | Uint8Array, channels: 1 | 3 = 3, name?: string): Promise<DecodedImage> {
  const file = name ?? (typeof source === 'string' ? source : 'image bytes');
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? await readFile(source) : source;
  } catch (e) {
    throw new PieAuditError('IO_ERROR', `Cannot read image '${file}': ${(e as Error).message}.`, { file });
  }
  const sharp = loadSharp();
  try {
    const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: 1 << 28 });
    const meta = await image.metadata();
    if (meta.format !== 'jpeg' && meta.format !== 'png') {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `Image '${file}' is ${meta.format ?? 'of an unknown format'}; only JPEG and PNG are read. Convert it to PNG.`,
        {
          file,
        },
      );
    }
    const pipeline = meta.space === 'cmyk' ? image.toColourspace('srgb') : image;
    // libvips scales 16-bit samples to 8 bits on the way to raw output (16-bit gray arrives as RGB).
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const raw =
      (info as { depth?: string }).depth === 'ushort' ? scale16(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const pixels = info.width * info.height;
    return { data: toChannels(raw, pixels, info.channels, channels), width: info.width, height: info.height, channels };
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw new PieAuditError('CORRUPT_FILE', `Cannot decode image '${file}' (${(e as Error).message}); is it a complete JPEG or PNG file?`, {
      file,
    });
  }
}

/** What an image's header declares, read without decoding its pixels. */
export interface ImageHeader {
  /** sharp's name of the format: `'png'`, `'jpeg'`, `'webp'`, `'gif'`, `'svg'`, ... */
  format: string;
  width: number;
  height: number;
}

/**
 * Reads the format and size an image's bytes declare (sharp's sniffing of the header, no pixels decoded), so a caller
 * can refuse a non-image or an image too large to decode before {@link decodeImage} spends memory on it.
 *
 * @returns the header, or `null` when the bytes are no image format sharp knows
 * @example
 * const header = await sniffImage(bytes); // { format: 'png', width: 640, height: 480 } or null
 */
export async function sniffImage(bytes: Uint8Array): Promise<ImageHeader | null> {
  try {
    const meta = await loadSharp()(bytes).metadata();
    if (!meta.format || !meta.width || !meta.height) return null;
    return { format: meta.format, width: meta.width, height: meta.height };
  } catch {
    return null;
  }
}
