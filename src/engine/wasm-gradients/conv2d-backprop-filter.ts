import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { cropOrPadSpatial, toChannelsLast } from './spatial.js';
import { withWasmKernelScope } from './kernel-scope.js';
import type { DisposingBackend } from './kernel-scope.js';

/**
 * Filter gradient of an NHWC 2-D convolution, composed from the wasm backend's own Transpose, Pad and
 * (XNNPACK) Conv2D kernels.
 *
 * dW[i, j, c, o] = Σ_{b, p, q} xPad[b, p·sh + i, q·sw + j, c] · dy[b, p, q, o]
 *
 * Reading the batch as the channel axis turns this into one convolution: input xPadᵀ = [c, H', W', b],
 * filter dyᵀ = [p, q, b, o], stride 1 and dilation (sh, sw), which yields [c, i, j, o] and one last
 * transpose gives [i, j, c, o]. The padded input is cropped to exactly (outH − 1)·sh + fH rows (and
 * likewise columns) so the convolution's output is the filter size.
 *
 * @example
 * registerKernel(conv2DBackpropFilterWasmConfig); // then tf.grad through tf.conv2d works on wasm
 */
export const conv2DBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  return withWasmKernelScope(backend as DisposingBackend, (scope) => {
    const xh = toChannelsLast(scope, x, info.dataFormat);
    const dyh = toChannelsLast(scope, dy, info.dataFormat);
    const needH = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
    const needW = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
    const xPad = cropOrPadSpatial(scope, xh, info.padInfo.top, needH, info.padInfo.left, needW);
    const xT = scope.run('Transpose', { x: xPad }, { perm: [3, 1, 2, 0] });
    const dyT = scope.run('Transpose', { x: dyh }, { perm: [1, 2, 0, 3] });
    const conv = scope.run(
      'Conv2D',
      { x: xT, filter: dyT },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth] },
    );
    return scope.run('Transpose', { x: conv }, { perm: [1, 2, 0, 3] });
  });
};

/** Kernel registration for {@link conv2DBackpropFilterWasm}. */
export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm,
};
