import { getKernel } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { PieAuditError } from '../../errors.js';

/** The wasm backend's own kernels, captured before pie-audit's wrappers replace them. */
const natives = new Map<string, KernelConfig>();

/**
 * Remembers the wasm backend's own `kernelName` kernel (once), unless the registry already holds
 * `wrapper`. Returns false when there is nothing to wrap.
 *
 * @example
 * if (captureNativeKernel('MaxPoolGrad', maxPoolGradWasm)) registerKernel(maxPoolGradWasmConfig);
 */
export function captureNativeKernel(kernelName: string, wrapper: KernelFunc): boolean {
  if (natives.has(kernelName)) return true;
  const current = getKernel(kernelName, 'wasm');
  if (current === undefined || current.kernelFunc === wrapper) return false;
  natives.set(kernelName, { ...current });
  return true;
}

/**
 * The captured wasm backend kernel for `kernelName`; throws BACKEND_UNAVAILABLE when none was captured.
 *
 * @throws PieAuditError `BACKEND_UNAVAILABLE`
 * @example
 * const out = nativeKernel('BatchMatMul').kernelFunc({ inputs, backend, attrs });
 */
export function nativeKernel(kernelName: string): KernelConfig {
  const config = natives.get(kernelName);
  if (config === undefined) {
    throw new PieAuditError(
      'BACKEND_UNAVAILABLE',
      `The wasm backend's own ${kernelName} kernel was not found; import '@tensorflow/tfjs-backend-wasm' before calling registerWasmGradientKernels().`,
      { kernelName },
    );
  }
  return config;
}

/**
 * Registration for a wrapper of a wasm kernel: setup/dispose forward to the captured backend kernel so
 * the wrapper also works when it is registered before the wasm backend initialises.
 *
 * @example
 * export const maxPoolGradWasmConfig = wrapperConfig('MaxPoolGrad', maxPoolGradWasm);
 */
export function wrapperConfig(kernelName: string, kernelFunc: KernelFunc): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc,
    setupFunc: (backend) => natives.get(kernelName)?.setupFunc?.(backend),
    disposeFunc: (backend) => natives.get(kernelName)?.disposeFunc?.(backend),
  };
}
