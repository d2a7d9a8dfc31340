import { PieAuditError } from '../errors.js';
import { matchLevelKey } from '../schema/level-key.js';
import { numericLevel } from '../schema/level-key.js';
import { validateGatesConfig } from '../gate/validate-gates.js';
import type { GatesConfig } from '../schema/index.js';
import type { AttributeValues, AuditOptions } from './audit-options.js';
import type { AuditCorrection } from '../schema/index.js';
import type { ModalTieBreak } from '../schema/vocabulary.js';
import { resolvePopulation, type ResolvedPopulation } from './resolve-population.js';

/** Audit options after validation and defaults. @internal */
export interface NormalizedAudit {
  population: ResolvedPopulation;
  baseline: string;
  /** Level keys, baseline first. */
  levels: string[];
  n: number;
  inputs: Float32Array | undefined;
  inputShape: number[] | undefined;
  labels: ArrayLike<number> | null;
  attributes: Array<{ name: string; values: AttributeValues }>;
  classNames: string[] | null;
  alpha: number;
  correction: AuditCorrection;
  tieBreak: ModalTieBreak;
  positiveClass: number | null;
  gates: GatesConfig | null;
  maxExemplars: number;
  seed: number;
  thumbnails: boolean;
}

const configError = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

function precomputedLength(source: unknown): number | null {
  if (typeof source !== 'object' || source === null) return null;
  const s = source as { predictions?: ArrayLike<number>; probabilities?: Float32Array; nClasses?: number; model?: unknown };
  if (s.model !== undefined && Object.getPrototypeOf(source) === Object.prototype) return precomputedLength(s.model);
  if (s.predictions && typeof s.predictions.length === 'number') return s.predictions.length;
  if (s.probabilities && typeof s.nClasses === 'number' && s.nClasses > 0) return s.probabilities.length / s.nClasses;
  return null;
}

/**
 * Checks every audit option before any model runs, so a typo fails in milliseconds with a
 * `CONFIG_ERROR` naming the key, not after minutes of evaluation.
 * @internal
 */
