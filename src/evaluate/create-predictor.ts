import { registerQuantizeDequantize } from '../compress/quantize-dequantize-layer.js';
import type * as tf from '@tensorflow/tfjs';
import { loadGraphModelFromFile, loadKerasModel, loadLayersModelFromFile } from '../engine/index.js';
import { assertFiniteWeights } from '../compress/assert-finite-weights.js';
import { readModelBytes } from './read-model-bytes.js';
import { PieAuditError } from '../errors.js';
import { assertFiniteGraphWeights } from './assert-finite-graph-weights.js';
import { createOnnxLayersPredictor } from './onnx/layers-predictor.js';
import { ensureTfjsBackend } from './ensure-backend.js';
import { resolveInputShape } from './input-shape.js';
import { inspectTfjsModelFile } from './model-file.js';
import { createOnnxFilePredictor } from './onnx/onnx-file-predictor.js';
import { createTfliteFilePredictor } from './tflite/tflite-file-predictor.js';
import { requireOnnxRuntime } from './onnx/onnx-runtime.js';
import { resolveSource, type ResolvedSource } from './resolve-source.js';
import type { SourcePredictor } from './source-predictor.js';
import { createTfjsGraphPredictor } from './tfjs-graph-predictor.js';
import { createTfjsLayersPredictor } from './tfjs-layers-predictor.js';
import type { EvaluationRuntime, ModelSource } from './types.js';

/** Options of {@link createPredictor}. */
export interface CreatePredictorOptions {
  /** `'auto'` (default): ONNX for LayersModels when it covers every layer, else tfjs; `'tfjs'`; `'onnx'` or an error. */
  runtime?: EvaluationRuntime;
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number;
  /** Per-example shape of the inputs that will be fed; checked against the model (`SHAPE_MISMATCH`). */
  inputShape?: readonly number[];
  /** Name used in error messages. */
  name?: string;
}

/**
 * Turns a computing model source (tfjs model, model.json, .onnx, .tflite, .h5 or .keras path, or predict function) into a
 * {@link SourcePredictor}. Precomputed predictions have no predictor: pass them to `evaluatePopulation`.
 *
 * Runtimes: a LayersModel under `'auto'` is exported to ONNX and run on onnxruntime-node when that is
 * installed and covers every layer (much faster on CPU); otherwise tfjs runs it and `fallbackReason`
 * says why. `'onnx'` throws instead of falling back. `.onnx` files always run on onnxruntime-node, `.tflite` files on
 * TFLite's runtime (tfjs-tflite-node); Keras `.h5` / `.keras` files are rebuilt as LayersModels (see `loadKerasModel`)
 * and run like one.
 * Call `dispose()` when done (models loaded from a path are disposed with it; models you pass are not).
 *
 * @example
 * const p = await createPredictor('models/pruned-90/model.json', { runtime: 'auto', inputShape: [28, 28, 1] });
 * const scores = await p.predict(inputs.subarray(0, 256 * 784), 256);
 * await p.dispose();
 */
export async function createPredictor(source: ModelSource, options: CreatePredictorOptions = {}): Promise<SourcePredictor> {
  const resolved = resolveSource(source, options.name ?? 'source');
  return createPredictorFor(resolved, options);
}

/**
 * {@link createPredictor} for an already classified source; `fileBytes` avoids re-reading a hashed .onnx or .tflite file. @internal
 * @throws PieAuditError `INVALID_ARGUMENT`
 */
