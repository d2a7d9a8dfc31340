import { deflateSync } from 'node:zlib';
import { PieAuditError } from '../errors.js';
import { concatArrays } from './concat-arrays.js';

/** Channel layouts the encoder accepts: grey, RGB or RGBA, 8 bits per channel. */
export type PngChannels = 1 | 3 | 4;

/** Options for {@link encodePng} and {@link encodePngDataUri}. */
export interface EncodePngOptions {
  /**
   * Integer nearest-neighbour upscaling factor (default 1). Small thumbnails such as
   * 28x28 MNIST digits read better at `scale: 2` (56x56) and stay crisp in a browser.
   */
  scale?: number;
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

// CRC-32 (ISO 3309 polynomial, as the PNG specification requires), table built once.
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 of `bytes` as used by PNG chunks (and zip/gzip).
 *
 * @example
 * crc32(new TextEncoder().encode('IEND')); // 0xae426082
 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function checkDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 1 << 16) {
    throw new PieAuditError('INVALID_ARGUMENT', `encodePng: ${name} must be an integer in [1, 65536], got ${value}.`, { [name]: value });
  }
}

/**
 * Converts float pixels to bytes. Floats whose maximum is <= 1 are read as [0, 1] intensities
 * and multiplied by 255; otherwise they are read as [0, 255]. Values are clamped and rounded.
 */
function toBytes(pixels: Uint8Array | Float32Array): Uint8Array {
  if (pixels instanceof Uint8Array) return pixels;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (!Number.isFinite(v)) {
      throw new PieAuditError('NON_FINITE', `encodePng: pixels[${i}] is ${v}; pixel values must be finite numbers in [0, 1] or [0, 255].`, {
        index: i,
      });
    }
    if (v > max) max = v;
  }
  const factor = max <= 1 ? 255 : 1;
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(pixels[i]! * factor)));
  return out;
}

/**
 * Encodes an image as a PNG file (8-bit grey, RGB or RGBA, no interlacing).
 *
 * `pixels` is row-major, channel-interleaved (`(y * width + x) * channels + c`).
 * A `Uint8Array` is taken as-is (0..255). A `Float32Array` is read as [0, 1] intensities when
 * its maximum is <= 1 (the usual normalised-input convention), otherwise as [0, 255]; values are
 * clamped and rounded. `scale` upsamples by an integer factor with nearest-neighbour.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` for bad dimensions, channel count, scale or a pixel
 *   array of the wrong length; `NON_FINITE` for NaN/Infinity pixels.
 * @example
 * const digit = new Float32Array(28 * 28); // MNIST image in [0, 1]
 * const png = encodePng(digit, 28, 28, 1, { scale: 2 }); // 56x56 grey PNG
 * writeFileSync('digit.png', png);
 */
export function encodePng(
  pixels: Uint8Array | Float32Array,
  width: number,
  height: number,
  channels: PngChannels,
  options: EncodePngOptions = {},
): Uint8Array {
  checkDimension('width', width);
  checkDimension('height', height);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new PieAuditError('INVALID_ARGUMENT', `encodePng: channels must be 1, 3 or 4, got ${String(channels)}.`, { channels });
  }
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1 || scale > 64) {
    throw new PieAuditError('INVALID_ARGUMENT', `encodePng: options.scale must be an integer in [1, 64], got ${scale}.`, { scale });
  }
  if (!(pixels instanceof Uint8Array || pixels instanceof Float32Array)) {
    throw new PieAuditError('INVALID_ARGUMENT', 'encodePng: pixels must be a Uint8Array or Float32Array.');
  }
  const expected = width * height * channels;
  if (pixels.length !== expected) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `encodePng: pixels has ${pixels.length} values but width*height*channels = ${width}*${height}*${channels} = ${expected}.`,
      { length: pixels.length, expected },
    );
  }
  const bytes = toBytes(pixels);
  const outW = width * scale;
  const outH = height * scale;
  checkDimension('width*scale', outW);
  checkDimension('height*scale', outH);

  // Raw scanlines: one filter byte (0 = None) then the row; zlib does the compression work.
  const stride = outW * channels;
  const raw = new Uint8Array((stride + 1) * outH);
  for (let y = 0; y < outH; y++) {
    const srcRow = Math.floor(y / scale) * width * channels;
    const dst = y * (stride + 1) + 1;
    for (let x = 0; x < outW; x++) {
      const src = srcRow + Math.floor(x / scale) * channels;
      for (let c = 0; c < channels; c++) raw[dst + x * channels + c] = bytes[src + c]!;
    }
  }

  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, outW);
  view.setUint32(4, outH);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 1 ? 0 : channels === 3 ? 2 : 6; // colour type: grey, truecolour, truecolour+alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace

  const parts = [
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(raw, { level: 9 }))),
    chunk('IEND', new Uint8Array(0)),
  ];
  return concatArrays(Uint8Array, parts);
}

/**
 * Encodes an image as a `data:image/png;base64,...` URI, ready for an `<img src>` in a
 * self-contained HTML report. Same pixel conventions as {@link encodePng}.
 *
 * @example
 * const uri = encodePngDataUri(digit, 28, 28, 1, { scale: 2 });
 * html += `<img src="${uri}" width="56" height="56" alt="digit">`;
 */
export function encodePngDataUri(
  pixels: Uint8Array | Float32Array,
  width: number,
  height: number,
  channels: PngChannels,
  options: EncodePngOptions = {},
): string {
  return `data:image/png;base64,${Buffer.from(encodePng(pixels, width, height, channels, options)).toString('base64')}`;
}
