import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PieAuditError } from '../../src/errors.js';
import { crc32, encodePng, encodePngDataUri } from '../../src/data/png.js';

// Independent bit-by-bit CRC-32 (no table) so the test does not share code with the encoder.
function referenceCrc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a),
    pb = Math.abs(p - b),
    pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Minimal PNG decoder (8-bit, non-interlaced, grey/RGB/RGBA, all five filters), checking every CRC. */
function decodePng(png: Uint8Array): { width: number; height: number; channels: number; pixels: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8;
  let width = 0,
    height = 0,
    channels = 0;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (off < png.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const data = png.subarray(off + 8, off + 8 + len);
    expect(view.getUint32(off + 8 + len)).toBe(referenceCrc(png.subarray(off + 4, off + 8 + len)));
    types.push(type);
    if (type === 'IHDR') {
      const d = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = d.getUint32(0);
      height = d.getUint32(4);
      expect(data[8]).toBe(8);
      channels = ({ 0: 1, 2: 3, 6: 4 } as Record<number, number>)[data[9]!]!;
      expect(data[12]).toBe(0);
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe((stride + 1) * height);
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter]!;
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

const imageArb = fc
  .record({
    width: fc.integer({ min: 1, max: 12 }),
    height: fc.integer({ min: 1, max: 12 }),
    channels: fc.constantFrom(1 as const, 3 as const, 4 as const),
    scale: fc.integer({ min: 1, max: 3 }),
  })
  .chain((dims) =>
    fc.record({
      dims: fc.constant(dims),
      bytes: fc.uint8Array({ minLength: dims.width * dims.height * dims.channels, maxLength: dims.width * dims.height * dims.channels }),
    }),
  );

describe('encodePng', () => {
  it('round-trips random 8-bit images through a PNG decoder, with nearest-neighbour upscaling', () => {
    fc.assert(
      fc.property(imageArb, ({ dims, bytes }) => {
        const { width, height, channels, scale } = dims;
        const decoded = decodePng(encodePng(bytes, width, height, channels, { scale }));
        expect(decoded.width).toBe(width * scale);
        expect(decoded.height).toBe(height * scale);
        expect(decoded.channels).toBe(channels);
        for (let y = 0; y < height * scale; y++) {
          for (let x = 0; x < width * scale; x++) {
            for (let c = 0; c < channels; c++) {
              const got = decoded.pixels[(y * width * scale + x) * channels + c];
              const want = bytes[(Math.floor(y / scale) * width + Math.floor(x / scale)) * channels + c];
              if (got !== want) expect({ x, y, c, got }).toEqual({ x, y, c, got: want });
            }
          }
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('reads Float32Array in [0, 1] as intensities and in [0, 255] as bytes', () => {
    const unit = Float32Array.from([0, 0.5, 1, 0.25]);
    expect([...decodePng(encodePng(unit, 2, 2, 1)).pixels]).toEqual([0, 128, 255, 64]);
    const bytes = Float32Array.from([0, 12.4, 255, 300]);
    expect([...decodePng(encodePng(bytes, 2, 2, 1)).pixels]).toEqual([0, 12, 255, 255]);
  });

  it('makes a 56x56 thumbnail from a 28x28 MNIST-sized image', () => {
    const digit = new Float32Array(28 * 28).map((_, i) => (i % 28) / 27);
    const decoded = decodePng(encodePng(digit, 28, 28, 1, { scale: 2 }));
    expect([decoded.width, decoded.height]).toEqual([56, 56]);
    expect(decoded.pixels[55]).toBe(255);
  });

  it('rejects wrong lengths, bad channels, bad scale and non-finite pixels with PieAuditError', () => {
    expect(() => encodePng(new Uint8Array(5), 2, 2, 1)).toThrow(/width\*height\*channels/);
    expect(() => encodePng(new Uint8Array(4), 2, 2, 2 as 1)).toThrow(PieAuditError);
    expect(() => encodePng(new Uint8Array(4), 2, 2, 1, { scale: 0 })).toThrow(/scale/);
    expect(() => encodePng(Float32Array.from([0, NaN, 0, 0]), 2, 2, 1)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => encodePng(new Uint8Array(0), 0, 0, 1)).toThrow(/width/);
  });
});

describe('crc32', () => {
  it('matches a bitwise reference CRC-32 on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => crc32(b) === referenceCrc(b)),
      { seed: 7, numRuns: 100 },
    );
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });
});

describe('encodePngDataUri', () => {
  it('is a base64 data URI whose payload is the PNG', () => {
    const px = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const uri = encodePngDataUri(px, 2, 1, 3, { scale: 2 });
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(new Uint8Array(Buffer.from(uri.slice(22), 'base64'))).toEqual(encodePng(px, 2, 1, 3, { scale: 2 }));
  });
});
