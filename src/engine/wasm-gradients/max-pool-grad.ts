import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { cropOrPadSpatial, dilateSpatial } from './spatial.js';
import { withWasmKernelScope } from './kernel-scope.js';
import type { DisposingBackend } from './kernel-scope.js';

/**
 * MaxPoolGrad for the wasm backend, composed from its own Reshape, Transpose, Pad, Slice, ArgMax, OneHot,
 * Cast, Equal, Maximum, Multiply, Sub and AddN kernels. It replaces the backend's own kernel, which is
 * slow for the common 2×2 pool (31 ms for a 32×24×24×64 input here, the composition 21 ms) and, in
 * tfjs-backend-wasm 4.22, returns wrong gradients for some shapes (e.g. 2×2 stride 2 on a 2×6×6×3 input,
 * 3×3 stride 1 on 2×8×8×4; checked against the cpu backend and a direct loop).
 *
 * Semantics are the cpu backend's: each window's gradient goes to the first maximum in row-major order
 * within the window (ties included); padding never wins.
 * - Non-overlapping unpadded pools (stride = window, e.g. 2×2 stride 2 'valid'): one reshape-transpose
 *   lays every window out as a last axis, ArgMax + OneHot pick its first maximum, the mask times dy is
 *   laid back out.
 * - Any other pool: the (−∞-padded) input is split once into its stride phases, so each of the f_h·f_w
 *   window positions is a plain slice; a running Maximum gives every window's max, and walking the
 *   positions in order with a "still free" mask keeps only the first position equal to it; each
 *   position's share of dy is spread back by the stride, shifted into place and all are summed.
 *
 * @example
 * registerKernel(maxPoolGradWasmConfig);
 */
export const maxPoolGradWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize: b, outHeight: oh, outWidth: ow, inChannels: c, strideHeight: sh, strideWidth: sw } = info;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const tiles = sh === fh && sw === fw && info.padInfo.top === 0 && info.padInfo.left === 0;
  return withWasmKernelScope(backend as DisposingBackend, (scope) => {
    const needH = (oh - 1) * sh + fh;
    const needW = (ow - 1) * sw + fw;
    let dxPad: TensorInfo;
    if (tiles) {
      const xPad = cropOrPadSpatial(scope, input, 0, needH, 0, needW, -Infinity);
      const grid = scope.run('Reshape', { x: xPad }, { shape: [b, oh, fh, ow, fw, c] });
      const windowsLast = scope.run('Transpose', { x: grid }, { perm: [0, 1, 3, 5, 2, 4] });
      const windows = scope.run('Reshape', { x: windowsLast }, { shape: [b, oh, ow, c, fh * fw] });
      const argmax = scope.run('ArgMax', { x: windows }, { axis: 4 });
      // OneHot as int32, then Cast: the wasm OneHot writes int32 values whatever dtype it is given.
      const oneHot = scope.run('OneHot', { indices: argmax }, { depth: fh * fw, onValue: 1, offValue: 0, dtype: 'int32' });
      const mask = scope.run('Cast', { x: oneHot }, { dtype: 'float32' });
      const dy5 = scope.run('Reshape', { x: dy }, { shape: [b, oh, ow, c, 1] });
      const routed = scope.run('Multiply', { a: mask, b: dy5 });
      const routed6 = scope.run('Reshape', { x: routed }, { shape: [b, oh, ow, c, fh, fw] });
      const back = scope.run('Transpose', { x: routed6 }, { perm: [0, 1, 4, 2, 5, 3] });
      dxPad = scope.run('Reshape', { x: back }, { shape: [b, needH, needW, c] });
    } else {
      // Rows and columns rounded up to whole stride phases; the extra ones are never read.
      const hs = Math.ceil(needH / sh);
      const ws = Math.ceil(needW / sw);
      const xPad = cropOrPadSpatial(scope, input, info.padInfo.top, hs * sh, info.padInfo.left, ws * sw, -Infinity);
      const grid = scope.run('Reshape', { x: xPad }, { shape: [b, hs, sh, ws, sw, c] });
      const byPhase = scope.run('Transpose', { x: grid }, { perm: [2, 4, 0, 1, 3, 5] });
      const phases = scope.run('Reshape', { x: byPhase }, { shape: [sh * sw * b, hs, ws, c] });
      const windowAt = (i: number, j: number) =>
        scope.run(
          'Slice',
          { x: phases },
          { begin: [((i % sh) * sw + (j % sw)) * b, Math.floor(i / sh), Math.floor(j / sw), 0], size: [b, oh, ow, c] },
        );
      const taps: TensorInfo[] = [];
      for (let i = 0; i < fh; i++) for (let j = 0; j < fw; j++) taps.push(windowAt(i, j));
      let best = taps[0];
      for (const t of taps.slice(1)) best = scope.run('Maximum', { a: best, b: t });
      let free = scope.run('Fill', {}, { shape: [b, oh, ow, c], value: 1, dtype: 'float32' });
      const shares: TensorInfo[] = [];
      taps.forEach((t, k) => {
        const isMax = scope.run('Cast', { x: scope.run('Equal', { a: t, b: best }) }, { dtype: 'float32' });
        const first = scope.run('Multiply', { a: isMax, b: free });
        if (k < taps.length - 1) free = scope.run('Sub', { a: free, b: first });
        const share = scope.run('Multiply', { a: first, b: dy });
        const spread = dilateSpatial(scope, share, sh, sw);
        shares.push(cropOrPadSpatial(scope, spread, Math.floor(k / fw), needH, k % fw, needW));
      });
      dxPad = shares.length === 1 ? shares[0] : scope.run('AddN', shares);
    }
    return cropOrPadSpatial(scope, dxPad, -info.padInfo.top, info.inHeight, -info.padInfo.left, info.inWidth);
  });
};

/** Kernel registration for {@link maxPoolGradWasm} (replaces the backend's own MaxPoolGrad). */
export const maxPoolGradWasmConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGradWasm,
};
