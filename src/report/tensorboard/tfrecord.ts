/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) lookup table, built once. */
const CRC32C_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32C (Castagnoli) of `bytes`, the checksum TFRecord files use.
 *
 * @example
 * crc32c(new TextEncoder().encode('123456789')); // 0xe3069283
 */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC32C_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * TFRecord's masked CRC-32C: the CRC rotated right by 15 bits plus 0xa282ead8 (mod 2^32), so that a CRC of
 * data that itself holds CRCs stays well distributed.
 *
 * @example
 * maskedCrc32c(new Uint8Array(8)); // the masked CRC of an 8-byte zero length
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/**
 * Frames records as a TFRecord file: for each, its length (uint64, little-endian), the masked CRC-32C of those
 * 8 bytes, the data, and the masked CRC-32C of the data (both CRCs uint32, little-endian).
 *
 * @example
 * const file = tfRecordFile([eventBytes]); // what TensorBoard's event file reader reads
 */
export function tfRecordFile(records: readonly Uint8Array[]): Uint8Array {
  const total = records.reduce((sum, r) => sum + 16 + r.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const record of records) {
    view.setBigUint64(at, BigInt(record.length), true);
    view.setUint32(at + 8, maskedCrc32c(out.subarray(at, at + 8)), true);
    out.set(record, at + 12);
    view.setUint32(at + 12 + record.length, maskedCrc32c(record), true);
    at += 16 + record.length;
  }
  return out;
}
