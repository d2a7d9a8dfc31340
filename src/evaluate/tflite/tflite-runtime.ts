import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PieAuditError } from '../../errors.js';

/** One input or output tensor of the TFLite interpreter (the slice of tfjs-tflite-node's TensorInfo pie-audit uses). */
export interface TfliteTensorInfo {
  readonly name: string;
  /** `float32`, `int8`, `uint8`, `int32`, ... */
  readonly dataType: string;
  /** Comma-separated dimensions, batch first: `'1,8,8,1'`. */
  readonly shape: string;
  /** The tensor's values: written before `infer()` (inputs), read after it (outputs). */
  data(): Float32Array | Int8Array | Uint8Array | Int16Array | Int32Array | Float64Array;
}

/** A TFLite interpreter with its tensors allocated, as tfjs-tflite-node's native binding creates it. */
export interface TfliteInterpreter {
  getInputs(): TfliteTensorInfo[];
  getOutputs(): TfliteTensorInfo[];
  /** Copies the inputs in, runs the graph, copies the outputs out; throws on failure. */
  infer(): boolean;
}

/** The native binding of tfjs-tflite-node (libtensorflowlite_c behind N-API). */
export interface TfliteRuntime {
  readonly Interpreter: new (model: ArrayBuffer, options: { threads?: number }) => TfliteInterpreter;
  /** tfjs-tflite-node's version. */
  readonly version: string;
}

const TFLITE_PACKAGE = ['tfjs', 'tflite', 'node'].join('-');

/** How to install the TFLite runtime. */
export const TFLITE_INSTALL_HINT =
  `Install it with \`npm install ${TFLITE_PACKAGE}\` (it ships libtensorflowlite_c for Linux x64/arm64, macOS arm64 and ` +
  'Windows x64, and builds its Node binding with node-gyp at install: g++, make and python3 are needed).';

/** tfjs-tflite-node's binding, or why it cannot be used (`missing`: not installed; otherwise installed but broken). */
export type TfliteRuntimeStatus =
  | { readonly ok: true; readonly runtime: TfliteRuntime }
  | { readonly ok: false; readonly missing: boolean; readonly reason: string };

/**
 * The binding is loaded without the package's index: that loads its own copy of tfjs-core (4.9, nested), which
 * resets the platform of the tfjs pie-audit runs on. The binding alone is the TFLite runtime.
 */
function load(): TfliteRuntimeStatus {
  const requireHere = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = requireHere.resolve(`${TFLITE_PACKAGE}/package.json`);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND') return { ok: false, missing: true, reason: `${TFLITE_PACKAGE} is not installed` };
    return { ok: false, missing: false, reason: `${TFLITE_PACKAGE} cannot be resolved: ${(e as Error).message.split('\n')[0]}` };
  }
  const root = dirname(manifest);
  const version = String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  const addon = ['Release', 'Debug'].map((build) => join(root, 'build', build, 'node_tflite_binding.node')).find((p) => existsSync(p));
  if (!addon) {
    return {
      ok: false,
      missing: false,
      reason: `${TFLITE_PACKAGE} ${version} is installed without its native binding (its node-gyp build did not run or failed: run \`npm rebuild ${TFLITE_PACKAGE}\` and read its output)`,
    };
  }
  try {
    const binding = requireHere(addon) as { Interpreter?: TfliteRuntime['Interpreter'] };
    if (typeof binding.Interpreter !== 'function') throw new Error('the binding has no Interpreter');
    return { ok: true, runtime: { Interpreter: binding.Interpreter, version } };
  } catch (e) {
    return {
      ok: false,
      missing: false,
      reason: `${TFLITE_PACKAGE} ${version} is installed but its native binding failed to load: ${(e as Error).message.split('\n')[0]}`,
    };
  }
}

let cached: TfliteRuntimeStatus | undefined;

/**
 * Loads the optional dependency tfjs-tflite-node's TFLite runtime once (the result is cached): the binding,
 * or why not. The one loader every `.tflite` path uses.
 *
 * @example
 * const status = loadTfliteRuntime();
 * if (!status.ok) console.warn(status.reason);
 */
export function loadTfliteRuntime(): TfliteRuntimeStatus {
  cached ??= load();
  return cached;
}

/**
 * The TFLite runtime for `purpose`, or a typed error with the install command.
 *
 * @throws PieAuditError `MODULE_NOT_FOUND` (not installed) or `BACKEND_UNAVAILABLE` (installed, its native binding does not load)
 * @example
 * const tflite = requireTfliteRuntime('evaluating net.tflite');
 */
export function requireTfliteRuntime(purpose: string): TfliteRuntime {
  const status = loadTfliteRuntime();
  if (status.ok) return status.runtime;
  throw new PieAuditError(
    status.missing ? 'MODULE_NOT_FOUND' : 'BACKEND_UNAVAILABLE',
    `${purpose} needs ${TFLITE_PACKAGE}: ${status.reason}. ${TFLITE_INSTALL_HINT}`,
    { module: TFLITE_PACKAGE },
  );
}
