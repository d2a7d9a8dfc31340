import { PieAuditError } from '../../errors.js';
import type { Predictor } from '../predictor.js';
import { assertSingleInputOutput, openOnnxSession, requireOnnxRuntime, resolveThreads, type OnnxSessionSettings } from './onnx-runtime.js';

/** Options for {@link createOnnxSessionPredictor}. */
export interface OnnxSessionOptions extends OnnxSessionSettings {
  /** Recorded on the predictor when it stands in for a slower runtime by choice (rarely needed). */
  fallbackReason?: string;
  /** What the model is, for error messages (default `'the ONNX model'`). */
  name?: string;
}

/**
 * A {@link Predictor} running a serialized ONNX model (one float32 input, one float32 output) on
 * onnxruntime-node with graph optimization level 'all'. Inputs are fed with the model's own input
 * shape (for tfjs exports: NHWC), batch dimension first; scores come back row-major.
 *
 * @throws PieAuditError `MODULE_NOT_FOUND` / `BACKEND_UNAVAILABLE` when onnxruntime-node cannot load, `CORRUPT_MODEL`
 *   when onnxruntime rejects the bytes, `UNSUPPORTED_LAYER` for several inputs or outputs
 *
 * @example
 * const predictor = await createOnnxSessionPredictor(readFileSync('model.onnx'), { threads: 2 });
 * const scores = await predictor.predict(batch, 256);
 * await predictor.dispose();
 */
export async function createOnnxSessionPredictor(model: Uint8Array, options: OnnxSessionOptions = {}): Promise<Predictor> {
  const name = options.name ?? 'the ONNX model';
  const threads = resolveThreads(options.threads);
  const ort = await requireOnnxRuntime(name);
  const session = await openOnnxSession(ort, model, name, {
    threads,
    ...(options.spinWait !== undefined ? { spinWait: options.spinWait } : {}),
  });
  await assertSingleInputOutput(session, name);
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const meta = session.inputMetadata?.[0];
  const dims = meta?.isTensor && meta.shape ? meta.shape.slice(1) : [];
  if (!dims.every((d): d is number => typeof d === 'number' && d > 0)) {
    await session.release();
    throw new PieAuditError(
      'SHAPE_MISMATCH',
      `input '${inputName}' of the ONNX model has non-static feature dimensions [${dims.join(', ')}]`,
    );
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
      if (out.type !== 'float32')
        throw new PieAuditError('SHAPE_MISMATCH', `output '${outputName}' is ${out.type}, expected float32 scores`);
      return out.data as Float32Array;
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}
