import { PieAuditError } from '../errors.js';

let loaded: Promise<string> | undefined;

/**
 * Imports `@tensorflow/tfjs-backend-wasm` on first use and returns its version. The import registers
 * the `wasm` backend with tfjs (at priority 2, above `cpu`), which is why pie-audit never imports it
 * at load time: a user who has not asked for wasm keeps tfjs exactly as they set it up.
 *
 * @example
 * const version = await loadWasmBackend(); // '4.22.0'; tf.findBackendFactory('wasm') is now set
 * @throws PieAuditError BACKEND_UNAVAILABLE when the package cannot be imported.
 */
export function loadWasmBackend(): Promise<string> {
  loaded ??= import('@tensorflow/tfjs-backend-wasm').then(
    (wasm) => wasm.version_wasm,
    (e: unknown) => {
      loaded = undefined;
      throw new PieAuditError(
        'BACKEND_UNAVAILABLE',
        `@tensorflow/tfjs-backend-wasm could not be imported: ${(e as Error).message}; reinstall pie-audit or choose backend "cpu".`,
        {},
        { cause: e },
      );
    },
  );
  return loaded;
}
