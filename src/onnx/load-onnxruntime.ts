/** The part of the onnxruntime-node module pie-audit uses (kept structural so the package stays optional). */
export type OnnxRuntimeModule = typeof import('onnxruntime-node');

let cached: Promise<OnnxRuntimeModule | undefined> | undefined;

/**
 * Loads the optional peer `onnxruntime-node`, or resolves to `undefined` when it is not installed.
 *
 * The specifier is computed at run time so bundlers leave the import alone; the result is cached.
 *
 * @example
 * const ort = await loadOnnxRuntime();
 * if (!ort) console.log('onnxruntime-node is not installed');
 */
export function loadOnnxRuntime(): Promise<OnnxRuntimeModule | undefined> {
  if (!cached) {
    const specifier = ['onnxruntime', 'node'].join('-');
    cached = (import(/* @vite-ignore */ specifier) as Promise<OnnxRuntimeModule & { default?: OnnxRuntimeModule }>).then(
      (m) => (m.InferenceSession ? m : (m.default as OnnxRuntimeModule)),
      () => undefined,
    );
  }
  return cached;
}

/** The message given when onnxruntime-node cannot be loaded. */
export const ONNXRUNTIME_MISSING = 'onnxruntime-node is not installed (npm install onnxruntime-node)';
