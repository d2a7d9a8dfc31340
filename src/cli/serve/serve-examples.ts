import { readFile } from 'node:fs/promises';
import type { AuditOptions } from '../../audit/audit-options.js';
import { listImageTestSet } from '../../data/image-test-set.js';
import type { ResolvedPreprocess } from '../../data/preprocess.js';
import { PieAuditError } from '../../errors.js';
import { imageToInput } from './image-input.js';

/** The audit's test examples, to pick one and run the models on it. */
export interface ServeExamples {
  count: number;
  /** True class per example, `null` without labels. */
  labels: ArrayLike<number> | null;
  /** The image file of example `i` when the test set is images, else `null`. */
  imagePath(i: number): string | null;
  /** Example `i` as the audit fed it to the models. */
  input(i: number): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * The test set a config names, example by example: an image set (decoded with the report's preprocessing), inputs
 * in memory (IDX, CSV) or a `.npy` file read by ranges; `null` when the config gives no inputs. Its size must be the
 * report's `n`.
 *
 * @throws PieAuditError `CONFIG_ERROR` when the test set's size differs from the report's
 * @example
 * const examples = serveExamples(options.testSet, report.testSet.preprocess, report.testSet.n);
 * const x = await examples?.input(0);
 */
export function serveExamples(testSet: AuditOptions['testSet'], preprocess: ResolvedPreprocess | null, n: number): ServeExamples | null {
  const sized = (count: number) => {
    if (count !== n)
      throw new PieAuditError(
        'CONFIG_ERROR',
        `--config: its test set has ${count} examples but the report audited ${n}; pass the config the report was made with.`,
        { key: '--config' },
      );
  };
  if (testSet.images !== undefined && preprocess) {
    const images = listImageTestSet(testSet.images);
    sized(images.paths.length);
    return {
      count: n,
      labels: images.labels,
      imagePath: (i) => images.paths[i],
      input: async (i) => (await imageToInput(await readFile(images.paths[i]), preprocess, `test example #${i}`)).input,
      close: async () => {},
    };
  }
  const labels = testSet.labels ?? null;
  const { batches, inputs } = testSet;
  if (batches) {
    sized(batches.n);
    return {
      count: n,
      labels,
      imagePath: () => null,
      input: async (i) => (await batches.read(i, 1)).slice(),
      close: () => batches.close(),
    };
  }
  if (!inputs || !testSet.inputShape) return null;
  const size = testSet.inputShape.reduce((a, b) => a * b, 1);
  sized(inputs.length / size);
  return {
    count: n,
    labels,
    imagePath: () => null,
    input: async (i) => Float32Array.from(inputs.subarray(i * size, (i + 1) * size)),
    close: async () => {},
  };
}
