import { PieAuditError } from '../errors.js';

/** Shape measurements of digit images, one value per image (see {@link measureDigits}). */
export interface DigitMorphometrics {
  /** Foreground pixels after binarisation (px²). */
  area: Float64Array;
  /** Mean stroke thickness along the stroke's ridge (px). */
  thickness: Float64Array;
  /** Horizontal shear in radians; positive leans right (top to the right of the bottom). */
  slant: Float64Array;
  /** Width of the slanted bounding parallelogram holding the central 98 % of the ink (px). */
  width: Float64Array;
  /** Height of that parallelogram (px). */
  height: Float64Array;
}

/** Options of {@link measureDigits}. */
export interface MeasureDigitsOptions {
  /** Image side in pixels (square images); default 28. */
  side?: number;
  /** Binarisation level between the image's darkest and brightest pixel; default 0.5 (Morpho-MNIST's). */
  threshold?: number;
  /** Share of the ink left outside the bounding parallelogram, split over both sides; default 0.02. */
  boundFraction?: number;
}

/** Exact squared Euclidean distance transform of one row or column (Felzenszwalb and Huttenlocher 2012). */
function distance1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    if (f[q] === Infinity) continue;
    if (f[v[0]] === Infinity) {
      v[0] = q;
      continue;
    }
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (f[v[0]] === Infinity) {
    d.fill(Infinity, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    d[q] = (q - v[k]) * (q - v[k]) + f[v[k]];
  }
}

/**
 * Distance of every foreground pixel to the nearest background pixel (pixels outside the image
 * count as background), as scipy.ndimage.distance_transform_edt on the zero-padded image.
 */
function distanceMap(binary: Uint8Array, side: number): Float64Array {
  const p = side + 2;
  const grid = new Float64Array(p * p).fill(0);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) if (binary[y * side + x]) grid[(y + 1) * p + x + 1] = Infinity;
  const f = new Float64Array(p);
  const d = new Float64Array(p);
  const v = new Int32Array(p);
  const z = new Float64Array(p + 1);
  for (let x = 0; x < p; x++) {
    for (let y = 0; y < p; y++) f[y] = grid[y * p + x];
    distance1d(f, p, d, v, z);
    for (let y = 0; y < p; y++) grid[y * p + x] = d[y];
  }
  const out = new Float64Array(side * side);
  for (let y = 0; y < p; y++) {
    for (let x = 0; x < p; x++) f[x] = grid[y * p + x];
    distance1d(f, p, d, v, z);
    if (y >= 1 && y <= side) for (let x = 1; x <= side; x++) out[(y - 1) * side + x - 1] = Math.sqrt(d[x]);
  }
  return out;
}

/**
 * Mean stroke thickness: twice the mean distance-to-background on the ridge, the foreground pixels
 * no closer to the background than any 4-neighbour (a cheap stand-in for Morpho-MNIST's medial axis).
 */
function ridgeThickness(dist: Float64Array, side: number): number {
  let sum = 0;
  let count = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const here = dist[y * side + x];
      if (here === 0) continue;
      const at = (yy: number, xx: number) => (yy < 0 || xx < 0 || yy >= side || xx >= side ? 0 : dist[yy * side + xx]);
      if (here >= at(y - 1, x) && here >= at(y + 1, x) && here >= at(y, x - 1) && here >= at(y, x + 1)) {
        sum += here;
        count++;
      }
    }
  }
  return count === 0 ? 0 : (2 * sum) / count;
}

/** numpy.interp for one point with nondecreasing `xp`: the last segment starting at or below `value`. */
function interp(value: number, xp: Float64Array, fp: ArrayLike<number>): number {
  const last = xp.length - 1;
  if (value <= xp[0]) return fp[0];
  if (value >= xp[last]) return fp[last];
  let j = 0;
  while (xp[j + 1] <= value) j++;
  return fp[j] + ((value - xp[j]) * (fp[j + 1] - fp[j])) / (xp[j + 1] - xp[j]);
}

