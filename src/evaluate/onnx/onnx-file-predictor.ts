import { PieAuditError } from '../../errors.js';
import { formatShape, shapeFits, shapeMismatch, sizeOf } from '../input-shape.js';
import { assertSingleInputOutput, openOnnxSession, requireOnnxRuntime } from './onnx-runtime.js';
import type { SourcePredictor } from '../source-predictor.js';
import { concatArrays } from '../../data/concat-arrays.js';

/** Per-example layout changes tried, in order, when the test set's shape does not match the ONNX input as is. */
const LAYOUTS: Array<{ name: string; perm: number[] }> = [
  { name: 'as is', perm: [0, 1, 2] },
  { name: 'NHWC test set -> NCHW model', perm: [2, 0, 1] },
  { name: 'NCHW test set -> NHWC model', perm: [1, 2, 0] },
];

/** How the test set's examples map onto the graph's input. */
interface InputLayout {
  /** Per-example shape the graph is fed. */
  modelShape: number[];
  /** Per-example shape of the test set. */
  exampleShape: number[];
  /** Axis permutation from the test set's layout to the graph's, when they differ. */
  perm: number[] | undefined;
}

/**
 * Chooses how examples are fed: as they are when the test set's shape fits the declared input, or
 * transposed NHWC <-> NCHW for rank-3 examples; the declared shape itself when the test set has none.
 *
 * @returns the layout, or the error to throw (the caller releases the session first)
 */
function chooseLayout(
  file: string,
  dims: ReadonlyArray<number | string>,
  test: readonly number[] | undefined,
): InputLayout | PieAuditError {
  const declared = dims.slice(1).map((d) => (typeof d === 'number' && d > 0 ? d : null));
  if (!test) {
    if (dims.length === 0 || !declared.every((d) => d !== null)) {
      return new PieAuditError(
        'SHAPE_MISMATCH',
        `ONNX model ${file} declares input ${formatShape(dims)} with unknown dimensions; set testSet.inputShape.`,
        {
          file,
          modelShape: dims,
        },
      );
    }
    return { modelShape: declared as number[], exampleShape: declared as number[], perm: undefined };
  }
  if (dims.length === 0 || shapeFits(declared, test)) return { modelShape: [...test], exampleShape: [...test], perm: undefined };
  const layout =
    test.length === 3
      ? LAYOUTS.slice(1).find((l) =>
          shapeFits(
            declared,
            l.perm.map((p) => test[p]),
          ),
        )
      : undefined;
  if (!layout)
    return shapeMismatch(`ONNX model ${file}`, declared, test, ' (NHWC <-> NCHW is converted automatically for rank-3 examples)');
  return { modelShape: layout.perm.map((p) => test[p]), exampleShape: [...test], perm: layout.perm };
}

/** A function that writes a batch into the graph's layout (a reused buffer), or passes it through. */
function layoutConverter(layout: InputLayout): (inputs: Float32Array, rows: number) => Float32Array {
  const { perm, exampleShape } = layout;
  if (!perm) return (inputs) => inputs;
  const featureSize = sizeOf(exampleShape);
  const [, b, c] = exampleShape; // source dims in order
  const srcStride = [b * c, c, 1];
  const [p0, p1, p2] = perm;
  const d0 = exampleShape[p0];
  const d1 = exampleShape[p1];
  const d2 = exampleShape[p2];
  let scratch: Float32Array | undefined;
  return (inputs, rows) => {
    if (!scratch || scratch.length < rows * featureSize) scratch = new Float32Array(rows * featureSize);
    const out = scratch.subarray(0, rows * featureSize);
    for (let r = 0; r < rows; r++) {
      const src = r * featureSize;
      let o = src;
      for (let i = 0; i < d0; i++) {
        for (let j = 0; j < d1; j++) {
          const base = src + i * srcStride[p0] + j * srcStride[p1];
          const s2 = srcStride[p2];
          for (let k = 0; k < d2; k++) out[o++] = inputs[base + k * s2];
        }
      }
    }
    return out;
  };
}

