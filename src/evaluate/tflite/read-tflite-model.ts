import { PieAuditError } from '../../errors.js';

/** A TFLite tensor type (TensorType in tensorflow/lite/schema/schema.fbs), by its number there. */
export const TFLITE_TENSOR_TYPES: Readonly<Record<number, string>> = {
  0: 'float32',
  1: 'float16',
  2: 'int32',
  3: 'uint8',
  4: 'int64',
  5: 'string',
  6: 'bool',
  7: 'int16',
  8: 'complex64',
  9: 'int8',
  10: 'float64',
};

/** A graph input or output, as the flatbuffer declares it. */
export interface TfliteTensorDescription {
  readonly name: string;
  /** `float32`, `int8`, `uint8`, ... (`type-<n>` for a type this reader does not name). */
  readonly type: string;
  /** Declared shape, batch first (NHWC for images). */
  readonly shape: readonly number[];
  /** Per-tensor quantization (`f = scale * (q - zeroPoint)`), `null` when the tensor is not quantized. */
  readonly quantization: { readonly scale: number; readonly zeroPoint: number } | null;
}

/** A constant tensor (a weight or bias) with the bytes of its buffer. */
export interface TfliteConstant {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly number[];
  /** Zero point of its entries (0 when not quantized): an int8 weight equal to it is a pruned zero. */
  readonly zeroPoint: number;
  readonly bytes: Uint8Array;
}

/** What pie-audit reads from a `.tflite` flatbuffer without running it. */
export interface TfliteModelDescription {
  /** The schema version the file was written with. */
  readonly version: number;
  readonly inputs: readonly TfliteTensorDescription[];
  readonly outputs: readonly TfliteTensorDescription[];
  /** Tensors of the first subgraph backed by a non-empty buffer, in tensor order. */
  readonly constants: readonly TfliteConstant[];
}

/** Little-endian reads of flatbuffer tables and vectors; any read past the end throws a RangeError. */
class FlatReader {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** Where the table's field `id` is stored, or 0 when the field is absent (its default applies). */
  field(table: number, id: number): number {
    const vtable = table - this.view.getInt32(table, true);
    const vtableSize = this.view.getUint16(vtable, true);
    const slot = 4 + 2 * id;
    if (slot >= vtableSize) return 0;
    const at = this.view.getUint16(vtable + slot, true);
    return at === 0 ? 0 : table + at;
  }
  /** The table, vector or string an offset field at `at` points to. */
  deref(at: number): number {
    return at + this.view.getUint32(at, true);
  }
  u8(at: number): number {
    return this.view.getUint8(at);
  }
  i8(at: number): number {
    return this.view.getInt8(at);
  }
  u32(at: number): number {
    return this.view.getUint32(at, true);
  }
  i32(at: number): number {
    return this.view.getInt32(at, true);
  }
  f32(at: number): number {
    return this.view.getFloat32(at, true);
  }
  i64(at: number): number {
    return Number(this.view.getBigInt64(at, true));
  }
  /** A vector field: where its first element is and how many it has (an absent field is empty). */
  vector(table: number, id: number): { start: number; length: number } {
    const at = this.field(table, id);
    if (at === 0) return { start: 0, length: 0 };
    const v = this.deref(at);
    const length = this.u32(v);
    if (v + 4 + length > this.bytes.length) throw new RangeError('vector past the end');
    return { start: v + 4, length };
  }
  /** The i-th table of a vector of tables. */
  tableAt(vector: { start: number }, i: number): number {
    return this.deref(vector.start + 4 * i);
  }
  ints(table: number, id: number): number[] {
    const v = this.vector(table, id);
    return Array.from({ length: v.length }, (_, i) => this.i32(v.start + 4 * i));
  }
  string(table: number, id: number): string {
    const v = this.vector(table, id);
    return new TextDecoder().decode(this.bytes.subarray(v.start, v.start + v.length));
  }
  slice(start: number, length: number): Uint8Array {
    if (start + length > this.bytes.length) throw new RangeError('buffer past the end');
    return this.bytes.subarray(start, start + length);
  }
}

// Field ids of the tables read here (tensorflow/lite/schema/schema.fbs).
const MODEL = { version: 0, subgraphs: 2, buffers: 4 };
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2 };
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4 };
const QUANTIZATION = { scale: 2, zeroPoint: 3 };
const BUFFER = { data: 0 };

interface RawTensor {
  name: string;
  type: string;
  shape: number[];
  buffer: number;
  scales: number[];
  zeroPoints: number[];
}

