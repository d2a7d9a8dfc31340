import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { WasmKernelScope } from './kernel-scope.js';

/**
 * Returns an NHWC view of a 4-D tensor given in `dataFormat` (transposing NCHW input once).
 *
 * @example
 * const xh = toChannelsLast(scope, x, 'channelsFirst'); // [b, h, w, c]
 */
export function toChannelsLast(scope: WasmKernelScope, x: TensorInfo, dataFormat: 'channelsFirst' | 'channelsLast'): TensorInfo {
  return dataFormat === 'channelsLast' ? x : scope.run('Transpose', { x }, { perm: [0, 2, 3, 1] });
}

/**
 * Zero-pads (or crops) an NHWC tensor so that it starts `top` rows / `left` columns before the
 * original first row / column and has exactly `height` × `width` spatial positions: the window of
 * the padded input a convolution actually reads. Negative `top`/`left` crop from the start.
 * `padValue` fills the new positions (0, or −Infinity for max pooling).
 *
 * @example
 * // 'same' 3x3 conv on 5x5: one row and column of zeros on each side
 * const xPad = cropOrPadSpatial(scope, x, 1, 7, 1, 7);
 */
export function cropOrPadSpatial(
  scope: WasmKernelScope,
  x: TensorInfo,
  top: number,
  height: number,
  left: number,
  width: number,
  padValue = 0,
): TensorInfo {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const bottom = height - top - h;
  const right = width - left - w;
  let t = x;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    const r0 = Math.max(0, -top);
    const c0 = Math.max(0, -left);
    const r1 = h + Math.min(0, bottom);
    const c1 = w + Math.min(0, right);
    t = scope.run('Slice', { x: t }, { begin: [0, r0, c0, 0], size: [b, r1 - r0, c1 - c0, c] });
  }
  const pt = Math.max(0, top);
  const pb = Math.max(0, bottom);
  const pl = Math.max(0, left);
  const pr = Math.max(0, right);
  if (pt + pb + pl + pr > 0) {
    t = scope.run(
      'PadV2',
      { x: t },
      {
        paddings: [
          [0, 0],
          [pt, pb],
          [pl, pr],
          [0, 0],
        ],
        constantValue: padValue,
      },
    );
  }
  return t;
}

/**
 * Spreads an NHWC tensor onto a grid `sh` × `sw` times finer, with zeros between the original
 * positions: out[b, p·sh, q·sw, c] = x[b, p, q, c]. The result has h·sh rows and w·sw columns: the
 * last sh − 1 rows (sw − 1 columns) are zeros, which a following {@link cropOrPadSpatial} may keep or
 * crop at no cost to correctness. Built from Reshape and Pad (a zero block after every position).
 *
 * @example
 * const dyDil = dilateSpatial(scope, dy, 2, 2); // [b, 2h, 2w, c]
 */
export function dilateSpatial(scope: WasmKernelScope, x: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const spread = scope.run('Reshape', { x }, { shape: [b, h, 1, w, 1, c] });
  const padded = scope.run(
    'PadV2',
    { x: spread },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  return scope.run('Reshape', { x: padded }, { shape: [b, h * sh, w * sw, c] });
}

/**
 * `dy` dilated by the strides and padded so that a stride-1 'valid' convolution with the spatially
 * flipped filter yields the input gradient: the transposed convolution written as a plain one, shared
 * by the Conv2D and depthwise input gradients.
 *
 * @example
 * const dyPad = padForInputGradient(scope, dy, info);
 * const dx = scope.run('Conv2D', { x: dyPad, filter: flippedSwapped }, { strides: 1, pad: 'valid', ... });
 */
export function padForInputGradient(scope: WasmKernelScope, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const dilated = dilateSpatial(scope, dy, info.strideHeight, info.strideWidth);
  const effH = info.effectiveFilterHeight;
  const effW = info.effectiveFilterWidth;
  return cropOrPadSpatial(
    scope,
    dilated,
    effH - 1 - info.padInfo.top,
    info.inHeight + effH - 1,
    effW - 1 - info.padInfo.left,
    info.inWidth + effW - 1,
  );
}
