import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { keepProcessHandlers } from './keep-process-handlers.js';
import { loadWasmBackend } from './load-wasm-backend.js';
import { importOptionalModule } from './optional-module.js';
import { registerWasmGradientKernels } from './wasm-gradients/index.js';

/** Which backend to ask for: `'auto'` picks the fastest one that loads here. */
export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The TensorFlow.js backend in use and the package versions behind it; recorded in every report. */
export interface BackendInfo {
  /** Backend actually running: native TensorFlow (tfjs-node / tfjs-node-gpu), WebAssembly, or plain JS. */
  readonly name: 'tensorflow' | 'wasm' | 'cpu';
  /** What the caller asked for. */
  readonly requested: BackendRequest;
  /** Version of @tensorflow/tfjs. */
  readonly tfjsVersion: string;
  /** Versions of the tfjs packages in use, keyed by package name (e.g. `@tensorflow/tfjs-backend-wasm`). */
  readonly packages: Record<string, string>;
  /** True only when the native backend came from @tensorflow/tfjs-node-gpu. */
  readonly gpu: boolean;
  /** Why a faster backend was skipped (only when `requested` is `'auto'` and something was skipped). */
  readonly fallbackReason?: string;
}

/** Options for {@link initBackend}. */
export interface InitBackendOptions {
  /** Backend to use; default `'auto'` (tfjs-node-gpu, then tfjs-node, then wasm, then cpu). */
  readonly backend?: BackendRequest;
}

const NATIVE_INSTALL_HINT =
  'Install it with `npm install @tensorflow/tfjs-node` (or `@tensorflow/tfjs-node-gpu` for CUDA). Its install script ' +
  'downloads libtensorflow; behind a proxy or mirror set TFJS_NODE_CDN_STORAGE (host), TFJS_NODE_BASE_URI (whole URL ' +
  'prefix) or npm_config_tfjs_binding_binary_host_mirror (prebuilt addon). Or choose backend "wasm" (no native code).';

let current: BackendInfo | undefined;
let queue: Promise<unknown> = Promise.resolve();
let nativeGpu = false;
let nativePackages: Record<string, string> = {};
let wasmVersion = 'unknown';

/** Install advice; a package present without its native addon needs its install script run again. */
function nativeHint(reasons: readonly string[]): string {
  const broken = reasons.some((r) => r.includes('installed but failed to load'));
  return broken
    ? `Run its install script again (\`npm rebuild @tensorflow/tfjs-node\`, without --ignore-scripts), or reinstall it. ${NATIVE_INSTALL_HINT}`
    : NATIVE_INSTALL_HINT;
}

function basePackages(): Record<string, string> {
  return {
    '@tensorflow/tfjs': tf.version.tfjs,
    '@tensorflow/tfjs-core': tf.version['tfjs-core'],
    '@tensorflow/tfjs-layers': tf.version['tfjs-layers'],
    '@tensorflow/tfjs-converter': tf.version['tfjs-converter'],
  };
}

function packagesFor(name: BackendInfo['name']): Record<string, string> {
  const packages = basePackages();
  if (name === 'wasm') packages['@tensorflow/tfjs-backend-wasm'] = wasmVersion;
  if (name === 'cpu') packages['@tensorflow/tfjs-backend-cpu'] = tf.version['tfjs-backend-cpu'];
  if (name === 'tensorflow') Object.assign(packages, nativePackages);
  return packages;
}

/** Tries tfjs-node-gpu then tfjs-node; returns null plus the reasons when neither registers a backend. */
async function tryNative(): Promise<{ ok: true } | { ok: false; reasons: string[] }> {
  if (tf.findBackend('tensorflow') !== null && tf.findBackend('tensorflow') !== undefined) return { ok: true };
  const reasons: string[] = [];
  for (const pkg of ['tfjs-node-gpu', 'tfjs-node'] as const) {
    const loaded = await importOptionalModule(['@tensorflow', pkg]);
    if (!loaded.ok) {
      reasons.push(loaded.reason);
      continue;
    }
    // tfjs-node registers the 'tensorflow' backend on the tfjs-core it imports; that must be ours.
    if (!tf.findBackendFactory('tensorflow')) {
      reasons.push(
        `@tensorflow/${pkg} loaded but registered no "tensorflow" backend on this @tensorflow/tfjs-core ` +
          `(${tf.version['tfjs-core']}); align its version with @tensorflow/tfjs so npm dedupes tfjs-core`,
      );
      continue;
    }
    nativeGpu = pkg === 'tfjs-node-gpu';
    nativePackages = { [`@tensorflow/${pkg}`]: loaded.version ?? 'unknown' };
    return { ok: true };
  }
  return { ok: false, reasons };
}

