import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/data/decode-image.js';
import { mnistDataDir } from '../../src/data/mnist.js';
import { parseNpy } from '../../src/data/parse-npy.js';
import { normalizePixels, preprocessedShape, resizeAndCrop, resolvePreprocess, type Preprocess } from '../../src/data/preprocess.js';
import { isPieAuditError } from '../../src/errors.js';

const python = '/usr/bin/python3';
const skimageData = (() => {
  try {
    return join(
      execFileSync(python, ['-c', 'import skimage, os; print(os.path.dirname(skimage.__file__))'], { encoding: 'utf8' }).trim(),
      'data',
    );
  } catch {
    return null;
  }
})();
const fashion = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';
const dir = mkdtempSync(join(tmpdir(), 'pie-preprocess-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the PIL reference once: writes the test images and one float32 array per preset. */
const reference = (() => {
  if (!skimageData) return null;
  const script = fileURLToPath(new URL('./pil_preprocess_reference.py', import.meta.url));
  const files = JSON.parse(
    execFileSync(python, [script, skimageData, fashion, join(mnistDataDir(), 't10k-images-idx3-ubyte'), dir], { encoding: 'utf8' }),
  ) as string[];
  return { files, npy: (preset: string) => parseNpy(readFileSync(join(dir, `${preset}.npy`)), preset) };
})();

async function preprocessAll(files: string[], preprocess: Preprocess): Promise<{ values: Float32Array; size: number }> {
  const p = resolvePreprocess(preprocess);
  const shape = preprocessedShape(p)!;
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(files.length * size);
  for (const [i, f] of files.entries()) normalizePixels(resizeAndCrop(await decodeImage(join(dir, f), p.channels), p), p, values, i * size);
  return { values, size };
}

/** Largest and mean absolute difference, in units of the output's pixel range (255 * scale / std). */
function differences(ours: Float32Array, theirs: Float32Array, range: number): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i] - theirs[i]) / range;
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / ours.length };
}

const cases: Array<{ name: string; preprocess: Preprocess; range: number }> = [
  { name: 'torchvision', preprocess: 'torchvision', range: 1 / 0.225 },
  { name: 'keras-inception', preprocess: 'keras-inception', range: 2 },
  { name: 'gray-32', preprocess: { size: 32, resize: 'exact', layout: 'nhwc', channels: 1 }, range: 1 },
];

describe.skipIf(!reference)('image preprocessing against PIL and torchvision-style transforms', () => {
  for (const c of cases) {
    it(`${c.name}: photographs (JPEG, PNG, gray, palette, RGBA, 16-bit), Fashion-MNIST and MNIST agree with PIL`, async () => {
      const files = reference!.files;
      const theirs = reference!.npy(c.name);
      const { values } = await preprocessAll(files, c.preprocess);
      expect(values.length).toBe(theirs.data.length);
      const d = differences(values, Float32Array.from(theirs.data as ArrayLike<number>), c.range);
      // The documented tolerance is a mean of 0.01 of the pixel range; the implementation is exact up to float32 rounding.
      expect(d.mean).toBeLessThanOrEqual(0.01);
      expect(d.max).toBeLessThan(1e-6);
    }, 60_000);
  }
});

describe('decodeImage', () => {
  it('names the file of a corrupt, truncated or unsupported image in a typed error', async () => {
    const bad = join(dir, 'not-an-image.jpg');
    writeFileSync(bad, 'hello');
    await expect(decodeImage(bad)).rejects.toSatisfy((e) => isPieAuditError(e, 'CORRUPT_FILE') && String(e).includes(bad));
    if (reference) {
      const whole = readFileSync(join(dir, 'astronaut.jpg'));
      const cut = join(dir, 'cut.jpg');
      writeFileSync(cut, whole.subarray(0, whole.length >> 1));
      await expect(decodeImage(cut)).rejects.toSatisfy((e) => isPieAuditError(e, 'CORRUPT_FILE') && String(e).includes(cut));
    }
    await expect(decodeImage(join(dir, 'missing.png'))).rejects.toSatisfy((e) => isPieAuditError(e, 'IO_ERROR'));
  });
});

describe('resolvePreprocess', () => {
  it('fills the presets and rejects malformed explicit forms naming the key', () => {
    expect(resolvePreprocess('torchvision')).toMatchObject({ crop: [224, 224], layout: 'nchw', channels: 3 });
    expect(preprocessedShape(resolvePreprocess('keras-mobilenet'))).toEqual([224, 224, 3]);
    expect(() => resolvePreprocess('imagenet' as Preprocess)).toThrow(/testSet.preprocess: unknown preset/);
    expect(() => resolvePreprocess({ size: 0, resize: 'exact', layout: 'nhwc' })).toThrow(/testSet.preprocess.size/);
    expect(() => resolvePreprocess({ size: 8, resize: 'exact', layout: 'nhwc', std: [1, 0, 1] })).toThrow(/std/);
    expect(() => resolvePreprocess({ size: 8, resize: 'exact', layout: 'nhwc', mean: [1, 2] })).toThrow(/mean/);
    expect(() => resolvePreprocess({ size: 8, resize: 'exact', layout: 'nhwc', colour: 1 } as never)).toThrow(/colour/);
  });
});