export function validateAuditOptions(options: AuditOptions): NormalizedAudit {
  if (typeof options !== 'object' || options === null) throw configError('options', 'auditCompression expects one options object { population, testSet, ... }.');
  const population = resolvePopulation(options.population);

  let baseline: string;
  if (options.baseline === undefined) {
    // Guessing the first level would follow JavaScript key order ({ 32, 16, 8 } starts at '8'): ask instead.
    const zero = population.levels.find((l) => numericLevel(l) === 0);
    if (zero === undefined) {
      throw configError('baseline', `is required: the population has no level 0 (levels ${population.levels.map((l) => `'${l}'`).join(', ')}); name the uncompressed level, e.g. baseline: '${population.levels[0]}'.`);
    }
    baseline = zero;
  }
  else {
    const match = matchLevelKey(options.baseline, population.levels);
    if (match === null) throw configError('baseline', `level '${String(options.baseline)}' is not in population; its levels are ${population.levels.map((l) => `'${l}'`).join(', ')}.`);
    baseline = match;
  }
  const levels = [baseline, ...population.levels.filter((l) => l !== baseline)];

  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) throw configError('alpha', `must be a number strictly between 0 and 1; got ${String(alpha)}.`);
  const correction = options.correction ?? 'none';
  if (!['none', 'holm', 'bh'].includes(correction)) throw configError('correction', `must be 'none', 'holm' or 'bh'; got '${String(correction)}'.`);
  const tieBreak = options.tieBreak ?? 'max';
  if (tieBreak !== 'max' && tieBreak !== 'min') throw configError('tieBreak', `must be 'max' or 'min'; got '${String(tieBreak)}'.`);
  const maxExemplars = options.maxExemplars ?? 16;
  if (!Number.isInteger(maxExemplars) || maxExemplars < 0) throw configError('maxExemplars', `must be a non-negative integer; got ${String(maxExemplars)}.`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw configError('seed', `must be an integer; got ${String(seed)}.`);

  const testSet = options.testSet;
  if (typeof testSet !== 'object' || testSet === null) throw configError('testSet', 'is required: { inputs?, inputShape?, labels?, attributes? }.');
  const { inputs, labels } = testSet;
  if (inputs !== undefined && !(inputs instanceof Float32Array)) throw configError('testSet.inputs', 'must be a Float32Array of row-major flattened examples.');
  if (testSet.inputShape !== undefined && !Array.isArray(testSet.inputShape)) throw configError('testSet.inputShape', `must be an array of positive integers, e.g. [28, 28, 1]; got ${typeof testSet.inputShape}.`);
  const inputShape = testSet.inputShape === undefined ? undefined : [...testSet.inputShape];
  if (inputShape && (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d <= 0))) throw configError('testSet.inputShape', `must list positive integers, e.g. [28, 28, 1]; got [${inputShape.join(', ')}].`);
  if (labels !== undefined && (labels === null || typeof labels.length !== 'number')) throw configError('testSet.labels', 'must be an array of class indices.');

  let n = testSet.n;
  if (n === undefined) {
    if (labels) n = labels.length;
    else if (inputs && inputShape) n = inputs.length / inputShape.reduce((a, b) => a * b, 1);
    else n = population.members.map((m) => precomputedLength(m.source)).find((v): v is number => v !== null);
  }
  if (n === undefined) throw configError('testSet.n', 'cannot infer the number of examples: give labels, inputs with inputShape, or n.');
  if (!Number.isInteger(n) || n < 1) throw configError('testSet.n', `must be a positive integer; got ${n}.`);
  if (labels && labels.length !== n) throw new PieAuditError('LENGTH_MISMATCH', `testSet.labels has ${labels.length} entries but the test set has ${n} examples.`, { key: 'testSet.labels' });
  if (inputs && inputShape && inputs.length !== n * inputShape.reduce((a, b) => a * b, 1)) {
    throw new PieAuditError('LENGTH_MISMATCH', `testSet.inputs has ${inputs.length} values but ${n} examples of shape [${inputShape.join(', ')}] need ${n * inputShape.reduce((a, b) => a * b, 1)}.`, { key: 'testSet.inputs' });
  }
  if (labels) {
    for (let i = 0; i < n; i++) {
      const v = labels[i];
      if (!Number.isInteger(v) || v < 0) throw new PieAuditError('LABEL_OUT_OF_RANGE', `testSet.labels[${i}] is ${String(v)}; labels must be class indices (integers >= 0).`, { key: 'testSet.labels', index: i });
    }
  }
  for (const m of population.members) {
    const len = precomputedLength(m.source);
    if (len !== null && len !== n) {
      throw new PieAuditError('LENGTH_MISMATCH', `population['${m.level}'][${m.index}] has predictions for ${len} examples but the test set has ${n}.`, { key: `population['${m.level}'][${m.index}]` });
    }
  }

  const attributes: NormalizedAudit['attributes'] = [];
  if (testSet.attributes !== undefined) {
    if (typeof testSet.attributes !== 'object' || testSet.attributes === null) throw configError('testSet.attributes', 'must map attribute names to one value per example.');
    for (const [name, values] of Object.entries(testSet.attributes)) {
      if (!values || typeof values.length !== 'number') throw configError(`testSet.attributes.${name}`, 'must be an array with one value per example.');
      if (values.length !== n) throw new PieAuditError('LENGTH_MISMATCH', `testSet.attributes.${name} has ${values.length} values but the test set has ${n} examples.`, { key: `testSet.attributes.${name}` });
      attributes.push({ name, values });
    }
  }

  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw configError('onProgress', `must be a function; got ${typeof options.onProgress}.`);
  let classNames: string[] | null = null;
  if (options.classNames !== undefined) {
    if (!Array.isArray(options.classNames) || options.classNames.length < 2 || Array.from(options.classNames).some((c) => typeof c !== 'string')) {
      // Array.from visits holes too: a sparse array ([, 'b']) is refused here, not after the report is written.
      throw configError('classNames', 'must be an array of at least 2 strings, with no holes.');
    }
    classNames = [...options.classNames];
    if (labels) {
      for (let i = 0; i < n; i++) {
        if (labels[i] >= classNames.length) throw new PieAuditError('LABEL_OUT_OF_RANGE', `testSet.labels[${i}] is ${labels[i]} but classNames names only ${classNames.length} classes.`, { key: 'testSet.labels', index: i });
      }
    }
  }
  let positiveClass: number | null = null;
  if (options.positiveClass !== undefined) {
    if (!Number.isInteger(options.positiveClass) || options.positiveClass < 0) throw configError('positiveClass', `must be a class index; got ${String(options.positiveClass)}.`);
    if (classNames && options.positiveClass >= classNames.length) throw configError('positiveClass', `is ${options.positiveClass} but there are only ${classNames.length} classes.`);
    positiveClass = options.positiveClass;
  }
  const gates = options.gates === undefined || options.gates === null ? null : validateGatesConfig(options.gates, { levels, baseline, attributeNames: attributes.map((a) => a.name) });
  return {
    population,
    baseline,
    levels,
    n,
    inputs,
    inputShape,
    labels: labels ?? null,
    attributes,
    classNames,
    alpha,
    correction,
    tieBreak,
    positiveClass,
    gates,
    maxExemplars,
    seed,
    thumbnails: options.thumbnails ?? true,
  };
}
