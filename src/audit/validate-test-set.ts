import { listImageTestSet } from '../data/image-test-set.js';
import type { ResolvedPreprocess } from '../data/preprocess.js';
import { PieAuditError } from '../errors.js';
import { imageBatches, type ImageBatches } from '../evaluate/image-batches.js';
import { isInputBatches, type InputBatches } from '../evaluate/input-batches.js';
import { assertKnownKeys } from '../schema/known-keys.js';
import type { AttributeValues, AuditTestSet } from './audit-options.js';
import type { ResolvedPopulation } from './resolve-population.js';

/** The test set after validation. @internal */
export interface NormalizedTestSet {
  n: number;
  inputs: Float32Array | undefined;
  /** Inputs read batch by batch (images, a large .npy), when not in memory. */
  batches: InputBatches | undefined;
  /** The image files, for thumbnails of the original photographs. */
  images: ImageBatches | undefined;
  /** The preprocessing of an image test set, as the report records it. */
  preprocess: ResolvedPreprocess | null;
  /** Class names an image layout defines (folder names), used when `classNames` is not given. */
  layoutClassNames: string[] | null;
  inputShape: number[] | undefined;
  labels: ArrayLike<number> | null;
  attributes: Array<{ name: string; values: AttributeValues }>;
}

const TEST_SET_KEYS = ['inputs', 'batches', 'inputShape', 'n', 'labels', 'attributes', 'images', 'preprocess'];

const configError = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

/** Examples a precomputed source holds, or null for a source that must run. @internal */
export function precomputedLength(source: unknown): number | null {
  if (typeof source !== 'object' || source === null) return null;
  const s = source as { predictions?: ArrayLike<number>; probabilities?: Float32Array; nClasses?: number; model?: unknown };
  if (s.model !== undefined && Object.getPrototypeOf(source) === Object.prototype) return precomputedLength(s.model);
  if (s.predictions && typeof s.predictions.length === 'number') return s.predictions.length;
  if (s.probabilities && typeof s.nClasses === 'number' && s.nClasses > 0) return s.probabilities.length / s.nClasses;
  return null;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The number of examples: given, else from labels, inputs with a shape, or the first precomputed member. */
function inferExampleCount(testSet: AuditTestSet, inputShape: number[] | undefined, population: ResolvedPopulation): number {
  let n = testSet.n;
  if (n === undefined) {
    if (testSet.labels) n = testSet.labels.length;
    else if (testSet.inputs && inputShape) n = testSet.inputs.length / product(inputShape);
    else n = population.members.map((m) => precomputedLength(m.source)).find((v): v is number => v !== null);
  }
  if (n === undefined) throw configError('testSet.n', 'cannot infer the number of examples: give labels, inputs with inputShape, or n.');
  if (!Number.isInteger(n) || n < 1) throw configError('testSet.n', `must be a positive integer; got ${n}.`);
  return n;
}

/** Inputs are a Float32Array of n examples of the given shape. */
function checkInputs(inputs: unknown, inputShape: number[] | undefined, n: number | undefined): void {
  if (inputs !== undefined && !(inputs instanceof Float32Array))
    throw configError('testSet.inputs', 'must be a Float32Array of row-major flattened examples, or batches (npyBatches).');
  if (inputShape && (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d <= 0))) {
    throw configError('testSet.inputShape', `must list positive integers, e.g. [28, 28, 1]; got [${inputShape.join(', ')}].`);
  }
  if (n === undefined || !(inputs instanceof Float32Array) || !inputShape || inputs.length === n * product(inputShape)) return;
  throw new PieAuditError(
    'LENGTH_MISMATCH',
    `testSet.inputs has ${inputs.length} values but ${n} examples of shape [${inputShape.join(', ')}] need ${n * product(inputShape)}.`,
    { key: 'testSet.inputs' },
  );
}

/** Labels are n non-negative integers. */
function checkLabels(labels: ArrayLike<number>, n: number): void {
  if (labels.length !== n)
    throw new PieAuditError('LENGTH_MISMATCH', `testSet.labels has ${labels.length} entries but the test set has ${n} examples.`, {
      key: 'testSet.labels',
    });
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0)
      throw new PieAuditError('LABEL_OUT_OF_RANGE', `testSet.labels[${i}] is ${String(v)}; labels must be class indices (integers >= 0).`, {
        key: 'testSet.labels',
        index: i,
      });
  }
}

/** Every precomputed member labels n examples. */
function checkPrecomputedLengths(population: ResolvedPopulation, n: number): void {
  for (const m of population.members) {
    const len = precomputedLength(m.source);
    if (len === null || len === n) continue;
    throw new PieAuditError(
      'LENGTH_MISMATCH',
      `population['${m.level}'][${m.index}] has predictions for ${len} examples but the test set has ${n}.`,
      { key: `population['${m.level}'][${m.index}]` },
    );
  }
}

