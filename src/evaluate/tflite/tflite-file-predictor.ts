import { PieAuditError } from '../../errors.js';
import { formatShape, shapeFits, shapeMismatch, sizeOf } from '../input-shape.js';
import type { SourcePredictor } from '../source-predictor.js';
import { readTfliteModel, type TfliteTensorDescription } from './read-tflite-model.js';
import { requireTfliteRuntime, type TfliteInterpreter, type TfliteTensorInfo } from './tflite-runtime.js';

/** The integer range of each quantized type evaluation feeds and reads. */
const QUANTIZED_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
};

/** Writes `rows` float examples into the interpreter's input, quantizing them when the input is quantized. */
type InputWriter = (target: TfliteTensorInfo, source: Float32Array) => void;
/** Reads the interpreter's output as float scores, dequantizing a quantized output. */
type OutputReader = (output: TfliteTensorInfo) => Float32Array;

function unsupported(file: string, what: string): PieAuditError {
  return new PieAuditError('UNSUPPORTED_LAYER', `TFLite model ${file} ${what}`, { file });
}

/** Round half away from zero, as TFLite's quantize kernel does. */
const roundAway = (v: number): number => (v < 0 ? -Math.round(-v) : Math.round(v));

function inputWriter(file: string, declared: TfliteTensorDescription): InputWriter | PieAuditError {
  if (declared.type === 'float32') return (target, source) => (target.data() as Float32Array).set(source);
  const range = QUANTIZED_RANGES[declared.type];
  if (!range) return unsupported(file, `takes ${declared.type} inputs; evaluation feeds float32, int8, uint8 or int16.`);
  if (!declared.quantization)
    return unsupported(file, `takes ${declared.type} inputs without quantization parameters; it cannot be fed float examples.`);
  const { scale, zeroPoint } = declared.quantization;
  const [lo, hi] = range;
  return (target, source) => {
    const data = target.data();
    for (let i = 0; i < source.length; i++) data[i] = Math.min(hi, Math.max(lo, roundAway(source[i] / scale) + zeroPoint));
  };
}

function outputReader(file: string, declared: TfliteTensorDescription): OutputReader | PieAuditError {
  if (declared.type === 'float32') return (output) => (output.data() as Float32Array).slice();
  if (!QUANTIZED_RANGES[declared.type]) return unsupported(file, `returns ${declared.type} outputs; expected float or quantized scores.`);
  if (!declared.quantization)
    return unsupported(file, `returns ${declared.type} outputs without quantization parameters; they cannot be read as scores.`);
  const { scale, zeroPoint } = declared.quantization;
  return (output) => {
    const data = output.data();
    const scores = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) scores[i] = scale * (Number(data[i]) - zeroPoint);
    return scores;
  };
}

/** The shape the runtime reports, as numbers (`'1,8,8,1'` -> [1, 8, 8, 1]). */
const parseShape = (shape: string): number[] => (shape === '' ? [] : shape.split(',').map(Number));

function openInterpreter(
  Interpreter: new (model: ArrayBuffer, options: { threads?: number }) => TfliteInterpreter,
  bytes: Uint8Array,
  file: string,
  threads: number | undefined,
): TfliteInterpreter {
  // The binding copies exactly the ArrayBuffer it is given: a Node Buffer may be a view into a larger pool.
  const exact = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return new Interpreter(exact, threads ? { threads } : {});
  } catch (e) {
    const why = (e as Error).message.trim().split('\n').join(' ');
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `TFLite model ${file} could not be loaded by the TFLite runtime: ${why}. Re-export it with the TFLite converter.`,
      { file },
      { cause: e },
    );
  }
}

/**
 * Opens a TFLite model (bytes of a `.tflite` file) on TFLite's own runtime (tfjs-tflite-node's
 * libtensorflowlite_c) and returns a predictor.
 *
 * Inputs are NHWC as the model declares them; the test set's per-example shape must equal the declared one
 * (`SHAPE_MISMATCH` otherwise). The runtime's Node binding cannot resize the input, so the model runs at its
 * declared batch (1 for most converted models): each batch is fed in chunks of that size, the last one
 * zero-padded. Quantized inputs (int8, uint8, int16) are quantized with the input tensor's scale and zero
 * point, and quantized outputs dequantized with the output's, both read from the flatbuffer.
 *
 * @throws PieAuditError `MODULE_NOT_FOUND` / `BACKEND_UNAVAILABLE` (no runtime), `CORRUPT_MODEL` naming `file`,
 *   `UNSUPPORTED_LAYER` (several inputs, unsupported types), `SHAPE_MISMATCH`
 * @example
 * const p = await createTfliteFilePredictor(readFileSync('net.tflite'), 'net.tflite', { inputShape: [28, 28, 1] });
 * const scores = await p.predict(inputs, 32);
 */
export async function createTfliteFilePredictor(
  bytes: Uint8Array,
  file: string,
  options: { inputShape?: readonly number[]; threads?: number } = {},
): Promise<SourcePredictor> {
  const model = readTfliteModel(bytes, file);
  if (model.inputs.length !== 1 || model.outputs.length < 1)
    throw unsupported(
      file,
      `has ${model.inputs.length} inputs and ${model.outputs.length} outputs; evaluation feeds one input and reads one output.`,
    );
  const { Interpreter } = requireTfliteRuntime(`TFLite model ${file}`);
  const interpreter = openInterpreter(Interpreter, bytes, file, options.threads);
  const input = interpreter.getInputs()[0];
  const output = interpreter.getOutputs()[0];
  const inputDims = parseShape(input.shape);
  const outputDims = parseShape(output.shape);
  const fixedBatch = inputDims[0];
  const declared = inputDims.slice(1);
  if (!(fixedBatch >= 1) || !(outputDims[0] === fixedBatch))
    throw unsupported(
      file,
      `has input ${formatShape(inputDims)} and output ${formatShape(outputDims)}; both must lead with the same batch size.`,
    );
  if (options.inputShape && !shapeFits(declared, options.inputShape))
    throw shapeMismatch(`TFLite model ${file}`, declared, options.inputShape, ' (TFLite models take NHWC examples)');
  const write = inputWriter(file, { ...model.inputs[0], type: input.dataType });
  if (write instanceof PieAuditError) throw write;
  const read = outputReader(file, { ...model.outputs[0], type: output.dataType });
  if (read instanceof PieAuditError) throw read;
  const featureSize = sizeOf(declared);
  const nClasses = sizeOf(outputDims.slice(1));
  const chunk = new Float32Array(fixedBatch * featureSize);

  return {
    runtime: 'tflite',
    nClasses,
    inputShape: declared,
    async predict(inputs: Float32Array, batchSize: number): Promise<Float32Array> {
      const scores = new Float32Array(batchSize * nClasses);
      for (let start = 0; start < batchSize; start += fixedBatch) {
        const rows = Math.min(fixedBatch, batchSize - start);
        chunk.fill(0);
        chunk.set(inputs.subarray(start * featureSize, (start + rows) * featureSize));
        write(input, chunk);
        try {
          interpreter.infer();
        } catch (e) {
          throw new PieAuditError(
            'CORRUPT_MODEL',
            `TFLite model ${file} failed to run: ${(e as Error).message.trim()}`,
            { file },
            { cause: e },
          );
        }
        scores.set(read(output).subarray(0, rows * nClasses), start * nClasses);
      }
      return scores;
    },
    dispose() {
      // The binding frees the interpreter when it is garbage-collected; it has no explicit release.
    },
  };
}
