import { backend_util, DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { padForInputGradient } from './spatial.js';
import { assertUndilated } from './dilation-guard.js';
import { withWasmKernelScope } from './kernel-scope.js';
import type { DisposingBackend } from './kernel-scope.js';

/**
 * Input gradient of an NHWC depthwise convolution (filter [fH, fW, c, m], dy [b, oh, ow, c·m]),
 * composed from the wasm backend's Reverse, Reshape, Pad, DepthwiseConv2dNative (XNNPACK) and Sum kernels.
 *
 * dx[b, h, w, c] = Σ_{i, j, q} dyDil[b, h + top − i·dh, w + left − j·dw, c·m + q] · W[i, j, c, q]
 *
 * with dyDil = dy spread onto the stride-s grid. Per output channel c·m + q that is a stride-1 depthwise
 * convolution of the zero-padded dyDil with the spatially flipped filter (dilation d); with a channel
 * multiplier m > 1 the m results of each input channel are summed.
 *
 * @example
 * registerKernel(depthwiseConv2dNativeBackpropInputWasmConfig);
 */
export const depthwiseConv2dNativeBackpropInputWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  assertUndilated(dilations, 'DepthwiseConv2dNativeBackpropInput');
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const [fH, fW, c, m] = filter.shape as [number, number, number, number];
  return withWasmKernelScope(backend as DisposingBackend, (scope) => {
    const dyPad = padForInputGradient(scope, dy, info);
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const perChannel = scope.run('Reshape', { x: flipped }, { shape: [fH, fW, c * m, 1] });
    const dxAll = scope.run(
      'DepthwiseConv2dNative',
      { x: dyPad, filter: perChannel },
      { strides: [1, 1], pad: 'valid', dilations: [info.dilationHeight, info.dilationWidth] },
    );
    if (m === 1) return dxAll;
    const [b, h, w] = dxAll.shape as [number, number, number, number];
    const split = scope.run('Reshape', { x: dxAll }, { shape: [b, h, w, c, m] });
    return scope.run('Sum', { x: split }, { axis: [4], keepDims: false });
  });
};

/** Kernel registration for {@link depthwiseConv2dNativeBackpropInputWasm}. */
export const depthwiseConv2dNativeBackpropInputWasmConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInputWasm,
};