/** Runs `batchSize` rows through a graph of fixed batch size `fixedBatch`: chunks of its size, the last zero-padded. */
async function runInFixedChunks(
  batch: Float32Array,
  batchSize: number,
  fixedBatch: number,
  featureSize: number,
  runChunk: (data: Float32Array, rows: number) => Promise<Float32Array>,
): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let start = 0; start < batchSize; start += fixedBatch) {
    const rows = Math.min(fixedBatch, batchSize - start);
    let chunk = batch.subarray(start * featureSize, (start + rows) * featureSize);
    if (rows < fixedBatch) {
      const padded = new Float32Array(fixedBatch * featureSize);
      padded.set(chunk);
      chunk = padded;
    }
    const scores = await runChunk(chunk, fixedBatch);
    parts.push(rows < fixedBatch ? scores.subarray(0, (scores.length / fixedBatch) * rows) : scores);
  }
  return concatArrays(Float32Array, parts);
}

/**
 * Opens an ONNX model (bytes of an `.onnx` file) on onnxruntime-node and returns a predictor.
 *
 * The graph's declared input shape is read from the session metadata: when the test set's per-example
 * shape matches it, examples are fed as they are; when the test set is NHWC (tfjs / Keras images,
 * e.g. `[28, 28, 1]`) and the graph wants NCHW (`[N, 1, 28, 28]`, PyTorch exports), or the other way
 * round, each batch is transposed into a reused buffer. A graph exported with a fixed batch size
 * (e.g. `torch.onnx.export` without `dynamic_axes`) is run in chunks of that size, the last one padded.
 *
 * @throws PieAuditError `CORRUPT_MODEL` naming `file` when onnxruntime cannot load it, `UNSUPPORTED_LAYER` (several
 *   inputs, non-float inputs or outputs), `SHAPE_MISMATCH` (the test set's shape fits no layout), `MODULE_NOT_FOUND`
 * @example
 * const p = await createOnnxFilePredictor(readFileSync('net.onnx'), 'net.onnx', { inputShape: [28, 28, 1] });
 */
export async function createOnnxFilePredictor(
  bytes: Uint8Array,
  file: string,
  options: { inputShape?: readonly number[]; threads?: number } = {},
): Promise<SourcePredictor> {
  const ort = await requireOnnxRuntime(`ONNX model ${file}`);
  const session = await openOnnxSession(ort, bytes, file, options.threads ? { threads: options.threads } : {});
  await assertSingleInputOutput(session, file, { firstOutput: true });
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const meta = session.inputMetadata?.find((m) => m.name === inputName);
  const dims = meta?.shape ?? [];
  const inputType = meta?.type ?? 'float32';
  const layout =
    inputType !== 'float32' && inputType !== 'float64'
      ? new PieAuditError('UNSUPPORTED_LAYER', `ONNX model ${file} takes ${inputType} inputs; evaluation feeds float32 (or float64).`, {
          file,
        })
      : chooseLayout(file, dims, options.inputShape);
  if (layout instanceof PieAuditError) {
    await session.release();
    throw layout;
  }
  const fixedBatch = typeof dims[0] === 'number' && dims[0] > 0 ? dims[0] : undefined;
  const featureSize = sizeOf(layout.exampleShape);
  const outDims = session.outputMetadata?.find((m) => m.name === outputName)?.shape?.slice(1);
  const nClasses =
    outDims && outDims.length > 0 && outDims.every((d) => typeof d === 'number' && d > 0) ? sizeOf(outDims as number[]) : undefined;
  const toModelLayout = layoutConverter(layout);

  const runChunk = async (data: Float32Array, rows: number): Promise<Float32Array> => {
    const typed = inputType === 'float64' ? Float64Array.from(data) : data;
    const feed = new ort.Tensor(inputType, typed, [rows, ...layout.modelShape]);
    const result = await session.run({ [inputName]: feed });
    const out = result[outputName];
    try {
      const values = out.data;
      if (values instanceof Float32Array) return values.slice();
      if (values instanceof Float64Array) return Float32Array.from(values);
      throw new PieAuditError('UNSUPPORTED_LAYER', `ONNX model ${file} returns ${out.type} outputs; expected float scores.`, { file });
    } finally {
      out.dispose?.();
      feed.dispose?.();
    }
  };

  return {
    runtime: 'onnx',
    nClasses,
    inputShape: layout.exampleShape,
    async predict(inputs: Float32Array, batchSize: number): Promise<Float32Array> {
      const batch = toModelLayout(inputs, batchSize);
      if (!fixedBatch || fixedBatch === batchSize) return runChunk(batch, batchSize);
      return runInFixedChunks(batch, batchSize, fixedBatch, featureSize, runChunk);
    },
    async dispose() {
      await session.release();
    },
  };
}
