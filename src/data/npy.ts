const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Encodes a C-order array as `.npy` (version 1.0), the format `numpy.load` and `parseNpy` read. Handy for fixtures and for exporting predictions.
 *
 * @example
 * writeFileSync('preds.npy', encodeNpy(new Int32Array([3, 1, 4]), [3])); // read back with parseNpy
 */
export function encodeNpy(data: Float32Array | Float64Array | Uint8Array | Int32Array | Uint16Array, shape: number[]): Uint8Array {
  const descr =
    data instanceof Float32Array
      ? '<f4'
      : data instanceof Float64Array
        ? '<f8'
        : data instanceof Uint8Array
          ? '|u1'
          : data instanceof Uint16Array
            ? '<u2'
            : '<i4';
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
