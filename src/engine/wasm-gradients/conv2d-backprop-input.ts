import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { padForInputGradient, toChannelsLast } from './spatial.js';
import { withWasmKernelScope } from './kernel-scope.js';
import type { DisposingBackend } from './kernel-scope.js';

/**
 * Input gradient of an NHWC 2-D convolution as one forward (XNNPACK) convolution, replacing the wasm
 * backend's direct loop (about 0.5 GFLOP/s here).
 *
 * dx[b, h, w, c] = Σ_{i, j, o} dyDil[b, h + top − i, w + left − j, o] · W[i, j, c, o]
 *
 * where dyDil is dy with (s − 1) zeros inserted after each position (a strided convolution's output
 * spread back onto the input grid). That is a stride-1 'valid' convolution of dyDil, zero-padded by
 * fH − 1 − top rows on top (fW − 1 − left columns on the left) to H + fH − 1 rows (W + fW − 1
 * columns), with the filter flipped in both spatial axes and its channel axes swapped ([i, j, o, c]).
 *
 * @example
 * registerKernel(conv2DBackpropInputWasmConfig);
 */
export const conv2DBackpropInputWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  return withWasmKernelScope(backend as DisposingBackend, (scope) => {
    const dyh = toChannelsLast(scope, dy, info.dataFormat);
    const dyPad = padForInputGradient(scope, dyh, info);
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = scope.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
    const dx = scope.run('Conv2D', { x: dyPad, filter: swapped }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
    return info.dataFormat === 'channelsLast' ? dx : scope.run('Transpose', { x: dx }, { perm: [0, 3, 1, 2] });
  });
};

/** Kernel registration for {@link conv2DBackpropInputWasm} (replaces the wasm backend's own). */
export const conv2DBackpropInputWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm,
};
