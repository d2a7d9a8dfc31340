import { PieAuditError } from '../errors.js';
import type { DecodedImage } from './decode-image.js';
import { resizeBilinear } from './pil-resize.js';

/** The explicit form of a preprocessing: what turns a decoded image into a model input. */
export interface PreprocessSpec {
  /** Target of the resize: the shorter side (`resize: 'shorter'`) or `[height, width]` / a square side (`'exact'`). */
  size: number | readonly [number, number];
  /** `'shorter'`: scale the shorter side to `size`, keeping the aspect ratio (torchvision's `Resize(int)`); `'exact'`: stretch to `size`. */
  resize: 'shorter' | 'exact';
  /** Center crop, a square side or `[height, width]` (torchvision's `CenterCrop`); none when omitted. */
  crop?: number | readonly [number, number];
  /** Multiplies each 0..255 pixel first (default 1/255). */
  scale?: number;
  /** Subtracted per channel after scaling (default 0). */
  mean?: number | readonly number[];
  /** Divides per channel after the mean (default 1). */
  std?: number | readonly number[];
  /** `'nchw'` (PyTorch) or `'nhwc'` (TensorFlow/Keras). */
  layout: 'nchw' | 'nhwc';
  /** 3 (RGB, default) or 1 (PIL's luma). */
  channels?: 1 | 3;
}

/** A preset name or the explicit form. */
export type Preprocess = 'torchvision' | 'keras-inception' | 'keras-mobilenet' | PreprocessSpec;

/** A preprocessing with every default filled in, as the report records it. */
export interface ResolvedPreprocess {
  preset: string | null;
  size: [number, number] | number;
  resize: 'shorter' | 'exact';
  crop: [number, number] | null;
  scale: number;
  mean: number[];
  std: number[];
  layout: 'nchw' | 'nhwc';
  channels: 1 | 3;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** The presets: what each framework's reference pipeline does (see docs/evaluation.md). */
export const PREPROCESS_PRESETS: Readonly<Record<'torchvision' | 'keras-inception' | 'keras-mobilenet', PreprocessSpec>> = {
  torchvision: { size: 256, resize: 'shorter', crop: 224, scale: 1 / 255, mean: IMAGENET_MEAN, std: IMAGENET_STD, layout: 'nchw' },
  'keras-inception': { size: 299, resize: 'exact', scale: 1 / 255, mean: 0.5, std: 0.5, layout: 'nhwc' },
  'keras-mobilenet': { size: 224, resize: 'exact', scale: 1 / 255, mean: 0.5, std: 0.5, layout: 'nhwc' },
};

const KEYS = new Set(['size', 'resize', 'crop', 'scale', 'mean', 'std', 'layout', 'channels']);

const bad = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

function pair(value: unknown, key: string): [number, number] {
  const v = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => Number.isInteger(d) && d >= 1 && d <= 16384))
    throw bad(key, `must be a positive integer or [height, width]; got ${JSON.stringify(value)}.`);
  return [v[0], v[1]];
}

