import { encodePngDataUri } from '../data/png.js';
import { seededRandom } from '../random/seeded-random.js';
import { seededPermutation } from '../random/seeded-permutation.js';
import type { PieExemplar } from '../schema/index.js';

/**
 * Image layout of an input shape, or null when it is not an image a browser can show.
 * @internal
 * @example
 * imageLayout([28, 28, 1]); // { width: 28, height: 28, channels: 1, channelsFirst: false }
 * imageLayout([3, 32, 32]); // { width: 32, height: 32, channels: 3, channelsFirst: true }
 * imageLayout([784]); // null
 */
export function imageLayout(
  inputShape: readonly number[] | undefined,
): { width: number; height: number; channels: 1 | 3 | 4; channelsFirst: boolean } | null {
  if (!inputShape) return null;
  if (inputShape.length < 2 || inputShape.length > 3) return null;
  // PyTorch's NCHW: a leading 1 or 3 and no channel count last, e.g. [3, 32, 32] or [1, 28, 28].
  const channelsFirst = inputShape.length === 3 && (inputShape[0] === 1 || inputShape[0] === 3) && ![1, 3, 4].includes(inputShape[2]);
  const [h, w, c = 1] = channelsFirst ? [inputShape[1], inputShape[2], inputShape[0]] : inputShape;
  if (!(c === 1 || c === 3 || c === 4)) return null;
  if (!(h >= 4 && w >= 4 && h <= 256 && w <= 256)) return null;
  return { width: w, height: h, channels: c, channelsFirst };
}

/** One example's pixels, channel-interleaved (HWC) as PNG encoding wants them. */
function interleaved(
  pixels: Float32Array,
  layout: { width: number; height: number; channels: number; channelsFirst: boolean },
): Float32Array {
  if (!layout.channelsFirst || layout.channels === 1) return pixels;
  const plane = layout.width * layout.height;
  const out = new Float32Array(pixels.length);
  for (let c = 0; c < layout.channels; c++) for (let i = 0; i < plane; i++) out[i * layout.channels + c] = pixels[c * plane + i];
  return out;
}

/** Fraction of the models whose label for example i equals `label`. */
function agreement(population: readonly ArrayLike<number>[], i: number, label: number): number {
  let votes = 0;
  for (const p of population) if (p[i] === label) votes++;
  return votes / population.length;
}

/**
 * Picks up to `max` PIEs (a seeded random sample, listed by index) and describes each one, with a
 * PNG thumbnail when the inputs are images.
 * @internal
 */
export function pickExemplars(args: {
  isPIE: Uint8Array;
  baselineModal: ArrayLike<number>;
  compressedModal: ArrayLike<number>;
  baseline: readonly ArrayLike<number>[];
  compressed: readonly ArrayLike<number>[];
  labels: ArrayLike<number> | null;
  inputs: Float32Array | undefined;
  inputShape: readonly number[] | undefined;
  max: number;
  seed: number;
  thumbnails: boolean;
}): PieExemplar[] {
  const pies: number[] = [];
  for (let i = 0; i < args.isPIE.length; i++) if (args.isPIE[i]) pies.push(i);
  let chosen = pies;
  if (pies.length > args.max) {
    const perm = seededPermutation(pies.length, seededRandom(args.seed));
    chosen = Array.from(perm.subarray(0, args.max), (k) => pies[k]).sort((a, b) => a - b);
  }
  const layout = args.thumbnails ? imageLayout(args.inputShape) : null;
  const size = layout ? layout.width * layout.height * layout.channels : 0;
  return chosen.map((i) => {
    let thumbnail: string | null = null;
    if (layout && args.inputs && args.inputs.length >= (i + 1) * size) {
      const pixels = interleaved(args.inputs.subarray(i * size, (i + 1) * size), layout);
      if (pixels.every(Number.isFinite)) {
        // Standardised inputs (negative values) are shifted to [0, 1] so the picture stays visible.
        let min = Infinity;
        let max = -Infinity;
        for (const v of pixels) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        const shown = min < 0 ? Float32Array.from(pixels, (v) => (max > min ? (v - min) / (max - min) : 0)) : Float32Array.from(pixels);
        thumbnail = encodePngDataUri(shown, layout.width, layout.height, layout.channels, { scale: layout.width <= 32 ? 2 : 1 });
      }
    }
    const b = args.baselineModal[i];
    const c = args.compressedModal[i];
    return {
      index: i,
      baselineModal: b,
      compressedModal: c,
      trueLabel: args.labels ? args.labels[i] : null,
      baselineAgreement: agreement(args.baseline, i, b),
      compressedAgreement: agreement(args.compressed, i, c),
      thumbnail,
    };
  });
}