async function activate(name: BackendInfo['name']): Promise<boolean> {
  if (tf.getBackend() === name && tf.findBackend(name)) {
    if (name === 'wasm') registerWasmGradientKernels();
    return true;
  }
  if (name === 'wasm') {
    // Imported only now, so that loading pie-audit leaves the user's tfjs backends as they were.
    wasmVersion = await loadWasmBackend();
    const ok = await keepProcessHandlers(async () => {
      if (!(await tf.setBackend('wasm'))) return false;
      await tf.ready();
      return true;
    });
    if (!ok) return false;
    registerWasmGradientKernels();
    return tf.getBackend() === name;
  }
  const ok = await tf.setBackend(name);
  if (!ok) return false;
  await tf.ready();
  return tf.getBackend() === name;
}

async function initOnce(requested: BackendRequest): Promise<BackendInfo> {
  const info = (name: BackendInfo['name'], fallbackReason?: string): BackendInfo => {
    const base = {
      name,
      requested,
      tfjsVersion: tf.version.tfjs,
      packages: packagesFor(name),
      gpu: name === 'tensorflow' && nativeGpu,
    };
    return fallbackReason === undefined ? base : { ...base, fallbackReason };
  };

  if (current && current.requested === requested && tf.getBackend() === current.name) return current;

  if (requested === 'tensorflow') {
    const native = await tryNative();
    if (!native.ok) {
      throw new PieAuditError(
        'BACKEND_UNAVAILABLE',
        `backend "tensorflow" is unavailable: ${native.reasons.join('; ')}. ${nativeHint(native.reasons)}`,
        { requested, reasons: native.reasons },
      );
    }
    if (!(await activate('tensorflow'))) {
      throw new PieAuditError('BACKEND_UNAVAILABLE', `backend "tensorflow" failed to initialise. ${NATIVE_INSTALL_HINT}`, { requested });
    }
    return info('tensorflow');
  }
  if (requested === 'wasm' || requested === 'cpu') {
    let ok = false;
    let cause: unknown;
    try {
      ok = await activate(requested);
    } catch (e) {
      cause = e;
    }
    if (!ok) {
      throw new PieAuditError(
        'BACKEND_UNAVAILABLE',
        `backend "${requested}" failed to initialise${cause ? `: ${(cause as Error).message}` : ''}; try backend "auto"`,
        { requested },
        { cause },
      );
    }
    return info(requested);
  }
  if (requested !== 'auto') {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `options.backend must be 'auto', 'tensorflow', 'wasm' or 'cpu' (got ${JSON.stringify(requested)})`,
    );
  }
  const reasons: string[] = [];
  const native = await tryNative();
  if (native.ok) {
    try {
      if (await activate('tensorflow')) return info('tensorflow');
      reasons.push('the "tensorflow" backend failed to initialise');
    } catch (e) {
      reasons.push(`the "tensorflow" backend failed to initialise: ${(e as Error).message}`);
    }
  } else {
    reasons.push(...native.reasons);
  }
  try {
    if (await activate('wasm')) return info('wasm', reasons.join('; '));
    reasons.push('the "wasm" backend failed to initialise');
  } catch (e) {
    reasons.push(`the "wasm" backend failed to initialise: ${(e as Error).message}`);
  }
  if (await activate('cpu')) return info('cpu', reasons.join('; '));
  throw new PieAuditError('BACKEND_UNAVAILABLE', `no TensorFlow.js backend could be initialised: ${reasons.join('; ')}`, { requested });
}

/**
 * Selects and initialises the TensorFlow.js backend. Safe to call repeatedly and concurrently: calls
 * are serialised, and asking again for what is already active returns the same {@link BackendInfo}.
 *
 * `'auto'` prefers the native TensorFlow backend (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`,
 * optional peers loaded lazily), then `wasm`, then `cpu`, and records in `fallbackReason` why the faster
 * ones were skipped. Asking explicitly for `'tensorflow'` when it is not installed throws
 * `BACKEND_UNAVAILABLE` with install instructions. Selecting `wasm` also registers pie-audit's wasm
 * gradient kernels, so convolutional models can be fine-tuned there.
 *
 * @example
 * const info = await initBackend({ backend: 'auto' });
 * console.log(info.name, info.fallbackReason ?? '');
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const requested = options.backend ?? 'auto';
  const run = queue.then(() => initOnce(requested));
  queue = run.catch(() => undefined);
  return run.then((result) => {
    current = result;
    return result;
  });
}

/**
 * The backend most recently set up by {@link initBackend}, or `undefined` before the first call.
 * If tfjs was switched to another backend behind pie-audit's back, the returned info reflects that
 * backend (with `requested` echoing the last request).
 *
 * @example
 * await initBackend();
 * getBackendInfo()?.name; // 'wasm' on a machine without tfjs-node
 */
export function getBackendInfo(): BackendInfo | undefined {
  if (!current) return undefined;
  const active = tf.getBackend();
  if (active === current.name) return current;
  if (active === 'wasm' || active === 'cpu' || active === 'tensorflow') {
    return {
      name: active,
      requested: current.requested,
      tfjsVersion: tf.version.tfjs,
      packages: packagesFor(active),
      gpu: active === 'tensorflow' && nativeGpu,
    };
  }
  return current;
}