/** Attributes map names to n values each. */
function checkAttributes(attributes: AuditTestSet['attributes'], n: number): NormalizedTestSet['attributes'] {
  if (attributes === undefined) return [];
  if (typeof attributes !== 'object' || attributes === null)
    throw configError('testSet.attributes', 'must map attribute names to one value per example.');
  const out: NormalizedTestSet['attributes'] = [];
  for (const [name, values] of Object.entries(attributes)) {
    if (!values || typeof values.length !== 'number')
      throw configError(`testSet.attributes.${name}`, 'must be an array with one value per example.');
    if (values.length !== n)
      throw new PieAuditError(
        'LENGTH_MISMATCH',
        `testSet.attributes.${name} has ${values.length} values but the test set has ${n} examples.`,
        { key: `testSet.attributes.${name}` },
      );
    out.push({ name, values });
  }
  return out;
}

/**
 * Validates `testSet` against the population: unknown keys, inputs and their shape, labels, attributes, and the
 * example count every precomputed member must match.
 * @internal
 * @throws PieAuditError `CONFIG_ERROR`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE` naming the key
 * @example
 * validateTestSet({ labels: [0, 1] }, population).n; // 2
 */
export function validateTestSet(given: AuditTestSet, population: ResolvedPopulation): NormalizedTestSet {
  if (typeof given !== 'object' || given === null)
    throw configError('testSet', 'is required: { inputs?, inputShape?, labels?, attributes? } or { images, preprocess, ... }.');
  assertKnownKeys(given, TEST_SET_KEYS, 'testSet');
  const { testSet, images, layoutClassNames } = withImages(given);
  if (testSet.batches !== undefined && !isInputBatches(testSet.batches))
    throw configError('testSet.batches', 'must be InputBatches (from npyBatches or imageBatches).');
  if (testSet.batches !== undefined && testSet.inputs !== undefined)
    throw configError('testSet.batches', 'give either testSet.batches or testSet.inputs, not both.');
  const batches = images ?? testSet.batches;
  if (batches && testSet.inputShape !== undefined && product(testSet.inputShape) !== batches.featureSize)
    throw configError(
      'testSet.inputShape',
      `[${testSet.inputShape.join(', ')}] does not hold the ${batches.featureSize} values of each input of ${batches.description}.`,
    );
  if (batches)
    return finish(
      { ...testSet, inputs: undefined, inputShape: testSet.inputShape ?? batches.inputShape, n: testSet.n ?? batches.n },
      population,
      {
        batches,
        images,
        layoutClassNames,
      },
    );
  return finish(testSet, population, { batches: undefined, images: undefined, layoutClassNames: null });
}

/**
 * An image test set's files as batches (`testSet.images` with `testSet.preprocess`), with the labels, class names
 * and attributes its layout defines where the options give none.
 */
function withImages(testSet: AuditTestSet): { testSet: AuditTestSet; images: ImageBatches | undefined; layoutClassNames: string[] | null } {
  if (testSet.images === undefined) {
    if (testSet.preprocess !== undefined) throw configError('testSet.preprocess', 'applies to image test sets: give testSet.images too.');
    return { testSet, images: undefined, layoutClassNames: null };
  }
  if (testSet.inputs !== undefined || testSet.batches !== undefined)
    throw configError('testSet.images', 'give either testSet.images or testSet.inputs/batches, not both.');
  if (testSet.preprocess === undefined)
    throw configError(
      'testSet.preprocess',
      "is required with testSet.images: 'torchvision', 'keras-inception', 'keras-mobilenet' or { size, resize, crop, scale, mean, std, layout }.",
    );
  const listed = listImageTestSet(testSet.images);
  const images = imageBatches(listed.paths, testSet.preprocess);
  const attributes =
    testSet.attributes ?? (Object.keys(listed.attributes).length > 0 ? (listed.attributes as Record<string, AttributeValues>) : undefined);
  return {
    testSet: { ...testSet, labels: testSet.labels ?? listed.labels ?? undefined, attributes },
    images,
    layoutClassNames: listed.classNames,
  };
}

function finish(
  testSet: AuditTestSet,
  population: ResolvedPopulation,
  extra: Pick<NormalizedTestSet, 'batches' | 'images' | 'layoutClassNames'>,
): NormalizedTestSet {
  const { inputs, labels } = testSet;
  if (testSet.inputShape !== undefined && !Array.isArray(testSet.inputShape)) {
    throw configError('testSet.inputShape', `must be an array of positive integers, e.g. [28, 28, 1]; got ${typeof testSet.inputShape}.`);
  }
  const inputShape = testSet.inputShape === undefined ? undefined : [...testSet.inputShape];
  checkInputs(inputs, inputShape, undefined);
  if (labels !== undefined && (labels === null || typeof labels.length !== 'number'))
    throw configError('testSet.labels', 'must be an array of class indices.');
  const n = inferExampleCount(testSet, inputShape, population);
  if (labels) checkLabels(labels, n);
  checkInputs(inputs, inputShape, n);
  checkPrecomputedLengths(population, n);
  if (extra.batches && extra.batches.n !== n)
    throw new PieAuditError('LENGTH_MISMATCH', `testSet.n is ${n} but ${extra.batches.description} holds ${extra.batches.n} examples.`, {
      key: 'testSet.n',
    });
  return {
    n,
    inputs,
    inputShape,
    labels: labels ?? null,
    attributes: checkAttributes(testSet.attributes, n),
    ...extra,
    preprocess: extra.images?.preprocess ?? null,
  };
}
