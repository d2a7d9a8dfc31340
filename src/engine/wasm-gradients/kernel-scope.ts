import { getKernel } from '@tensorflow/tfjs';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { PieAuditError } from '../../errors.js';

/** The part of the wasm backend a composed kernel touches: freeing intermediate buffers. */
export interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Runs the wasm backend's own registered kernels on raw `TensorInfo`s (no engine, no tape) and frees
 * every intermediate they produced when the composed kernel is done, so a composed gradient kernel
 * leaks nothing and records nothing on the gradient tape.
 *
 * @example
 * const scope = new WasmKernelScope(backend);
 * try {
 *   const t = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
 *   return scope.keep(scope.run('Conv2D', { x: t, filter }, attrs));
 * } finally {
 *   scope.dispose();
 * }
 */
export class WasmKernelScope {
  private readonly made: TensorInfo[] = [];

  constructor(readonly backend: DisposingBackend) {}

  /**
   * Runs the wasm kernel `kernelName` and remembers its output for disposal. List-input kernels
   * (Concat, AddN) take an array, as tfjs's own ops pass them.
   */
  run(kernelName: string, inputs: NamedTensorInfoMap | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const config = getKernel(kernelName, 'wasm');
    if (config === undefined) {
      throw new PieAuditError(
        'BACKEND_UNAVAILABLE',
        `The wasm backend has no '${kernelName}' kernel, which the composed gradient kernels need; ` +
          'use @tensorflow/tfjs-backend-wasm 4.22 (or newer) and call tf.setBackend("wasm") first.',
        { kernelName },
      );
    }
    const out = config.kernelFunc({ inputs: inputs as NamedTensorInfoMap, backend: this.backend, attrs });
    if (Array.isArray(out)) {
      throw new PieAuditError('INVALID_ARGUMENT', `Kernel '${kernelName}' returned several outputs where one was expected.`, {
        kernelName,
      });
    }
    this.made.push(out);
    return out;
  }

  /** Takes ownership of a `TensorInfo` produced outside {@link WasmKernelScope.run}. */
  adopt(t: TensorInfo): TensorInfo {
    this.made.push(t);
    return t;
  }

  /** Keeps `t` alive past {@link WasmKernelScope.dispose} (the composed kernel's result). */
  keep(t: TensorInfo): TensorInfo {
    const i = this.made.indexOf(t);
    if (i >= 0) this.made.splice(i, 1);
    return t;
  }

  /** Frees every intermediate not kept (reshapes share buffers by refcount, so each is released once). */
  dispose(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/**
 * Runs `body` with a fresh {@link WasmKernelScope} and frees its intermediates afterwards, also on error.
 *
 * @example
 * const dW = withWasmKernelScope(backend, (s) => s.run('Transpose', { x }, { perm: [1, 0] }));
 */
export function withWasmKernelScope(backend: DisposingBackend, body: (scope: WasmKernelScope) => TensorInfo): TensorInfo {
  const scope = new WasmKernelScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}
