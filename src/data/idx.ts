import { PieAuditError } from '../errors.js';
import { readBytes } from './read-bytes.js';

/** A decoded IDX array (the MNIST file format). */
export interface IdxArray {
  /** Element type named by the file's type byte. */
  dtype: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  /** Dimensions, outermost first (e.g. `[10000, 28, 28]`). */
  shape: number[];
  /** Elements in row-major order. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const IDX_TYPES: Record<number, { dtype: IdxArray['dtype']; size: number }> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

/**
 * Decodes an IDX file (big-endian header: two zero bytes, a type byte, the number of dimensions,
 * then one big-endian int32 per dimension; MNIST images have a 16-byte header, labels 8 bytes).
 * Gzipped files (`.gz`) are decompressed first.
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * const labels = readIdx('t10k-labels-idx1-ubyte'); // { dtype: 'uint8', shape: [10000], data }
 */
export function readIdx(source: string | Uint8Array): IdxArray {
  const name = typeof source === 'string' ? `IDX file '${source}'` : 'IDX buffer';
  const bytes = readBytes(source, 'IDX file');
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new PieAuditError('CORRUPT_FILE', `The ${name} does not start with the IDX magic (0x00 0x00 type ndims).`);
  }
  const type = IDX_TYPES[bytes[2]];
  if (!type) throw new PieAuditError('CORRUPT_FILE', `The ${name} has unknown element type byte 0x${bytes[2].toString(16)}.`);
  const ndims = bytes[3];
  const headerSize = 4 + 4 * ndims;
  if (bytes.length < headerSize) throw new PieAuditError('CORRUPT_FILE', `The ${name} is truncated inside its header.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndims; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length < headerSize + count * type.size) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `The ${name} is truncated: shape [${shape.join(', ')}] needs ${headerSize + count * type.size} bytes, the file has ${bytes.length}.`,
    );
  }
  let data: IdxArray['data'];
  switch (type.dtype) {
    case 'uint8':
      data = bytes.slice(headerSize, headerSize + count);
      break;
    case 'int8':
      data = new Int8Array(bytes.slice(headerSize, headerSize + count).buffer);
      break;
    default: {
      const out =
        type.dtype === 'int16'
          ? new Int16Array(count)
          : type.dtype === 'int32'
            ? new Int32Array(count)
            : type.dtype === 'float32'
              ? new Float32Array(count)
              : new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const at = headerSize + i * type.size;
        out[i] =
          type.dtype === 'int16'
            ? view.getInt16(at, false)
            : type.dtype === 'int32'
              ? view.getInt32(at, false)
              : type.dtype === 'float32'
                ? view.getFloat32(at, false)
                : view.getFloat64(at, false);
      }
      data = out;
    }
  }
  return { dtype: type.dtype, shape, data };
}
