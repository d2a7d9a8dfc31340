import { readFile, stat } from 'node:fs/promises';
import { PieAuditError } from '../errors.js';

/**
 * Reads a one-file model (`.onnx`, `.tflite`, Keras `.h5` / `.keras`) whole, after checking it is a regular file: a FIFO or a link to a
 * device named `model.onnx` would otherwise block or never end.
 *
 * @throws {PieAuditError} `CORRUPT_MODEL` naming the file when it is missing, special or unreadable.
 * @example
 * const bytes = await readModelBytes('runs/7/model.onnx');
 */
export async function readModelBytes(path: string): Promise<Uint8Array> {
  try {
    if (!(await stat(path)).isFile())
      throw new PieAuditError('CORRUPT_MODEL', `model file ${path} is not a regular file (a pipe, device or folder).`, { file: path });
    return await readFile(path);
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new PieAuditError('CORRUPT_MODEL', `model file ${path} could not be read (${code}).`, { file: path }, { cause: e });
  }
}
