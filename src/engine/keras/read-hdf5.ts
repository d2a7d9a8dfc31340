import type { File as Hdf5File } from 'h5wasm';
import { PieAuditError } from '../../errors.js';

/** The 8-byte signature an HDF5 file starts with (at offset 0 as h5py and Keras write it). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
let opened = 0;

/**
 * Opens HDF5 bytes read-only with h5wasm (the HDF5 C library compiled to WASM, so nothing native is needed),
 * runs `read` on the file and frees it. Bytes without the HDF5 signature, or that the library cannot open or
 * read (truncated, damaged), throw `CORRUPT_MODEL` naming `file`. The library prints its error stack to stderr
 * while it works; that text is held back from the terminal and its most telling line goes into the message.
 * `read` is synchronous so that the hold covers every library call.
 *
 * @throws PieAuditError `CORRUPT_MODEL`
 * @example
 * const names = await readHdf5(readFileSync('model.h5'), 'model.h5', (f) => f.keys());
 */
export async function readHdf5<T>(bytes: Uint8Array, file: string, read: (h5: Hdf5File) => T): Promise<T> {
  if (bytes.byteLength < 8 || HDF5_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new PieAuditError('CORRUPT_MODEL', `${file} is not an HDF5 file (no HDF5 signature); pass a Keras .h5 or .keras model.`, {
      file,
    });
  }
  // Loaded on first use: importing h5wasm instantiates its 4 MB WASM module at once.
  const h5wasm = (await import('h5wasm')).default;
  const { FS } = await h5wasm.ready;
  const path = `/pie-audit-${process.pid}-${++opened}.h5`;
  const diagnostics: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    diagnostics.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  let h5: Hdf5File | undefined;
  try {
    FS.writeFile(path, bytes);
    h5 = new h5wasm.File(path, 'r');
    return read(h5);
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    const reasons = diagnostics
      .join('')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('minor:'))
      .map((l) => l.slice('minor:'.length).trim());
    const reason = reasons.find((r) => /truncat|signature/i.test(r)) ?? reasons[0];
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `${file} could not be read as HDF5 (${reason ?? (e as Error).message}); the file is truncated or damaged: re-save the model.`,
      { file },
      { cause: e },
    );
  } finally {
    try {
      h5?.close();
    } catch {
      // A file the library could not fully open has nothing left to close.
    }
    FS.unlink(path);
    process.stderr.write = write;
  }
}
