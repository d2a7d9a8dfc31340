import { gzipSync } from 'node:zlib';
import { concatArrays } from '../../data/concat-arrays.js';
import type { TfliteModelDescription } from './read-tflite-model.js';

/** Bytes per entry of the tensor types whose constant buffers count as weights. */
const WEIGHT_WIDTHS: Readonly<Record<string, number>> = { float32: 4, float16: 2, float64: 8, int8: 1, uint8: 1, int16: 2, int32: 4 };

/**
 * Sparsity (exact zeros among the prunable weights, the constants of rank 2 or more; for quantized weights the
 * entries equal to their zero point) and the gzipped size of all weight constants of a TFLite model.
 *
 * @example
 * const { sparsity, gzipBytes } = tfliteWeightStats(readTfliteModel(readFileSync('net.tflite'), 'net.tflite'));
 */
export function tfliteWeightStats(model: TfliteModelDescription): {
  /** Entries of the prunable weights (constants of rank 2 or more). */
  prunableParameters: number;
  /** Of those, the entries that are zero (quantized: equal to their zero point). */
  prunableZeros: number;
  /** prunableZeros / prunableParameters, `null` without prunable weights. */
  sparsity: number | null;
  /** Bytes of every weight constant as stored (float32 4 per entry, int8 1, ...). */
  rawBytes: number;
  /** gzip (level 6, node:zlib) of those bytes, constants in tensor order. */
  gzipBytes: number;
} {
  let prunableParameters = 0;
  let prunableZeros = 0;
  const weights: Uint8Array[] = [];
  for (const c of model.constants) {
    const width = WEIGHT_WIDTHS[c.type];
    if (width === undefined) continue;
    weights.push(c.bytes);
    if (c.shape.length < 2) continue;
    const view = new DataView(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
    const count = Math.floor(c.bytes.length / width);
    prunableParameters += count;
    for (let i = 0; i < count; i++) {
      const at = i * width;
      const value =
        c.type === 'float32'
          ? view.getFloat32(at, true)
          : c.type === 'float64'
            ? view.getFloat64(at, true)
            : c.type === 'int8'
              ? view.getInt8(at) - c.zeroPoint
              : c.type === 'uint8'
                ? view.getUint8(at) - c.zeroPoint
                : c.type === 'int16'
                  ? view.getInt16(at, true) - c.zeroPoint
                  : c.type === 'int32'
                    ? view.getInt32(at, true)
                    : view.getUint16(at, true) & 0x7fff; // float16: zero when every bit but the sign is 0
      if (value === 0) prunableZeros++;
    }
  }
  const all = concatArrays(Uint8Array, weights);
  return {
    prunableParameters,
    prunableZeros,
    sparsity: prunableParameters > 0 ? prunableZeros / prunableParameters : null,
    rawBytes: all.length,
    gzipBytes: gzipSync(all, { level: 6 }).length,
  };
}