/** Slant, width and height from intensity moments and the slanted bounding parallelogram (Morpho-MNIST's definitions). */
function shapeOfInk(img: ArrayLike<number>, offset: number, side: number, boundFraction: number): [number, number, number] {
  let m00 = 0;
  let m10 = 0;
  let m01 = 0;
  let m11 = 0;
  let m02 = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const w = img[offset + y * side + x];
      m00 += w;
      m10 += x * w;
      m01 += y * w;
      m11 += x * y * w;
      m02 += y * y * w;
    }
  }
  if (m00 <= 0) return [0, 0, 0];
  const cx = m10 / m00;
  const cy = m01 / m00;
  const u02 = m02 / m00 - cy * cy;
  const shear = u02 > 0 ? (m11 / m00 - cx * cy) / u02 : 0;
  const horizontal = new Float64Array(side);
  const vertical = new Float64Array(side);
  for (let t = 0; t < side; t++) {
    let left = 0;
    let above = 0;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const w = img[offset + y * side + x];
        if (x + 0.5 < t + shear * (y - cy)) left += w;
        if (y < t) above += w;
      }
    }
    horizontal[t] = left / m00;
    vertical[t] = above / m00;
  }
  const locations = Array.from({ length: side }, (_, i) => i);
  const half = boundFraction / 2;
  const width = interp(1 - half, horizontal, locations) - interp(half, horizontal, locations);
  const height = interp(1 - half, vertical, locations) - interp(half, vertical, locations);
  return [Math.atan(-shear), width, height];
}

/**
 * Morpho-MNIST-style shape measurements (Castro et al. 2019) of square grey-level digit images:
 * area, stroke thickness, slant, width and height. Computed at the images' own resolution, with a
 * ridge of the distance map standing in for the medial axis (Morpho-MNIST first upsamples 4x and thins),
 * so values are not on the scale of Morpho-MNIST's published tables; they serve to rank images.
 * Images with no ink measure 0 throughout.
 *
 * Pixels are read as ink weights in [0, 1]. An image with any pixel outside [0, 1] (standardised inputs such as
 * PyTorch's `(x / 255 - 0.1307) / 0.3081`, or raw 0-255 bytes) is first rescaled to [0, 1] by its own minimum and
 * maximum, so every positive affine scaling of an image measures as the image itself (a negative background
 * would otherwise weigh against the ink and turn slant, width and height into noise). Images already in [0, 1]
 * are measured as given.
 *
 * @example
 * const test = loadMnist('test');
 * const m = measureDigits(test.images); // m.thickness[0] ≈ 2.2 px for the first test digit (a 7)
 * @throws PieAuditError INVALID_ARGUMENT when the pixel count is not a multiple of side², or an option is out of range.
 */
export function measureDigits(images: ArrayLike<number>, options: MeasureDigitsOptions = {}): DigitMorphometrics {
  const side = options.side ?? 28;
  const threshold = options.threshold ?? 0.5;
  const boundFraction = options.boundFraction ?? 0.02;
  if (!Number.isInteger(side) || side < 2)
    throw new PieAuditError('INVALID_ARGUMENT', `options.side must be an integer of at least 2; got ${side}.`);
  if (!(threshold > 0 && threshold <= 1))
    throw new PieAuditError('INVALID_ARGUMENT', `options.threshold must be in (0, 1]; got ${threshold}.`);
  if (!(boundFraction >= 0 && boundFraction < 1))
    throw new PieAuditError('INVALID_ARGUMENT', `options.boundFraction must be in [0, 1); got ${boundFraction}.`);
  const size = side * side;
  if (images.length % size !== 0) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `images: ${images.length} pixels is not a whole number of ${side}x${side} images; pass options.side.`,
    );
  }
  const n = images.length / size;
  const out: DigitMorphometrics = {
    area: new Float64Array(n),
    thickness: new Float64Array(n),
    slant: new Float64Array(n),
    width: new Float64Array(n),
    height: new Float64Array(n),
  };
  const binary = new Uint8Array(size);
  const unit = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    const offset = i * size;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < size; k++) {
      const value = images[offset + k];
      if (value < lo) lo = value;
      if (value > hi) hi = value;
    }
    if (!(hi > lo)) continue;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new PieAuditError('NON_FINITE', `images: image ${i} has a non-finite pixel; pass finite pixel values.`, {
        name: 'images',
        index: i,
      });
    }
    const cut = lo + (hi - lo) * threshold;
    let area = 0;
    for (let k = 0; k < size; k++) area += binary[k] = images[offset + k] >= cut ? 1 : 0;
    out.area[i] = area;
    out.thickness[i] = ridgeThickness(distanceMap(binary, side), side);
    if (lo >= 0 && hi <= 1) [out.slant[i], out.width[i], out.height[i]] = shapeOfInk(images, offset, side, boundFraction);
    else {
      for (let k = 0; k < size; k++) unit[k] = (images[offset + k] - lo) / (hi - lo);
      [out.slant[i], out.width[i], out.height[i]] = shapeOfInk(unit, 0, side, boundFraction);
    }
  }
  return out;
}
