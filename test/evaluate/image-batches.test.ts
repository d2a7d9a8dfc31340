import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPieAuditError } from '../../src/errors.js';
import { imageBatches } from '../../src/evaluate/image-batches.js';

/** scikit-image's photographs (Debian's python3-skimage), or null where it is missing. */
const skimageData = (() => {
  try {
    const root = execFileSync('/usr/bin/python3', ['-c', 'import skimage, os; print(os.path.dirname(skimage.__file__))'], {
      encoding: 'utf8',
    }).trim();
    return join(root, 'data');
  } catch {
    return null;
  }
})();
const dir = mkdtempSync(join(tmpdir(), 'pie-image-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 11 real photographs (PNG and JPEG, colour and gray), some repeated, in a fixed order. */
const photos = (() => {
  if (!skimageData) return [];
  const names = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg', 'camera.png', 'hubble_deep_field.jpg'];
  return Array.from({ length: 11 }, (_, i) => {
    const name = names[(i * 5) % names.length];
    const path = join(dir, `${String(i).padStart(2, '0')}-${name}`);
    copyFileSync(join(skimageData, name), path);
    return path;
  });
})();

async function readAll(inputs: ReturnType<typeof imageBatches>, batch: number): Promise<Float32Array> {
  const out = new Float32Array(inputs.n * inputs.featureSize);
  for (let start = 0; start < inputs.n; start += batch) {
    const rows = Math.min(batch, inputs.n - start);
    out.set(await inputs.read(start, rows), start * inputs.featureSize);
  }
  return out;
}

describe.skipIf(!skimageData)('imageBatches on a decoding thread', () => {
  it('gives bit-identical inputs in test-set order to decoding on the calling thread, with and without the decode-once file', async () => {
    const onMain = imageBatches(photos, 'torchvision', { decodeThread: false, decodeOnce: false });
    const expected = await readAll(onMain, 4);
    await onMain.close();
    const threaded = imageBatches(photos, 'torchvision', { tempDir: dir });
    try {
      // First pass decodes on the thread, the second reads the decode-once file: both equal the main-thread result.
      expect(Buffer.from((await readAll(threaded, 4)).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      expect(Buffer.from((await readAll(threaded, 4)).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      // Out-of-order and single reads still give each image's own rows.
      const one = await threaded.read(7, 1);
      expect(
        Buffer.from(one.buffer, one.byteOffset, one.byteLength).equals(
          Buffer.from(expected.buffer, 7 * threaded.featureSize * 4, threaded.featureSize * 4),
        ),
      ).toBe(true);
    } finally {
      await threaded.close();
    }
    const nhwc = imageBatches(photos.slice(0, 3), 'keras-mobilenet', { decodeOnce: false });
    const reference = imageBatches(photos.slice(0, 3), 'keras-mobilenet', { decodeOnce: false, decodeThread: false });
    expect(Array.from(await readAll(nhwc, 2))).toEqual(Array.from(await readAll(reference, 2)));
    await Promise.all([nhwc.close(), reference.close()]);
  }, 60_000);

  it('surfaces a corrupt image as a typed error naming it, and closes cleanly with a batch still decoding', async () => {
    const broken = join(dir, 'broken.jpg');
    writeFileSync(broken, readFileSync(join(skimageData!, 'rocket.jpg')).subarray(0, 2000));
    const inputs = imageBatches([photos[0], photos[1], broken, photos[2]], 'torchvision', { decodeOnce: false });
    await inputs.read(0, 2); // the next batch, with the broken file, is now decoding on the thread
    await expect(inputs.read(2, 2)).rejects.toSatisfy((e) => isPieAuditError(e, 'CORRUPT_FILE') && String(e).includes('broken.jpg'));
    await inputs.read(0, 2);
    await inputs.close(); // the thread stops though the batch read ahead is pending
    const again = await inputs.read(0, 1); // a read after close() starts afresh
    expect(again.length).toBe(inputs.featureSize);
    await inputs.close();
  }, 60_000);
});
