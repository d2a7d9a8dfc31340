import { crc32, inflateRawSync } from 'node:zlib';
import { PieAuditError } from '../../errors.js';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** End-of-central-directory record (22 bytes) plus the longest zip comment. */
const EOCD_SEARCH = 22 + 0xffff;

/** One member of a zip archive, located through the central directory. */
interface CentralEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * The named members of a zip archive held in memory, inflated and CRC-checked. Reads the central directory
 * (stored and deflated members; no zip64, no encryption); a member whose declared or actual inflated size
 * exceeds `maxEntryBytes` throws `CORRUPT_MODEL` before more than that is inflated (a zip bomb stops there).
 * Members not asked for are never inflated; a missing one is absent from the result.
 *
 * @throws PieAuditError `CORRUPT_MODEL` naming `file`
 * @example
 * const entries = readZipEntries(bytes, 'model.keras', ['config.json'], 16 << 20);
 * JSON.parse(new TextDecoder().decode(entries.get('config.json')));
 */
export function readZipEntries(bytes: Uint8Array, file: string, names: readonly string[], maxEntryBytes: number): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (why: string) =>
    new PieAuditError('CORRUPT_MODEL', `${file} is not a readable .keras zip archive: ${why}; re-save the model with model.save().`, {
      file,
    });
  const entries = centralDirectory(view, corrupt);
  const out = new Map<string, Uint8Array>();
  for (const entry of entries) {
    if (!names.includes(entry.name) || out.has(entry.name)) continue;
    if (entry.size > maxEntryBytes) {
      throw corrupt(`member ${entry.name} inflates to ${entry.size} bytes, more than the ${maxEntryBytes} allowed`);
    }
    const start = dataStart(view, entry, corrupt);
    if (start + entry.compressedSize > bytes.byteLength) throw corrupt(`member ${entry.name} runs past the end of the file`);
    const raw = bytes.subarray(start, start + entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === 0) data = raw;
    else if (entry.method === 8) {
      try {
        // The cap, not the declared size, bounds the work: a header may lie about its size.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(entry.size, maxEntryBytes)) });
      } catch (e) {
        const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        throw corrupt(tooLarge ? `member ${entry.name} inflates past its declared size` : `member ${entry.name} does not inflate`);
      }
    } else throw corrupt(`member ${entry.name} uses compression method ${entry.method}; only stored and deflated members are read`);
    if (data.byteLength !== entry.size || crc32(data) !== entry.crc) throw corrupt(`member ${entry.name} fails its size or CRC check`);
    out.set(entry.name, data);
  }
  return out;
}

function centralDirectory(view: DataView, corrupt: (why: string) => PieAuditError): CentralEntry[] {
  let eocd = -1;
  for (let i = view.byteLength - 22; i >= Math.max(0, view.byteLength - EOCD_SEARCH); i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end-of-central-directory record (not a zip file, or truncated)');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  let p = view.getUint32(eocd + 16, true);
  if (count === 0xffff || p === 0xffffffff) throw corrupt('zip64 archives are not read');
  if (p + dirSize > eocd) throw corrupt('the central directory lies outside the file');
  const entries: CentralEntry[] = [];
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIGNATURE) throw corrupt('a central directory entry is damaged');
    const flags = view.getUint16(p + 8, true);
    const nameLength = view.getUint16(p + 28, true);
    const skip = nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    if (p + 46 + nameLength > eocd) throw corrupt('a central directory entry is damaged');
    const name = decoder.decode(new Uint8Array(view.buffer, view.byteOffset + p + 46, nameLength));
    if (flags & 1) throw corrupt(`member ${name} is encrypted`);
    entries.push({
      name,
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    });
    p += 46 + skip;
  }
  return entries;
}

function dataStart(view: DataView, entry: CentralEntry, corrupt: (why: string) => PieAuditError): number {
  const at = entry.localOffset;
  if (at + 30 > view.byteLength || view.getUint32(at, true) !== LOCAL_SIGNATURE) throw corrupt(`member ${entry.name} has no local header`);
  return at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
}
