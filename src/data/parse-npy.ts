import { PieAuditError } from '../errors.js';

/** A numeric array read from a `.npy` file, converted to C order. */
export interface NpyArray {
  /** Values in C (row-major) order; 64-bit integers come back as `BigInt64Array`/`BigUint64Array`. */
  data:
    | Int8Array
    | Int16Array
    | Int32Array
    | BigInt64Array
    | Uint8Array
    | Uint16Array
    | Uint32Array
    | BigUint64Array
    | Float32Array
    | Float64Array;
  shape: number[];
  /** numpy dtype string without byte order, e.g. `'i8'`, `'f4'`. */
  dtype: string;
}

const ELEMENT_TYPES: Record<
  string,
  { bytes: number; make: (n: number) => NpyArray['data']; read: (v: DataView, o: number, le: boolean) => number | bigint }
> = {
  i1: { bytes: 1, make: (n) => new Int8Array(n), read: (v, o) => v.getInt8(o) },
  u1: { bytes: 1, make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) },
  b1: { bytes: 1, make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) },
  i2: { bytes: 2, make: (n) => new Int16Array(n), read: (v, o, le) => v.getInt16(o, le) },
  u2: { bytes: 2, make: (n) => new Uint16Array(n), read: (v, o, le) => v.getUint16(o, le) },
  i4: { bytes: 4, make: (n) => new Int32Array(n), read: (v, o, le) => v.getInt32(o, le) },
  u4: { bytes: 4, make: (n) => new Uint32Array(n), read: (v, o, le) => v.getUint32(o, le) },
  i8: { bytes: 8, make: (n) => new BigInt64Array(n), read: (v, o, le) => v.getBigInt64(o, le) },
  u8: { bytes: 8, make: (n) => new BigUint64Array(n), read: (v, o, le) => v.getBigUint64(o, le) },
  f4: { bytes: 4, make: (n) => new Float32Array(n), read: (v, o, le) => v.getFloat32(o, le) },
  f8: { bytes: 8, make: (n) => new Float64Array(n), read: (v, o, le) => v.getFloat64(o, le) },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/**
 * Parses a numpy `.npy` file (format versions 1.0, 2.0 and 3.0) holding a numeric array:
 * int8/16/32/64, uint8/16/32/64, bool, float32/64, either byte order, C or Fortran order
 * (Fortran order is transposed to C order). `what` names the file in error messages.
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * // np.save('preds.npy', np.array([3, 1, 2], dtype=np.uint16))
 * const { data, shape } = parseNpy(readFileSync('preds.npy'), 'preds.npy'); // Uint16Array [3, 1, 2], [3]
 */
export function parseNpy(bytes: Uint8Array, what: string): NpyArray {
  const corrupt = (why: string) =>
    new PieAuditError('CORRUPT_FILE', `${what} is not a readable .npy file: ${why}. Write it with numpy.save().`, { file: what });
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw corrupt('missing the \\x93NUMPY magic');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw corrupt('truncated header');
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw corrupt(`unknown format version ${major}.${bytes[7]}`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw corrupt('truncated header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw corrupt(`unparseable header ${JSON.stringify(header.trim())}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw corrupt(`bad shape (${shapeText})`);
  const order = descr[0];
  const dtype = '<>|='.includes(order) ? descr.slice(1) : descr;
  const type = ELEMENT_TYPES[dtype];
  if (!type) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `${what}: dtype '${descr}' is not supported; save integer labels (e.g. .astype(np.uint16)) or float32/float64 scores.`,
      { file: what, dtype: descr },
    );
  }
  const littleEndian = order !== '>';
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - dataStart < count * type.bytes)
    throw corrupt(`data is truncated: ${bytes.length - dataStart} bytes for ${count} values of ${type.bytes} bytes`);
  const data = type.make(count);
  const isFortran = fortran === 'True' && shape.length > 1;
  // Strides of the stored order, used to map C-order index -> stored position for Fortran files.
  const cStrides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const fStrides = shape.map((_, k) => shape.slice(0, k).reduce((a, b) => a * b, 1));
  for (let i = 0; i < count; i++) {
    let stored = i;
    if (isFortran) {
      stored = 0;
      let rest = i;
      for (let k = 0; k < shape.length; k++) {
        const idx = Math.floor(rest / cStrides[k]);
        rest -= idx * cStrides[k];
        stored += idx * fStrides[k];
      }
    }
    (data as unknown as Array<number | bigint>)[i] = type.read(view, dataStart + stored * type.bytes, littleEndian);
  }
  return { data, shape, dtype };
}
