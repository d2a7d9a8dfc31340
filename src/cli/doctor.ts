import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendRequest } from '../engine/backend.js';
import { importOptionalModule } from '../engine/optional-module.js';
import { loadOnnxRuntime, ONNXRUNTIME_INSTALL_HINT, openOnnxSession } from '../evaluate/onnx/onnx-runtime.js';
import { loadTfliteRuntime, TFLITE_INSTALL_HINT } from '../evaluate/tflite/tflite-runtime.js';
import { exportLayersModelToOnnx } from '../onnx/export-layers-model.js';
import { mulberry32 } from '../random/mulberry32.js';
import { PIE_AUDIT_VERSION } from '../version.js';

/** One runtime or backend: available with its version and measured speed, or why not. */
export interface RuntimeCheck {
  /** `tfjs wasm`, `tfjs cpu`, `tfjs-node`, `onnxruntime-node`, `tfjs-tflite-node`. */
  name: string;
  available: boolean;
  /** Package version when available. */
  version?: string;
  /** Median milliseconds per 1,000 examples of the probe model (only with `timed`). */
  msPer1000?: number;
  /** Why it is not available, and how to get it. */
  reason?: string;
}

/** The probe: a 784-128-10 MLP (an MNIST-sized model) on a batch of 256 seeded inputs. */
const PROBE = { inputs: 784, hidden: 128, classes: 10, batch: 256, runs: 5 };

function probeModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [PROBE.inputs], units: PROBE.hidden, activation: 'relu', kernelInitializer: init(1) }));
  model.add(tf.layers.dense({ units: PROBE.classes, activation: 'softmax', kernelInitializer: init(2) }));
  return model;
}

function probeInputs(): Float32Array {
  const rand = mulberry32(2);
  return Float32Array.from({ length: PROBE.batch * PROBE.inputs }, () => rand());
}

/** Median of `runs` timed calls after one warm-up, in ms per 1,000 examples. */
async function time(run: () => Promise<void>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < PROBE.runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return (times[Math.floor(times.length / 2)] * 1000) / PROBE.batch;
}

async function checkTfjs(backend: Exclude<BackendRequest, 'auto'>, name: string, timed: boolean): Promise<RuntimeCheck> {
  if (backend === 'tensorflow') {
    // Probed without initialising it when only availability is asked (the version line stays fast).
    const loaded = await importOptionalModule(['@tensorflow', 'tfjs-node']);
    if (!loaded.ok)
      return { name, available: false, reason: `${loaded.reason} (optional: \`npm install @tensorflow/tfjs-node\` for native TensorFlow)` };
    if (!timed) return { name, available: true, ...(loaded.version ? { version: loaded.version } : {}) };
  }
  // Both ship with @tensorflow/tfjs: the version line names them without loading WebAssembly; doctor runs them.
  if (!timed && backend !== 'tensorflow') return { name, available: true, version: tf.version.tfjs };
  // tfjs prints an advert for tfjs-node on the cpu backend's first use; the tfjs-node line already says it.
  const quiet = tf.env().getBool('IS_TEST');
  tf.env().set('IS_TEST', true);
  try {
    const info = await initBackend({ backend });
    const version =
      info.packages[
        backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : backend === 'cpu' ? '@tensorflow/tfjs-backend-cpu' : '@tensorflow/tfjs-node'
      ];
    if (!timed) return { name, available: true, ...(version ? { version } : {}) };
    const model = probeModel();
    const x = tf.tensor2d(probeInputs(), [PROBE.batch, PROBE.inputs]);
    try {
      const msPer1000 = await time(async () => {
        const y = model.predict(x) as tf.Tensor;
        await y.data();
        y.dispose();
      });
      return { name, available: true, ...(version ? { version } : {}), msPer1000 };
    } finally {
      x.dispose();
      model.dispose();
    }
  } catch (e) {
    return { name, available: false, reason: (e as Error).message.split('\n')[0] };
  } finally {
    tf.env().set('IS_TEST', quiet);
  }
}

async function checkOnnxRuntime(timed: boolean): Promise<RuntimeCheck> {
  const name = 'onnxruntime-node';
  const status = await loadOnnxRuntime();
  if (!status.ok) {
    const why = status.missing
      ? `${status.reason}: npm left this optional dependency out (its install failed, or --omit=optional); every model runs on tfjs`
      : `${status.reason}; every model runs on tfjs`;
    return { name, available: false, reason: `${why}. ${ONNXRUNTIME_INSTALL_HINT}` };
  }
  const ort = status.ort as typeof status.ort & { env?: { versions?: { node?: string } } };
  const version = ort.env?.versions?.node;
  if (!timed) return { name, available: true, ...(version ? { version } : {}) };
  // The probe is exported from a tfjs model, which needs a backend: the one an audit would use.
  await initBackend({ backend: 'auto' });
  const model = probeModel();
  const session = await openOnnxSession(ort, exportLayersModelToOnnx(model), 'the probe model');
  model.dispose();
  try {
    const input = new ort.Tensor('float32', probeInputs(), [PROBE.batch, PROBE.inputs]);
    const msPer1000 = await time(async () => {
      const out = await session.run({ [session.inputNames[0]]: input });
      for (const t of Object.values(out)) t.dispose?.();
    });
    return { name, available: true, ...(version ? { version } : {}), msPer1000 };
  } finally {
    await session.release();
  }
}

