import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PieAuditError } from '../errors.js';
import type { InputBatches } from './input-batches.js';

const TYPES: Record<string, { bytes: number; get: (v: DataView, o: number, le: boolean) => number }> = {
  u1: { bytes: 1, get: (v, o) => v.getUint8(o) },
  i1: { bytes: 1, get: (v, o) => v.getInt8(o) },
  u2: { bytes: 2, get: (v, o, le) => v.getUint16(o, le) },
  i2: { bytes: 2, get: (v, o, le) => v.getInt16(o, le) },
  f4: { bytes: 4, get: (v, o, le) => v.getFloat32(o, le) },
  f8: { bytes: 8, get: (v, o, le) => v.getFloat64(o, le) },
};

/** The header of a `.npy` file: where its data starts, its element type and shape. */
function readHeader(fd: number, path: string) {
  const corrupt = (why: string) =>
    new PieAuditError('CORRUPT_FILE', `'${path}' is not a readable .npy file: ${why}. Write it with numpy.save().`, { file: path });
  const head = Buffer.alloc(12);
  readSync(fd, head, 0, 12, 0);
  if (head.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw corrupt('missing the \\x93NUMPY magic');
  const major = head[6];
  const [start, length] = major === 1 ? [10, head.readUInt16LE(8)] : [12, head.readUInt32LE(8)];
  if (length > 1 << 20) throw corrupt('header over 1 MiB');
  const text = Buffer.alloc(length);
  readSync(fd, text, 0, length, start);
  const header = text.toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([<>|=]?)([a-z]\d)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*True/.test(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw corrupt(`unparseable header ${JSON.stringify(header.trim().slice(0, 200))}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 0)) throw corrupt(`bad shape (${shapeText})`);
  const type = TYPES[descr[2]];
  if (!type)
    throw new PieAuditError(
      'CORRUPT_FILE',
      `'${path}': dtype '${descr[2]}' cannot be read as inputs; save uint8, int8, (u)int16, float32 or float64.`,
      {
        file: path,
      },
    );
  if (fortran && shape.length > 1)
    throw new PieAuditError('CORRUPT_FILE', `'${path}' is stored in Fortran order; save it with np.save(path, np.ascontiguousarray(x)).`, {
      file: path,
    });
  return { dataStart: start + length, type, littleEndian: descr[1] !== '>', shape };
}

/**
 * Inputs from a `.npy` file of any size, read by ranges (one batch at a time, never the whole file), each value
 * divided by `divisor` (e.g. 255 for uint8 pixels). The first axis is the examples; the rest is the input shape
 * unless `inputShape` says otherwise.
 *
 * @throws PieAuditError `CORRUPT_FILE` (not a .npy, unsupported dtype, truncated), `IO_ERROR`, `CONFIG_ERROR`
 * @example
 * const batches = npyBatches('x_test.npy', { divisor: 255 });
 * await auditCompression({ population, testSet: { batches, labels } });
 * await batches.close();
 */
export function npyBatches(path: string, options: { divisor?: number; inputShape?: readonly number[] } = {}): InputBatches {
  const divisor = options.divisor ?? 1;
  if (!(typeof divisor === 'number' && Number.isFinite(divisor) && divisor > 0))
    throw new PieAuditError('CONFIG_ERROR', `testSet.inputDivisor: must be a positive number; got ${String(divisor)}.`, {
      key: 'testSet.inputDivisor',
    });
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new PieAuditError('IO_ERROR', `Cannot read inputs '${path}': ${(e as Error).message}.`, { path });
  }
  try {
    const { dataStart, type, littleEndian, shape } = readHeader(fd, path);
    const n = shape[0];
    const inputShape = options.inputShape ? [...options.inputShape] : shape.length > 1 ? shape.slice(1) : [1];
    const featureSize = inputShape.reduce((a, b) => a * b, 1);
    const total = shape.reduce((a, b) => a * b, 1);
    if (n < 1 || total !== n * featureSize)
      throw new PieAuditError(
        'SHAPE_MISMATCH',
        `'${path}' has shape (${shape.join(', ')}), not ${n} examples of [${inputShape.join(', ')}].`,
        { path },
      );
    const { size } = fstatSync(fd);
    if (size < dataStart + total * type.bytes)
      throw new PieAuditError('CORRUPT_FILE', `'${path}' is truncated: its header declares ${total} values.`, { file: path });
    let buffer = new Float32Array(0);
    return {
      n,
      inputShape,
      featureSize,
      description: path,
      async read(start, rows) {
        const bytes = Buffer.alloc(rows * featureSize * type.bytes);
        readSync(fd, bytes, 0, bytes.length, dataStart + start * featureSize * type.bytes);
        if (buffer.length !== rows * featureSize) buffer = new Float32Array(rows * featureSize);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let i = 0; i < buffer.length; i++) buffer[i] = type.get(view, i * type.bytes, littleEndian) / divisor;
        return buffer;
      },
      async contentKey() {
        const hash = createHash('sha256').update(`npy\0shape=${inputShape.join(',')}\0divisor=${divisor}\0`);
        const chunk = Buffer.alloc(1 << 22);
        for (let at = 0; at < size; at += chunk.length) {
          const bytesRead = readSync(fd, chunk, 0, chunk.length, at);
          hash.update(chunk.subarray(0, bytesRead));
        }
        return hash.digest('hex');
      },
      close: async () => closeSync(fd),
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
