import { createHash } from 'node:crypto';
import { endianness } from 'node:os';

/** Magic bytes opening every cache entry. */
const MAGIC = Buffer.from('PIEPRED\0', 'latin1');
/** Bumped whenever the layout changes; older entries are then ignored (and rewritten). */
export const CACHE_FORMAT_VERSION = 1;
const CHECKSUM_BYTES = 32;

/** What a cache entry records about how its predictions were made. */
export interface CacheEntryHeader {
  modelKey: string;
  testSetKey: string;
  n: number;
  nClasses: number;
  hasProbabilities: boolean;
  runtime: 'tfjs' | 'onnx' | 'tflite' | 'function' | 'precomputed';
  fallbackReason?: string;
  source: string;
  createdAt: string;
  /** The pie-audit version that wrote the entry (set by `writeCacheEntry`); other versions' entries are not read. */
  packageVersion?: string;
}

/** A decoded cache entry. */
export interface CacheEntry {
  header: CacheEntryHeader;
  predictions: Uint16Array;
  probabilities?: Float32Array;
}

const pad4 = (x: number) => (x + 3) & ~3;

/**
 * Serializes predictions (+ probabilities) into the cache entry format:
 * `"PIEPRED\0"`, uint32 version, uint32 header length, header JSON, zero padding to 4 bytes,
 * uint16 predictions (n), padding, float32 probabilities (n * nClasses, when present), then the
 * sha256 of everything before it. Numbers are little-endian.
 *
 * @example
 * const bytes = encodeCacheEntry({ header, predictions });
 */
export function encodeCacheEntry(entry: CacheEntry): Buffer {
  const header = Buffer.from(JSON.stringify(entry.header), 'utf8');
  const predictionsStart = pad4(16 + header.length);
  const probabilitiesStart = pad4(predictionsStart + entry.predictions.byteLength);
  const bodyLength = probabilitiesStart + (entry.probabilities?.byteLength ?? 0);
  const out = Buffer.alloc(bodyLength + CHECKSUM_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(CACHE_FORMAT_VERSION, 8);
  out.writeUInt32LE(header.length, 12);
  header.copy(out, 16);
  out.set(new Uint8Array(entry.predictions.buffer, entry.predictions.byteOffset, entry.predictions.byteLength), predictionsStart);
  if (entry.probabilities) {
    out.set(new Uint8Array(entry.probabilities.buffer, entry.probabilities.byteOffset, entry.probabilities.byteLength), probabilitiesStart);
  }
  createHash('sha256').update(out.subarray(0, bodyLength)).digest().copy(out, bodyLength);
  return out;
}

/**
 * Decodes a cache entry, or returns `undefined` when the bytes are truncated, fail the checksum, have
 * another format version, or are inconsistent (a corrupt entry is treated as absent, never trusted).
 *
 * @example
 * const entry = decodeCacheEntry(await readFile(path));
 */
export function decodeCacheEntry(bytes: Uint8Array): CacheEntry | undefined {
  if (endianness() !== 'LE') return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 16 + CHECKSUM_BYTES || !buf.subarray(0, 8).equals(MAGIC)) return undefined;
  const bodyLength = buf.length - CHECKSUM_BYTES;
  const checksum = createHash('sha256').update(buf.subarray(0, bodyLength)).digest();
  if (!checksum.equals(buf.subarray(bodyLength))) return undefined;
  if (buf.readUInt32LE(8) !== CACHE_FORMAT_VERSION) return undefined;
  const headerLength = buf.readUInt32LE(12);
  if (16 + headerLength > bodyLength) return undefined;
  let header: CacheEntryHeader;
  try {
    header = JSON.parse(buf.subarray(16, 16 + headerLength).toString('utf8')) as CacheEntryHeader;
  } catch {
    return undefined;
  }
  const { n, nClasses, hasProbabilities } = header;
  if (!Number.isInteger(n) || !Number.isInteger(nClasses) || n < 0 || nClasses < 1) return undefined;
  const predictionsStart = pad4(16 + headerLength);
  const probabilitiesStart = pad4(predictionsStart + 2 * n);
  const expected = probabilitiesStart + (hasProbabilities ? 4 * n * nClasses : 0);
  if (expected !== bodyLength) return undefined;
  // Copy out of the file buffer so the (aligned) typed arrays own their memory.
  const predictions = new Uint16Array(n);
  new Uint8Array(predictions.buffer).set(buf.subarray(predictionsStart, predictionsStart + 2 * n));
  let probabilities: Float32Array | undefined;
  if (hasProbabilities) {
    probabilities = new Float32Array(n * nClasses);
    new Uint8Array(probabilities.buffer).set(buf.subarray(probabilitiesStart, probabilitiesStart + 4 * n * nClasses));
  }
  return probabilities ? { header, predictions, probabilities } : { header, predictions };
}