function perChannel(value: unknown, channels: number, fallback: number, key: string): number[] {
  if (value === undefined) return Array(channels).fill(fallback);
  const v = typeof value === 'number' ? Array(channels).fill(value) : value;
  if (!Array.isArray(v) || v.length !== channels || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw bad(key, `must be a number or ${channels} numbers (one per channel); got ${JSON.stringify(value)}.`);
  return [...v];
}

/**
 * Validates a preprocessing (a preset name or the explicit form) and fills in its defaults.
 *
 * @throws PieAuditError `CONFIG_ERROR` naming `key` and the fix
 * @example
 * resolvePreprocess('torchvision').crop; // [224, 224]
 */
export function resolvePreprocess(preprocess: Preprocess, key = 'testSet.preprocess'): ResolvedPreprocess {
  let spec: PreprocessSpec;
  let preset: string | null = null;
  if (typeof preprocess === 'string') {
    if (!Object.hasOwn(PREPROCESS_PRESETS, preprocess))
      throw bad(
        key,
        `unknown preset '${preprocess}'; use 'torchvision', 'keras-inception', 'keras-mobilenet' or { size, resize, crop, scale, mean, std, layout }.`,
      );
    spec = PREPROCESS_PRESETS[preprocess as keyof typeof PREPROCESS_PRESETS];
    preset = preprocess;
  } else if (typeof preprocess === 'object' && preprocess !== null && !Array.isArray(preprocess)) {
    spec = preprocess;
    for (const k of Object.keys(spec)) if (!KEYS.has(k)) throw bad(`${key}.${k}`, `unknown key; known keys: ${[...KEYS].join(', ')}.`);
  } else throw bad(key, `must be a preset name or { size, resize, layout, ... }; got ${JSON.stringify(preprocess)}.`);
  if (spec.resize !== 'shorter' && spec.resize !== 'exact')
    throw bad(`${key}.resize`, `must be 'shorter' or 'exact'; got ${JSON.stringify(spec.resize)}.`);
  if (spec.layout !== 'nchw' && spec.layout !== 'nhwc')
    throw bad(`${key}.layout`, `must be 'nchw' or 'nhwc'; got ${JSON.stringify(spec.layout)}.`);
  const channels = spec.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw bad(`${key}.channels`, `must be 1 or 3; got ${JSON.stringify(spec.channels)}.`);
  const scale = spec.scale ?? 1 / 255;
  if (typeof scale !== 'number' || !Number.isFinite(scale))
    throw bad(`${key}.scale`, `must be a finite number; got ${JSON.stringify(spec.scale)}.`);
  const size = spec.resize === 'shorter' ? pair(spec.size, `${key}.size`)[0] : pair(spec.size, `${key}.size`);
  if (spec.resize === 'shorter' && typeof spec.size !== 'number')
    throw bad(`${key}.size`, `with resize 'shorter' must be one integer (the shorter side).`);
  const std = perChannel(spec.std, channels, 1, `${key}.std`);
  if (std.some((s) => s === 0)) throw bad(`${key}.std`, 'must not be 0.');
  return {
    preset,
    size,
    resize: spec.resize,
    crop: spec.crop === undefined ? null : pair(spec.crop, `${key}.crop`),
    scale,
    mean: perChannel(spec.mean, channels, 0, `${key}.mean`),
    std,
    layout: spec.layout,
    channels,
  };
}

/** Height and width after the resize, before any crop (torchvision's `_compute_resized_output_size` for `'shorter'`). */
export function resizedSize(p: ResolvedPreprocess, width: number, height: number): [number, number] {
  if (p.resize === 'exact') return p.size as [number, number];
  const target = p.size as number;
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((target * long) / short);
  return width <= height ? [newLong, target] : [target, newLong];
}

/** Height and width of every preprocessed image, whatever its original size, or null when it depends on the image. */
export function outputSize(p: ResolvedPreprocess): [number, number] | null {
  if (p.crop) return p.crop;
  return p.resize === 'exact' ? (p.size as [number, number]) : null;
}

/** The shape of one model input: `[C, H, W]` or `[H, W, C]`. */
export function preprocessedShape(p: ResolvedPreprocess): number[] | null {
  const hw = outputSize(p);
  if (!hw) return null;
  return p.layout === 'nchw' ? [p.channels, hw[0], hw[1]] : [hw[0], hw[1], p.channels];
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision's center crop (zero padding when the crop is larger than the image), on 8-bit HWC pixels. */
function centerCrop(pixels: Uint8Array, width: number, height: number, channels: number, cropH: number, cropW: number): Uint8Array {
  const top = cropH > height ? -Math.floor((cropH - height) / 2) : roundHalfEven((height - cropH) / 2);
  const left = cropW > width ? -Math.floor((cropW - width) / 2) : roundHalfEven((width - cropW) / 2);
  const out = new Uint8Array(cropH * cropW * channels);
  for (let y = 0; y < cropH; y++) {
    const sy = y + top;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < cropW; x++) {
      const sx = x + left;
      if (sx < 0 || sx >= width) continue;
      const s = (sy * width + sx) * channels;
      out.set(pixels.subarray(s, s + channels), (y * cropW + x) * channels);
    }
  }
  return out;
}

/**
 * Resizes (PIL's antialiased bilinear filter) and center-crops a decoded image: the 8-bit pixels a framework's
 * `ToTensor` / `img_to_array` would see, HWC. Normalise them with {@link normalizePixels}.
 *
 * @example
 * const p = resolvePreprocess('torchvision');
 * const crop = resizeAndCrop(await decodeImage('cat.jpg'), p); // 224 x 224 x 3 bytes
 */
export function resizeAndCrop(image: DecodedImage, p: ResolvedPreprocess): DecodedImage {
  const [h, w] = resizedSize(p, image.width, image.height);
  let pixels = resizeBilinear(image.data, image.width, image.height, image.channels, w, h);
  if (!p.crop) return { data: pixels, width: w, height: h, channels: image.channels };
  pixels = centerCrop(pixels, w, h, image.channels, p.crop[0], p.crop[1]);
  return { data: pixels, width: p.crop[1], height: p.crop[0], channels: image.channels };
}

/**
 * Writes `(pixel * scale - mean) / std` per channel into `out` at `offset`, in the declared layout, with float32
 * arithmetic at each step as torchvision's `ToTensor` + `Normalize` do.
 *
 * @example
 * normalizePixels(crop, p, batch, i * 3 * 224 * 224);
 */
export function normalizePixels(image: DecodedImage, p: ResolvedPreprocess, out: Float32Array, offset: number): void {
  const { width, height, channels, data } = image;
  const plane = width * height;
  const f = Math.fround;
  // /255 is a float32 division in torchvision; other scales multiply.
  const scaled = Math.abs(p.scale - 1 / 255) < 1e-15 ? (v: number) => f(v / 255) : (v: number) => f(v * p.scale);
  const table = new Float32Array(256);
  for (let c = 0; c < channels; c++) {
    const mean = f(p.mean[c]);
    const std = f(p.std[c]);
    // 8-bit pixels take 256 values: one table per channel holds every result.
    for (let v = 0; v < 256; v++) table[v] = f(f(scaled(v) - mean) / std);
    if (p.layout === 'nchw') for (let i = 0; i < plane; i++) out[offset + c * plane + i] = table[data[i * channels + c]];
    else for (let i = 0; i < plane; i++) out[offset + i * channels + c] = table[data[i * channels + c]];
  }
}
