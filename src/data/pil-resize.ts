/**
 * PIL's two-pass convolution resampling (Pillow's `Resample.c`, 8-bit path) with the bilinear filter, so that
 * resized pixels equal `Image.resize(size, Image.BILINEAR)` value for value: when shrinking, the filter's support
 * widens by the scale factor (antialiasing), coefficients are fixed point with 22 fractional bits, the horizontal
 * pass runs first and its result is rounded to 8 bits before the vertical pass.
 */

const PRECISION_BITS = 22;

/** Fixed-point coefficients and source bounds of every output position along one axis. */
function coefficients(inSize: number, outSize: number): { ksize: number; bounds: Int32Array; kk: Int32Array } {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 1 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Int32Array(outSize * ksize);
  const weights = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) * ss);
      const w = t < 1 ? 1 - t : 0;
      weights[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const k = ww !== 0 ? weights[x] / ww : weights[x];
      kk[xx * ksize + x] = Math.trunc(k < 0 ? -0.5 + k * (1 << PRECISION_BITS) : 0.5 + k * (1 << PRECISION_BITS));
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, kk };
}

const clip8 = (ss: number) => {
  const v = ss >> PRECISION_BITS;
  return v < 0 ? 0 : Math.min(v, 255);
};

/**
 * Resizes 8-bit HWC pixels to `outWidth` x `outHeight` exactly as Pillow's `Image.resize(..., BILINEAR)`.
 *
 * @example
 * const small = resizeBilinear(rgb, 640, 480, 3, 256, 192); // Uint8Array of 256 * 192 * 3
 */
export function resizeBilinear(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  if (outWidth === width && outHeight === height) return pixels.slice();
  const vert = coefficients(height, outHeight);
  let src = pixels;
  if (outWidth !== width) {
    // Only the rows the vertical pass reads are resized horizontally, as Pillow does.
    const first = vert.bounds[0];
    const last = vert.bounds[outHeight * 2 - 2] + vert.bounds[outHeight * 2 - 1];
    const horiz = coefficients(width, outWidth);
    const rows = outHeight !== height ? last - first : height;
    const offset = outHeight !== height ? first : 0;
    const tmp = new Uint8Array(rows * outWidth * channels);
    for (let y = 0; y < rows; y++) {
      const rowIn = (y + offset) * width * channels;
      const rowOut = y * outWidth * channels;
      for (let xx = 0; xx < outWidth; xx++) {
        const xmin = horiz.bounds[xx * 2];
        const xmax = horiz.bounds[xx * 2 + 1];
        const k0 = xx * horiz.ksize;
        for (let c = 0; c < channels; c++) {
          let ss = 1 << (PRECISION_BITS - 1);
          for (let x = 0; x < xmax; x++) ss += pixels[rowIn + (x + xmin) * channels + c] * horiz.kk[k0 + x];
          tmp[rowOut + xx * channels + c] = clip8(ss);
        }
      }
    }
    if (outHeight === height) return tmp;
    for (let i = 0; i < outHeight; i++) vert.bounds[i * 2] -= offset;
    src = tmp;
  }
  const out = new Uint8Array(outHeight * outWidth * channels);
  const stride = outWidth * channels;
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = vert.bounds[yy * 2];
    const ymax = vert.bounds[yy * 2 + 1];
    const k0 = yy * vert.ksize;
    for (let i = 0; i < stride; i++) {
      let ss = 1 << (PRECISION_BITS - 1);
      for (let y = 0; y < ymax; y++) ss += src[(y + ymin) * stride + i] * vert.kk[k0 + y];
      out[yy * stride + i] = clip8(ss);
    }
  }
  return out;
}