/**
 * The TFLite runtime for .tflite files: whether its native binding loads, and its version. Not timed: the probe
 * is a tfjs model, and TFLite runs only .tflite files.
 */
function checkTfliteRuntime(): RuntimeCheck {
  const name = 'tfjs-tflite-node';
  const status = loadTfliteRuntime();
  if (status.ok) return { name, available: true, version: status.runtime.version };
  const why = status.missing
    ? `${status.reason}: npm left this optional dependency out (its install failed, or --omit=optional)`
    : status.reason;
  return { name, available: false, reason: `${why}; .tflite files cannot be evaluated. ${TFLITE_INSTALL_HINT}` };
}

/**
 * Which runtimes and tfjs backends pie-audit can use here, each with its version, and with `timed` a median
 * timing of a small MLP (784-128-10, 256 examples) on each, so users know what audits run on before the first.
 * Nothing is installed or changed; the tfjs backend is left at the one `auto` picks.
 *
 * @example
 * for (const c of await checkRuntimes({ timed: true })) console.log(c.name, c.available, c.msPer1000 ?? c.reason);
 */
export async function checkRuntimes(options: { timed: boolean }): Promise<RuntimeCheck[]> {
  const checks: RuntimeCheck[] = [];
  // One at a time: each tfjs check switches the global backend, and timings must not overlap.
  checks.push(await checkOnnxRuntime(options.timed));
  checks.push(checkTfliteRuntime());
  checks.push(await checkTfjs('tensorflow', 'tfjs-node', options.timed));
  checks.push(await checkTfjs('wasm', 'tfjs wasm', options.timed));
  checks.push(await checkTfjs('cpu', 'tfjs cpu', options.timed));
  if (options.timed) await initBackend({ backend: 'auto' });
  return checks;
}

/** What an audit with the default settings (`runtime: 'auto'`, `backend: 'auto'`) runs on, given the checks. */
function defaultRun(checks: RuntimeCheck[]): string {
  const ort = checks.find((c) => c.name === 'onnxruntime-node')?.available;
  const tflite = checks.find((c) => c.name === 'tfjs-tflite-node')?.available;
  const tfjs = checks.find((c) => c.available && (c.name.startsWith('tfjs ') || c.name === 'tfjs-node'))?.name ?? 'no tfjs backend';
  const tfliteFiles = tflite ? '; TFLite for .tflite files' : '; .tflite files need tfjs-tflite-node';
  return ort
    ? `ONNX Runtime for .onnx files and the tfjs models it converts, ${tfjs} for the rest${tfliteFiles}`
    : `${tfjs} for every model (.onnx files need onnxruntime-node)${tfliteFiles}`;
}

/**
 * The `pie-audit --version` line on runtimes: what is available, what is not (one word why), no timing.
 *
 * @example
 * runtimesLine(await checkRuntimes({ timed: false }));
 * // 'runtimes: onnxruntime-node 1.30.0, tfjs wasm 4.22.0, tfjs cpu 4.22.0; not available: tfjs-node (pie-audit doctor says why)'
 */
export function runtimesLine(checks: RuntimeCheck[]): string {
  const available = checks.filter((c) => c.available).map((c) => (c.version ? `${c.name} ${c.version}` : c.name));
  const missing = checks.filter((c) => !c.available).map((c) => c.name);
  return `runtimes: ${available.join(', ') || 'none'}${missing.length ? `; not available: ${missing.join(', ')} (pie-audit doctor says why)` : ''}`;
}

/**
 * The `pie-audit doctor` report: the machine, one line per runtime or backend (version and ms per 1,000 examples
 * of the probe model, or why it is not available), and what an audit runs on by default.
 *
 * @example
 * process.stdout.write(formatDoctor(await checkRuntimes({ timed: true })));
 */
export function formatDoctor(checks: RuntimeCheck[]): string {
  const lines = [
    `pie-audit ${PIE_AUDIT_VERSION} on Node ${process.version}, ${process.platform} ${process.arch}, ${availableParallelism()} CPUs`,
    `runtimes and backends (timing: a ${PROBE.inputs}-${PROBE.hidden}-${PROBE.classes} MLP on ${PROBE.batch} examples, median of ${PROBE.runs} runs):`,
  ];
  for (const c of checks) {
    const head = `  ${c.name.padEnd(17)} `;
    if (!c.available) lines.push(`${head}not available: ${c.reason}`);
    else
      lines.push(
        `${head}available${c.version ? ` (${c.version})` : ''}${c.msPer1000 === undefined ? '' : `, ${c.msPer1000.toFixed(2)} ms per 1,000 examples`}`,
      );
  }
  lines.push(`an audit with the default settings runs ${defaultRun(checks)}`);
  return `${lines.join('\n')}\n`;
}
