import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { importOptionalModule } from '../../engine/optional-module.js';
import { PieAuditError } from '../../errors.js';

/** The slice of onnxruntime-node's API pie-audit uses (structural, so the package stays optional). */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
  dispose?(): void;
}
/** An onnxruntime inference session, as pie-audit uses it. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: ReadonlyArray<{ name: string; isTensor: boolean; type?: string; shape?: ReadonlyArray<number | string> }>;
  readonly outputMetadata?: ReadonlyArray<{ name: string; isTensor: boolean; type?: string; shape?: ReadonlyArray<number | string> }>;
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
/** The onnxruntime-node module, as pie-audit uses it. */
export interface OrtModule {
  InferenceSession: {
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession>;
  };
  Tensor: new (type: string, data: Float32Array | Float64Array, dims: readonly number[]) => OrtTensor;
}

/** How to install onnxruntime-node without its CUDA download failing the install. */
export const ONNXRUNTIME_INSTALL_HINT =
  'Install it with `npm install onnxruntime-node`. Its postinstall downloads a CUDA add-on and fails offline or behind a ' +
  'proxy: set ONNXRUNTIME_NODE_INSTALL=skip for the install; the CPU runtime ships inside the package.';

const ORT_SPECIFIER = ['onnxruntime', 'node'].join('-');

/** onnxruntime-node, or why it cannot be used (`missing`: not installed; otherwise installed but broken). */
export type OnnxRuntimeStatus =
  | { readonly ok: true; readonly ort: OrtModule }
  | { readonly ok: false; readonly missing: boolean; readonly reason: string };

let cached: Promise<OnnxRuntimeStatus> | undefined;

/**
 * Loads the optional peer onnxruntime-node once (the result is cached): the module, or why not. The one
 * loader every ONNX path uses, so a missing or broken install reads the same everywhere.
 *
 * @example
 * const status = await loadOnnxRuntime();
 * if (!status.ok) console.warn(`using tfjs: ${status.reason}`);
 */
export function loadOnnxRuntime(): Promise<OnnxRuntimeStatus> {
  cached ??= importOptionalModule([ORT_SPECIFIER]).then((r): OnnxRuntimeStatus => {
    if (!r.ok) return { ok: false, missing: r.missing, reason: r.reason };
    const m = r.module as OrtModule & { default?: OrtModule };
    return { ok: true, ort: m.InferenceSession ? m : (m.default as OrtModule) };
  });
  return cached;
}

/**
 * onnxruntime-node for `purpose`, or a typed error with the install hint.
 *
 * @throws PieAuditError `MODULE_NOT_FOUND` (not installed) or `BACKEND_UNAVAILABLE` (installed, its native addon does not load)
 * @example
 * const ort = await requireOnnxRuntime('reading model.onnx');
 */
export async function requireOnnxRuntime(purpose: string): Promise<OrtModule> {
  const status = await loadOnnxRuntime();
  if (status.ok) return status.ort;
  throw new PieAuditError(
    status.missing ? 'MODULE_NOT_FOUND' : 'BACKEND_UNAVAILABLE',
    `${purpose} needs onnxruntime-node: ${status.reason}. ${ONNXRUNTIME_INSTALL_HINT}`,
    {
      module: ORT_SPECIFIER,
    },
  );
}

/**
 * The resolved path of onnxruntime-node's entry, for worker threads that `require` it; `undefined` when not installed.
 *
 * @example
 * const path = onnxRuntimePath(); // '/app/node_modules/onnxruntime-node/dist/index.js'
 */
export function onnxRuntimePath(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(ORT_SPECIFIER);
  } catch {
    return undefined;
  }
}

/** How a session runs: intra-op threads and whether idle threads spin-wait. */
export interface OnnxSessionSettings {
  /** Intra-op threads; all cores when omitted. */
  threads?: number;
  /**
   * Let idle intra-op threads spin-wait for the next parallel section (onnxruntime's default, and ours).
   * Measured on 2 cores: spinning is 1.4x faster on a small MLP when the machine is otherwise quiet, and
   * about 15% slower when it is heavily oversubscribed (load far above the core count); set `false` there.
   */
  spinWait?: boolean;
}

/**
 * The session options every pie-audit session uses (plain data, so worker threads get the same ones).
 *
 * @example
 * onnxSessionOptions({ threads: 1 }).intraOpNumThreads; // 1
 */
export function onnxSessionOptions(settings: OnnxSessionSettings = {}): Record<string, unknown> {
  return {
    intraOpNumThreads: resolveThreads(settings.threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: settings.spinWait === false ? '0' : '1' } } },
  };
}

/**
 * Opens an inference session on serialised ONNX bytes: the one place a session is created in the main thread.
 *
 * @param name - what the bytes are (a file path, a model name), for the error message
 * @throws PieAuditError `CORRUPT_MODEL` when onnxruntime rejects the bytes
 * @example
 * const session = await openOnnxSession(ort, bytes, 'net.onnx', { threads: 2 });
 */
export async function openOnnxSession(
  ort: OrtModule,
  bytes: Uint8Array,
  name: string,
  settings: OnnxSessionSettings = {},
): Promise<OrtSession> {
  try {
    return await ort.InferenceSession.create(bytes, onnxSessionOptions(settings));
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `ONNX model ${name} could not be loaded by onnxruntime: ${why}. Re-export it and check it with onnx.checker.`,
      { model: name },
      { cause: e },
    );
  }
}

/**
 * Checks that a session has exactly one input (and, unless `firstOutput`, one output), releasing it otherwise.
 * Files may carry extra outputs (the first one is read); exported tfjs models never do.
 *
 * @throws PieAuditError `UNSUPPORTED_LAYER` naming the counts
 * @example
 * await assertSingleInputOutput(session, 'net.onnx', { firstOutput: true });
 */
export async function assertSingleInputOutput(session: OrtSession, name: string, options: { firstOutput?: boolean } = {}): Promise<void> {
  const outputsOk = options.firstOutput ? session.outputNames.length >= 1 : session.outputNames.length === 1;
  if (session.inputNames.length === 1 && outputsOk) return;
  const counts = `${session.inputNames.length} inputs (${session.inputNames.join(', ')}) and ${session.outputNames.length} outputs`;
  await session.release();
  throw new PieAuditError('UNSUPPORTED_LAYER', `ONNX model ${name} has ${counts}; evaluation feeds one input and reads one output.`, {
    model: name,
  });
}

/**
 * Validates a thread (or worker, or batch) count option, returning the default (all cores) when absent.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` for anything but a positive integer
 * @example
 * resolveThreads(undefined); // os.availableParallelism()
 */
export function resolveThreads(threads: number | undefined, argument = 'options.threads'): number {
  if (threads === undefined) return availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `${argument} must be a positive integer, got ${String(threads)}`, { threads });
  }
  return threads;
}
