import { gzipSync } from 'node:zlib';
import { onnx, type OnnxTypes } from './onnx-proto.js';

/** Sparsity and size of an ONNX model's weights, as {@link compressionStats} gives them for a tfjs model. */
export interface OnnxInitializerStats {
  /** Entries of the prunable weights (initializers of rank 2 or more: Gemm/MatMul/Conv weights). */
  prunableParameters: number;
  /** Of those, entries stored as exactly 0 (either sign; for int8/uint8 weights the stored integer 0). */
  prunableZeros: number;
  /** prunableZeros / prunableParameters, `null` without prunable weights. */
  prunableSparsity: number | null;
  /** Bytes of every weight initializer as stored (float32 4 per entry, float16 2, int8 1, ...). */
  rawBytes: number;
  /** gzip (level 6, node:zlib) of those bytes, initializers in graph order. */
  gzipBytes: number;
}

const T = onnx.TensorProto.DataType;
/** Bytes per entry of the weight types; int64 initializers (shapes, axes, pads) are graph constants, not weights. */
const WEIGHT_TYPES = new Map<number, number>([
  [T.FLOAT, 4],
  [T.DOUBLE, 8],
  [T.FLOAT16, 2],
  [T.BFLOAT16, 2],
  [T.INT8, 1],
  [T.UINT8, 1],
  [T.INT32, 4],
]);

/** An initializer's entries as little-endian bytes, from raw_data or from the typed repeated field. */
function initializerBytes(t: OnnxTypes.ITensorProto, width: number): Uint8Array {
  if (t.rawData && t.rawData.length > 0) return t.rawData;
  const count = (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
  const out = new Uint8Array(count * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    switch (t.dataType) {
      case T.FLOAT:
        view.setFloat32(i * 4, t.floatData?.[i] ?? 0, true);
        break;
      case T.DOUBLE:
        view.setFloat64(i * 8, t.doubleData?.[i] ?? 0, true);
        break;
      case T.INT32:
        view.setInt32(i * 4, t.int32Data?.[i] ?? 0, true);
        break;
      case T.INT8:
        view.setInt8(i, t.int32Data?.[i] ?? 0);
        break;
      case T.UINT8:
        view.setUint8(i, t.int32Data?.[i] ?? 0);
        break;
      default:
        // float16 and bfloat16 keep their 16-bit patterns in int32_data.
        view.setUint16(i * 2, t.int32Data?.[i] ?? 0, true);
    }
  }
  return out;
}

/** Entries of `bytes` (little-endian, `width` bytes each) that are exactly zero: every byte 0, or a float's -0. */
function countZeros(bytes: Uint8Array, width: number, dataType: number): number {
  // A float's sign bit alone (-0) is zero too: the top byte is 0x80 and the rest 0.
  const signed = dataType === T.FLOAT || dataType === T.DOUBLE || dataType === T.FLOAT16 || dataType === T.BFLOAT16;
  let zeros = 0;
  for (let i = 0; i + width <= bytes.length; i += width) {
    let zero = true;
    for (let b = 0; b < width - 1 && zero; b++) zero = bytes[i + b] === 0;
    const top = bytes[i + width - 1];
    if (zero && (top === 0 || (signed && top === 0x80))) zeros++;
  }
  return zeros;
}

/**
 * Sparsity (exact zeros among the prunable weights, the initializers of rank 2 or more) and gzipped size of
 * the weight initializers of an ONNX model, read from the protobuf alone (no runtime needed).
 *
 * @throws Error when the bytes are not an ONNX ModelProto (the caller reports the file)
 * @example
 * const stats = onnxInitializerStats(readFileSync('model.onnx'));
 * console.log(`${(stats.prunableSparsity! * 100).toFixed(1)}% zeros, gzip ${stats.gzipBytes} B`);
 */
export function onnxInitializerStats(bytes: Uint8Array): OnnxInitializerStats {
  const model = onnx.ModelProto.decode(bytes);
  const chunks: Uint8Array[] = [];
  let prunableParameters = 0;
  let prunableZeros = 0;
  for (const t of model.graph?.initializer ?? []) {
    const width = WEIGHT_TYPES.get(t.dataType ?? 0);
    if (width === undefined) continue;
    const data = initializerBytes(t, width);
    chunks.push(data);
    if ((t.dims ?? []).length >= 2 && t.dataType !== T.INT32) {
      prunableParameters += data.length / width;
      prunableZeros += countZeros(data, width, t.dataType ?? 0);
    }
  }
  const all = Buffer.concat(chunks);
  return {
    prunableParameters,
    prunableZeros,
    prunableSparsity: prunableParameters > 0 ? prunableZeros / prunableParameters : null,
    rawBytes: all.length,
    gzipBytes: gzipSync(all, { level: 6 }).length,
  };
}
