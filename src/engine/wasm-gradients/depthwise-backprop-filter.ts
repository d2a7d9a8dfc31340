import { backend_util, DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { cropOrPadSpatial } from './spatial.js';
import { assertUndilated } from './dilation-guard.js';
import { withWasmKernelScope } from './kernel-scope.js';
import type { DisposingBackend } from './kernel-scope.js';

/**
 * Filter gradient of an NHWC depthwise convolution (x [b, H, W, c], dy [b, oh, ow, c·m], filter
 * [fH, fW, c, m]), composed from the wasm backend's Transpose, Reshape, Pad, DepthwiseConv2dNative
 * (XNNPACK) and Sum kernels.
 *
 * dW[i, j, c, q] = Σ_{b, p, r} xPad[b, p·sh + i·dh, r·sw + j·dw, c] · dy[b, p, r, c·m + q]
 *
 * Moving the batch into the channel axis makes this one depthwise convolution: input
 * xPadᵀ = [1, H', W', b·c], filter dyᵀ = [oh, ow, b·c, m], stride d and dilation s give
 * [1, fH, fW, b·c·m]; summing over b gives [fH, fW, c, m].
 *
 * @example
 * registerKernel(depthwiseConv2dNativeBackpropFilterWasmConfig);
 */
export const depthwiseConv2dNativeBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  assertUndilated(dilations, 'DepthwiseConv2dNativeBackpropFilter');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const [fH, fW, c, m] = filterShape;
  const b = info.batchSize;
  const { outHeight: oh, outWidth: ow } = info;
  return withWasmKernelScope(backend as DisposingBackend, (scope) => {
    const needH = (oh - 1) * info.strideHeight + info.effectiveFilterHeight;
    const needW = (ow - 1) * info.strideWidth + info.effectiveFilterWidth;
    const xPad = cropOrPadSpatial(scope, x, info.padInfo.top, needH, info.padInfo.left, needW);
    const xT = scope.run('Transpose', { x: xPad }, { perm: [1, 2, 0, 3] });
    const xImage = scope.run('Reshape', { x: xT }, { shape: [1, needH, needW, b * c] });
    const dyT = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const dyFilter = scope.run('Reshape', { x: dyT }, { shape: [oh, ow, b * c, m] });
    const perBatch = scope.run(
      'DepthwiseConv2dNative',
      { x: xImage, filter: dyFilter },
      { strides: [info.dilationHeight, info.dilationWidth], pad: 'valid', dilations: [info.strideHeight, info.strideWidth] },
    );
    const split = scope.run('Reshape', { x: perBatch }, { shape: [fH, fW, b, c * m] });
    const summed = scope.run('Sum', { x: split }, { axis: [2], keepDims: false });
    return scope.run('Reshape', { x: summed }, { shape: [fH, fW, c, m] });
  });
};

/** Kernel registration for {@link depthwiseConv2dNativeBackpropFilterWasm}. */
export const depthwiseConv2dNativeBackpropFilterWasmConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilterWasm,
};