export async function createPredictorFor(
  resolved: ResolvedSource,
  options: CreatePredictorOptions,
  fileBytes?: Uint8Array,
): Promise<SourcePredictor> {
  const runtime = options.runtime ?? 'auto';
  if (runtime !== 'auto' && runtime !== 'tfjs' && runtime !== 'onnx') {
    throw new PieAuditError('INVALID_ARGUMENT', `runtime must be 'auto', 'tfjs' or 'onnx', got ${JSON.stringify(runtime)}.`, { runtime });
  }
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.threads must be a positive integer, got ${String(options.threads)}.`, {
      threads: options.threads,
    });
  }
  const name = options.name ?? resolved.label;
  if (resolved.kind === 'layers' || resolved.kind === 'graph' || resolved.kind === 'tfjs-file' || resolved.kind === 'keras-file')
    await ensureTfjsBackend();
  switch (resolved.kind) {
    case 'layers':
      return layersPredictor(resolved.model, { ...options, runtime, name }, false);
    case 'graph':
      return graphPredictor(resolved.model, { ...options, runtime, name }, false);
    case 'tfjs-file': {
      const { format, modelJsonPath } = await inspectTfjsModelFile(resolved.path);
      if (format === 'graph-model') return graphPredictor(await loadGraphModelFromFile(modelJsonPath), { ...options, runtime, name }, true);
      registerQuantizeDequantize(); // a saved int8-full model holds QuantizeDequantize layers
      return layersPredictor(await loadLayersModelFromFile(modelJsonPath), { ...options, runtime, name }, true);
    }
    case 'keras-file':
      return layersPredictor(await loadKerasModel(resolved.path), { ...options, runtime, name }, true);
    case 'onnx-file': {
      if (runtime === 'tfjs') {
        throw new PieAuditError(
          'INVALID_ARGUMENT',
          `${name} is an ONNX file; it runs on onnxruntime-node only. Use runtime 'auto' or 'onnx'.`,
          { file: resolved.path },
        );
      }
      const bytes = fileBytes ?? (await readModelBytes(resolved.path));
      return createOnnxFilePredictor(bytes, resolved.path, {
        ...(options.inputShape ? { inputShape: options.inputShape } : {}),
        ...(options.threads ? { threads: options.threads } : {}),
      });
    }
    case 'tflite-file': {
      if (runtime !== 'auto') {
        throw new PieAuditError(
          'INVALID_ARGUMENT',
          `${name} is a TFLite file; it runs on the TFLite runtime (tfjs-tflite-node) only. Use runtime 'auto'.`,
          { file: resolved.path },
        );
      }
      return createTfliteFilePredictor(fileBytes ?? (await readModelBytes(resolved.path)), resolved.path, {
        ...(options.inputShape ? { inputShape: options.inputShape } : {}),
        ...(options.threads ? { threads: options.threads } : {}),
      });
    }
    case 'function': {
      const fn = resolved.fn;
      return {
        runtime: 'function',
        ...(fn.nClasses !== undefined ? { nClasses: fn.nClasses } : {}),
        ...(options.inputShape ? { inputShape: options.inputShape } : {}),
        predict: (inputs, batchSize) => fn.predict(inputs, batchSize),
        dispose() {},
      };
    }
    default:
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `${name} holds precomputed predictions; it has no predictor. Pass it to evaluatePopulation directly.`,
        { source: name },
      );
  }
}

/**
 * Weights are checked before any evaluation: activations such as relu turn NaN into 0 on some backends
 * (wasm), so an output check alone lets a diverged model through with plausible predictions.
 */
function checkWeights(name: string, dispose: (() => void) | undefined, check: () => void): void {
  try {
    check();
  } catch (e) {
    dispose?.();
    if (e instanceof PieAuditError) throw new PieAuditError(e.code, `${name}: ${e.message}`, { ...e.details, model: name }, { cause: e });
    throw e;
  }
}

async function layersPredictor(
  model: tf.LayersModel,
  options: CreatePredictorOptions & { runtime: EvaluationRuntime; name: string },
  ownsModel: boolean,
): Promise<SourcePredictor> {
  checkWeights(options.name, ownsModel ? () => model.dispose() : undefined, () => assertFiniteWeights(model));
  const tfjsOptions = { name: options.name, ownsModel, ...(options.inputShape ? { inputShape: options.inputShape } : {}) };
  if (options.runtime === 'tfjs') return createTfjsLayersPredictor(model, tfjsOptions);
  // Check the shape first so a mismatch reads the same whichever runtime would run the model.
  const inputShape = resolveInputShape(model.inputs[0]?.shape.slice(1), options.inputShape, options.name);
  if (options.runtime === 'onnx') await requireOnnxRuntime(`runtime 'onnx' for ${options.name}`);
  const attempt = await createOnnxLayersPredictor(model, options.threads ? { threads: options.threads } : {});
  if ('predictor' in attempt) {
    const onnx = attempt.predictor;
    const outShape = model.outputs[0].shape.slice(1);
    const nClasses = outShape.every((d) => typeof d === 'number') ? (outShape as number[]).reduce((a, b) => a * b, 1) : undefined;
    return {
      runtime: 'onnx',
      nClasses,
      inputShape,
      predict: (inputs, batchSize) => onnx.predict(inputs, batchSize),
      async dispose() {
        await onnx.dispose();
        if (ownsModel) model.dispose();
      },
    };
  }
  if (options.runtime === 'onnx') {
    throw new PieAuditError(
      'UNSUPPORTED_LAYER',
      `runtime 'onnx' cannot run ${options.name}: ${attempt.fallbackReason}. Use runtime 'auto' to fall back to tfjs.`,
      { model: options.name },
    );
  }
  return createTfjsLayersPredictor(model, { ...tfjsOptions, fallbackReason: attempt.fallbackReason });
}

function graphPredictor(
  model: tf.GraphModel,
  options: CreatePredictorOptions & { runtime: EvaluationRuntime; name: string },
  ownsModel: boolean,
): SourcePredictor {
  checkWeights(options.name, ownsModel ? () => model.dispose() : undefined, () => assertFiniteGraphWeights(model));
  if (options.runtime === 'onnx') {
    if (ownsModel) model.dispose();
    throw new PieAuditError(
      'UNSUPPORTED_LAYER',
      `runtime 'onnx' cannot run ${options.name}: ONNX export covers tfjs LayersModels only (convert the original model with tf2onnx, or use runtime 'auto').`,
      { model: options.name },
    );
  }
  const predictor = createTfjsGraphPredictor(model, {
    name: options.name,
    ownsModel,
    ...(options.inputShape ? { inputShape: options.inputShape } : {}),
  });
  if (options.runtime === 'auto')
    return { ...predictor, fallbackReason: 'ONNX export covers tfjs LayersModels only; GraphModels run on tfjs' };
  return predictor;
}