function readTensor(r: FlatReader, table: number): RawTensor {
  const typeAt = r.field(table, TENSOR.type);
  const typeNumber = typeAt === 0 ? 0 : r.i8(typeAt);
  const bufferAt = r.field(table, TENSOR.buffer);
  const quantAt = r.field(table, TENSOR.quantization);
  const quant = quantAt === 0 ? 0 : r.deref(quantAt);
  const scaleVector = quant === 0 ? { start: 0, length: 0 } : r.vector(quant, QUANTIZATION.scale);
  const zeroVector = quant === 0 ? { start: 0, length: 0 } : r.vector(quant, QUANTIZATION.zeroPoint);
  return {
    name: r.string(table, TENSOR.name),
    type: TFLITE_TENSOR_TYPES[typeNumber] ?? `type-${typeNumber}`,
    shape: r.ints(table, TENSOR.shape),
    buffer: bufferAt === 0 ? 0 : r.u32(bufferAt),
    scales: Array.from({ length: scaleVector.length }, (_, i) => r.f32(scaleVector.start + 4 * i)),
    zeroPoints: Array.from({ length: zeroVector.length }, (_, i) => r.i64(zeroVector.start + 8 * i)),
  };
}

function describe(t: RawTensor): TfliteTensorDescription {
  const quantized = t.scales.length === 1 && t.scales[0] !== 0;
  return {
    name: t.name,
    type: t.type,
    shape: t.shape,
    quantization: quantized ? { scale: t.scales[0], zeroPoint: t.zeroPoints[0] ?? 0 } : null,
  };
}

function parse(bytes: Uint8Array): TfliteModelDescription {
  const r = new FlatReader(bytes);
  const model = r.deref(0);
  const versionAt = r.field(model, MODEL.version);
  const subgraphs = r.vector(model, MODEL.subgraphs);
  if (subgraphs.length === 0) throw new RangeError('no subgraph');
  const graph = r.tableAt(subgraphs, 0);
  const tensorVector = r.vector(graph, SUBGRAPH.tensors);
  const tensors = Array.from({ length: tensorVector.length }, (_, i) => readTensor(r, r.tableAt(tensorVector, i)));
  const pick = (ids: number[]) =>
    ids.map((id) => {
      const t = tensors[id];
      if (!t) throw new RangeError(`tensor ${id} out of range`);
      return describe(t);
    });
  const buffers = r.vector(model, MODEL.buffers);
  const constants: TfliteConstant[] = [];
  for (const t of tensors) {
    // Buffer 0 is the empty sentinel every activation tensor points to.
    if (t.buffer === 0 || t.buffer >= buffers.length) continue;
    const data = r.vector(r.tableAt(buffers, t.buffer), BUFFER.data);
    if (data.length === 0) continue;
    constants.push({
      name: t.name,
      type: t.type,
      shape: t.shape,
      zeroPoint: t.zeroPoints[0] ?? 0,
      bytes: r.slice(data.start, data.length),
    });
  }
  return {
    version: versionAt === 0 ? 0 : r.u32(versionAt),
    inputs: pick(r.ints(graph, SUBGRAPH.inputs)),
    outputs: pick(r.ints(graph, SUBGRAPH.outputs)),
    constants,
  };
}

/**
 * Reads a `.tflite` flatbuffer's graph inputs and outputs (shape, type, quantization) and its constant
 * tensors, without a runtime: what evaluation needs to feed quantized inputs and dequantize outputs (the
 * runtime's Node binding does not expose quantization parameters), and what sparsity and size are measured on.
 *
 * @throws PieAuditError `CORRUPT_MODEL` naming `file` when the bytes are not a TFLite model
 * @example
 * const model = readTfliteModel(readFileSync('net.tflite'), 'net.tflite');
 * model.inputs[0].shape; // [1, 28, 28, 1]
 */
export function readTfliteModel(bytes: Uint8Array, file: string): TfliteModelDescription {
  const identifier = new TextDecoder().decode(bytes.subarray(4, 8));
  if (bytes.length < 8 || identifier !== 'TFL3') {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `TFLite model ${file} does not start with a TFLite flatbuffer (file identifier 'TFL3'); re-export it with the TFLite converter.`,
      { file },
    );
  }
  try {
    return parse(bytes);
  } catch (e) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `TFLite model ${file} could not be read: ${(e as Error).message} (the file is cut short or damaged); re-export it.`,
      { file },
      { cause: e },
    );
  }
}
