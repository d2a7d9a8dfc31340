import { PieAuditError } from '../errors.js';
import { readBytes } from './read-bytes.js';

/** A decoded NumPy `.npy` array. */
export interface NpyArray {
  /** NumPy dtype descriptor as stored, e.g. `'<f4'`. */
  descr: string;
  shape: number[];
  /** Elements in C (row-major) order; 64-bit integers are converted to Float64Array. */
  data: Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Decodes a NumPy `.npy` file (format versions 1-3, C order, little-endian or single-byte types:
 * f4, f8, i1, u1, b1, i2, u2, i4, u4, i8, u8). Use it to audit predictions or probabilities saved
 * by PyTorch/NumPy (`np.save('preds.npy', logits.argmax(1))`).
 *
 * @example
 * const probs = readNpy('probs.npy'); // { descr: '<f4', shape: [10000, 10], data: Float32Array }
 */
export function readNpy(source: string | Uint8Array): NpyArray {
  const name = typeof source === 'string' ? `NPY file '${source}'` : 'NPY buffer';
  const bytes = readBytes(source, 'NPY file');
  if (bytes.length < 10 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new PieAuditError('CORRUPT_FILE', `The ${name} does not start with the NumPy magic '\\x93NUMPY'; save arrays with numpy.save.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new PieAuditError('CORRUPT_FILE', `The ${name} has an unreadable header: ${header.trim()}`);
  if (fortran === 'True') throw new PieAuditError('CORRUPT_FILE', `The ${name} is in Fortran order; save it with numpy.ascontiguousarray first.`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLen;
  const body = bytes.slice(start);
  const kind = descr.replace(/^[<|=]/, '');
  if (descr.startsWith('>') && !/^>[iub]1$/.test(descr)) throw new PieAuditError('CORRUPT_FILE', `The ${name} is big-endian (${descr}); convert it with arr.astype('<${descr.slice(1)}').`);
  const sizes: Record<string, number> = { f4: 4, f8: 8, i1: 1, u1: 1, b1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8 };
  const size = sizes[kind];
  if (!size) throw new PieAuditError('CORRUPT_FILE', `The ${name} has unsupported dtype '${descr}'; use float32, float64 or an integer type.`);
  if (body.length < count * size) throw new PieAuditError('CORRUPT_FILE', `The ${name} is truncated: shape (${shape.join(', ')}) needs ${count * size} data bytes, it has ${body.length}.`);
  const buf = body.buffer.slice(body.byteOffset, body.byteOffset + count * size);
  let data: NpyArray['data'];
  switch (kind) {
    case 'f4': data = new Float32Array(buf); break;
    case 'f8': data = new Float64Array(buf); break;
    case 'i1': data = new Int8Array(buf); break;
    case 'u1': case 'b1': data = new Uint8Array(buf); break;
    case 'i2': data = new Int16Array(buf); break;
    case 'u2': data = new Uint16Array(buf); break;
    case 'i4': data = new Int32Array(buf); break;
    case 'u4': data = new Uint32Array(buf); break;
    default: {
      const big = kind === 'i8' ? new BigInt64Array(buf) : new BigUint64Array(buf);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(big[i]);
      data = out;
    }
  }
  return { descr, shape, data };
}

/**
 * Encodes a C-order array as `.npy` (version 1.0). Handy for fixtures and for exporting predictions.
 *
 * @example
 * writeFileSync('preds.npy', encodeNpy(new Int32Array([3, 1, 4]), [3]));
 */
export function encodeNpy(data: Float32Array | Float64Array | Uint8Array | Int32Array | Uint16Array, shape: number[]): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : data instanceof Uint8Array ? '|u1' : data instanceof Uint16Array ? '<u2' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
