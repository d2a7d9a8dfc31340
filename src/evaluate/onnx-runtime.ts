import { importOptionalModule } from '../engine/optional-module.js';
import { PieAuditError } from '../errors.js';

/** The slice of onnxruntime-node's API pie-audit uses (structural, so the package stays an optional peer). */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
  dispose?(): void;
}
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: ReadonlyArray<{ name: string; isTensor: boolean; type?: string; shape?: ReadonlyArray<number | string> }>;
  readonly outputMetadata?: ReadonlyArray<{ name: string; isTensor: boolean; type?: string; shape?: ReadonlyArray<number | string> }>;
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface OrtModule {
  InferenceSession: {
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession>;
  };
  Tensor: new (type: string, data: Float32Array | Float64Array, dims: readonly number[]) => OrtTensor;
}

/** How to install onnxruntime-node without its CUDA download failing the install. */
export const ONNXRUNTIME_INSTALL_HINT =
  'Install it with `npm install onnxruntime-node`. Its postinstall downloads a CUDA add-on and fails offline or behind a ' +
  'proxy: add the line `onnxruntime-node-install=skip` to your project\'s .npmrc (or set ONNXRUNTIME_NODE_INSTALL=skip); ' +
  'the CPU runtime ships inside the package.';

/**
 * Loads onnxruntime-node through a run-time specifier, or throws `MODULE_NOT_FOUND` (not installed)
 * / `BACKEND_UNAVAILABLE` (installed but its native addon does not load) with the install command.
 *
 * @example
 * const ort = await requireOnnxRuntime('reading model.onnx');
 */
export async function requireOnnxRuntime(purpose: string): Promise<OrtModule> {
  const r = await importOptionalModule(['onnxruntime-node']);
  if (r.ok) {
    const m = r.module as OrtModule & { default?: OrtModule };
    return m.InferenceSession ? m : (m.default as OrtModule);
  }
  throw new PieAuditError(
    r.missing ? 'MODULE_NOT_FOUND' : 'BACKEND_UNAVAILABLE',
    `${purpose} needs onnxruntime-node: ${r.reason}. ${ONNXRUNTIME_INSTALL_HINT}`,
    { module: 'onnxruntime-node' },
  );
}
