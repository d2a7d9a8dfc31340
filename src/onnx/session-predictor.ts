import { availableParallelism } from 'node:os';
import { PieAuditError } from '../errors.js';
import type { Predictor } from '../evaluate/predictor.js';
import { loadOnnxRuntime, ONNXRUNTIME_MISSING } from './load-onnxruntime.js';

/** Options for {@link createOnnxSessionPredictor}. */
export interface OnnxSessionOptions {
  /** Intra-op threads of the session; defaults to all cores (`os.availableParallelism()`). */
  threads?: number;
  /**
   * Let idle intra-op threads spin-wait for the next parallel section (onnxruntime's default, and ours).
   * Measured on 2 cores: spinning is 1.4x faster on a small MLP when the machine is otherwise quiet, and
   * about 15% slower when it is heavily oversubscribed (load far above the core count); set `false` there.
   */
  spinWait?: boolean;
  /** Recorded on the predictor when it stands in for a slower runtime by choice (rarely needed). */
  fallbackReason?: string;
}

/** Validates a thread count option, returning the default (all cores) when absent. */
export function resolveThreads(threads: number | undefined, argument = 'options.threads'): number {
  if (threads === undefined) return availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `${argument} must be a positive integer, got ${String(threads)}`, { threads });
  }
  return threads;
}

/**
 * A {@link Predictor} running a serialized ONNX model (one float32 input, one float32 output) on
 * onnxruntime-node with graph optimization level 'all'. Inputs are fed with the model's own input
 * shape (for tfjs exports: NHWC), batch dimension first; scores come back row-major.
 *
 * Throws PieAuditError `MODULE_NOT_FOUND` when onnxruntime-node is not installed and `CORRUPT_MODEL`
 * when onnxruntime rejects the bytes.
 *
 * @example
 * const predictor = await createOnnxSessionPredictor(readFileSync('model.onnx'), { threads: 2 });
 * const scores = await predictor.predict(batch, 256);
 * await predictor.dispose();
 */
export async function createOnnxSessionPredictor(model: Uint8Array, options: OnnxSessionOptions = {}): Promise<Predictor> {
  const threads = resolveThreads(options.threads);
  const ort = await loadOnnxRuntime();
  if (!ort) throw new PieAuditError('MODULE_NOT_FOUND', ONNXRUNTIME_MISSING);
  let session: import('onnxruntime-node').InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: options.spinWait === false ? '0' : '1' } } },
    });
  } catch (e) {
    throw new PieAuditError('CORRUPT_MODEL', `onnxruntime could not load the ONNX model: ${(e as Error).message}`, {}, { cause: e });
  }
  if (session.inputNames.length !== 1 || session.outputNames.length !== 1) {
    const counts = `${session.inputNames.length} inputs and ${session.outputNames.length} outputs`;
    await session.release();
    throw new PieAuditError('SHAPE_MISMATCH', `the ONNX model has ${counts}; a predictor needs exactly one of each`);
  }
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const meta = session.inputMetadata[0];
  const dims = meta && meta.isTensor ? meta.shape.slice(1) : [];
  if (!dims.every((d): d is number => typeof d === 'number' && d > 0)) {
    await session.release();
    throw new PieAuditError('SHAPE_MISMATCH', `input '${inputName}' of the ONNX model has non-static feature dimensions [${dims.join(', ')}]`);
  }
  const featureSize = dims.reduce((a, b) => a * b, 1);
  let disposed = false;

  return {
    runtime: 'onnx',
    ...(options.fallbackReason !== undefined ? { fallbackReason: options.fallbackReason } : {}),
    async predict(inputs: Float32Array, batchSize: number): Promise<Float32Array> {
      if (disposed) throw new PieAuditError('INVALID_ARGUMENT', 'predict() was called after dispose(); create a new predictor');
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new PieAuditError('INVALID_ARGUMENT', `batchSize must be a positive integer, got ${String(batchSize)}`);
      }
      if (inputs.length !== batchSize * featureSize) {
        throw new PieAuditError(
          'LENGTH_MISMATCH',
          `inputs has ${inputs.length} values; batchSize ${batchSize} x ${featureSize} features (input shape [${dims.join(', ')}]) needs ${batchSize * featureSize}`,
        );
      }
      const result = await session.run({ [inputName]: new ort.Tensor('float32', inputs, [batchSize, ...dims]) });
      const out = result[outputName];
      if (out.type !== 'float32') throw new PieAuditError('SHAPE_MISMATCH', `output '${outputName}' is ${out.type}, expected float32 scores`);
      return out.data as Float32Array;
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}
