import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { batchMatMulWasm, batchMatMulWasmConfig } from './batch-mat-mul.js';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputWasmConfig } from './conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilterWasmConfig } from './depthwise-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputWasmConfig } from './depthwise-backprop-input.js';
import { maxPoolGradWasmConfig } from './max-pool-grad.js';
import { captureNativeKernel } from './native-kernels.js';
import { tileWasm, tileWasmConfig } from './tile.js';

export { batchMatMulWasm, batchMatMulWasmConfig } from './batch-mat-mul.js';
export { conv2DBackpropFilterWasm, conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
export { conv2DBackpropInputWasm, conv2DBackpropInputWasmConfig } from './conv2d-backprop-input.js';
export {
  depthwiseConv2dNativeBackpropFilterWasm,
  depthwiseConv2dNativeBackpropFilterWasmConfig,
} from './depthwise-backprop-filter.js';
export {
  depthwiseConv2dNativeBackpropInputWasm,
  depthwiseConv2dNativeBackpropInputWasmConfig,
} from './depthwise-backprop-input.js';
export { maxPoolGradWasm, maxPoolGradWasmConfig } from './max-pool-grad.js';
export { tileWasm, tileWasmConfig } from './tile.js';
export { WasmKernelScope, withWasmKernelScope } from './kernel-scope.js';
export type { DisposingBackend } from './kernel-scope.js';

/** The kernels that tfjs-backend-wasm 4.22 lacks and {@link registerWasmGradientKernels} adds. */
export const addedWasmKernelConfigs: readonly KernelConfig[] = [
  conv2DBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
];

/** The wasm backend's own kernels that {@link registerWasmGradientKernels} replaces with faster compositions. */
export const replacedWasmKernelConfigs: readonly KernelConfig[] = [
  conv2DBackpropInputWasmConfig,
  batchMatMulWasmConfig,
  maxPoolGradWasmConfig,
  tileWasmConfig,
];

/** Replacements that fall back to the backend's own kernel for some inputs, so need it captured. */
const wrappers = new Map([
  [batchMatMulWasmConfig, batchMatMulWasm],
  [tileWasmConfig, tileWasm],
]);

function install(config: KernelConfig): void {
  const current = getKernel(config.kernelName, 'wasm');
  if (current?.kernelFunc === config.kernelFunc) return;
  if (current !== undefined) unregisterKernel(config.kernelName, 'wasm');
  registerKernel(config);
}

/**
 * Gradient kernels for the wasm backend that tfjs 4.22 does not ship (Conv2DBackpropFilter and
 * friends), composed from the backend's own fast kernels so convolutional nets can be fine-tuned on wasm.
 * Also replaces Conv2DBackpropInput, transposed BatchMatMul and MaxPoolGrad with faster (and, for
 * MaxPoolGrad, correct) compositions, and adds a memcpy fast path to Tile (batch-norm gradients).
 * Idempotent: a second call changes nothing. Call it after `import '@tensorflow/tfjs-backend-wasm'`
 * (ideally once `tf.setBackend('wasm')` has resolved).
 *
 * @example
 * await tf.setBackend('wasm');
 * registerWasmGradientKernels();
 * await model.fit(xs, ys, { epochs: 1 }); // conv layers now train on wasm
 */
export function registerWasmGradientKernels(): void {
  for (const config of addedWasmKernelConfigs) {
    // A future tfjs-backend-wasm that ships its own kernel keeps it.
    if (getKernel(config.kernelName, 'wasm') === undefined) registerKernel(config);
  }
  for (const config of replacedWasmKernelConfigs) {
    const wrapped = wrappers.get(config);
    if (wrapped !== undefined && !captureNativeKernel(config.kernelName, wrapped)) continue;
    install(config);
  }
}
