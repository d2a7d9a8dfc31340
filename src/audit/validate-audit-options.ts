import { PieAuditError } from '../errors.js';
import { matchLevelKey } from '../schema/level-key.js';
import { assertKnownKeys } from '../schema/known-keys.js';
import { numericLevel } from '../schema/level-key.js';
import { validateGatesConfig } from '../gate/validate-gates.js';
import type { BootstrapEcho, GatesConfig, LatencyEcho, NoiseFloorEcho, PopulationDesignEcho } from '../schema/index.js';
import type { AuditOptions } from './audit-options.js';
import type { AuditCorrection } from '../schema/index.js';
import { AUDIT_CORRECTIONS, isOneOf, MODAL_TIE_BREAKS, type ModalTieBreak } from '../schema/vocabulary.js';
import { resolvePopulationDesign } from './population-design.js';
import { resolvePopulation, type ResolvedPopulation } from './resolve-population.js';
import { validateTestSet, type NormalizedTestSet } from './validate-test-set.js';
import { validateLatencyOptions } from './latency-options.js';
import { validateRunOptions } from './validate-run-options.js';
import { validateBootstrapOptions, validateNoiseFloorOptions } from './validate-statistics-options.js';

/** Audit options after validation and defaults. @internal */
export interface NormalizedAudit extends NormalizedTestSet {
  population: ResolvedPopulation;
  baseline: string;
  /** Level keys, baseline first. */
  levels: string[];
  classNames: string[] | null;
  alpha: number;
  correction: AuditCorrection;
  attributeCorrection: AuditCorrection;
  tieBreak: ModalTieBreak;
  positiveClass: number | null;
  gates: GatesConfig | null;
  maxExemplars: number;
  seed: number;
  thumbnails: boolean;
  bootstrap: BootstrapEcho;
  noiseFloor: NoiseFloorEcho;
  design: PopulationDesignEcho;
  probabilities: boolean;
  /** Intersections to test, or `null` when the option is off. */
  intersections: { maxOrder: number; minSupport: number } | null;
  /** Whether and how models are timed. */
  latency: LatencyEcho;
}

/** Every key {@link AuditOptions} knows. */
const AUDIT_OPTION_KEYS = [
  'population',
  'testSet',
  'classNames',
  'baseline',
  'alpha',
  'correction',
  'attributeCorrection',
  'tieBreak',
  'positiveClass',
  'gates',
  'backend',
  'runtime',
  'cache',
  'batchSize',
  'onProgress',
  'seed',
  'maxExemplars',
  'thumbnails',
  'bootstrap',
  'noiseFloor',
  'probabilities',
  'intersections',
  'latency',
];

const configError = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

function resolveBaseline(option: AuditOptions['baseline'], levels: readonly string[]): string {
  if (option === undefined) {
    // Guessing the first level would follow JavaScript key order ({ 32, 16, 8 } starts at '8'): ask instead.
    const zero = levels.find((l) => numericLevel(l) === 0);
    if (zero === undefined) {
      const listed = levels.map((l) => `'${l}'`).join(', ');
      throw configError(
        'baseline',
        `is required: the population has no level 0 (levels ${listed}); name the uncompressed level, e.g. baseline: '${levels[0]}'.`,
      );
    }
    return zero;
  }
  const match = matchLevelKey(option, levels);
  if (match === null)
    throw configError(
      'baseline',
      `level '${String(option)}' is not in population; its levels are ${levels.map((l) => `'${l}'`).join(', ')}.`,
    );
  return match;
}

/** alpha, correction, tie rule, exemplar count, seed. */
function validateScalars(
  options: AuditOptions,
): Pick<NormalizedAudit, 'alpha' | 'correction' | 'attributeCorrection' | 'tieBreak' | 'maxExemplars' | 'seed'> {
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1))
    throw configError('alpha', `must be a number strictly between 0 and 1; got ${String(alpha)}.`);
  const correction = options.correction ?? 'holm';
  if (!isOneOf(AUDIT_CORRECTIONS, correction))
    throw configError('correction', `must be 'none', 'holm' or 'bh'; got '${String(correction)}'.`);
  const attributeCorrection = options.attributeCorrection ?? 'bh';
  if (!isOneOf(AUDIT_CORRECTIONS, attributeCorrection))
    throw configError('attributeCorrection', `must be 'none', 'holm' or 'bh'; got '${String(attributeCorrection)}'.`);
  const tieBreak = options.tieBreak ?? 'max';
  if (!isOneOf(MODAL_TIE_BREAKS, tieBreak)) throw configError('tieBreak', `must be 'max' or 'min'; got '${String(tieBreak)}'.`);
  const maxExemplars = options.maxExemplars ?? 16;
  if (!Number.isInteger(maxExemplars) || maxExemplars < 0)
    throw configError('maxExemplars', `must be a non-negative integer; got ${String(maxExemplars)}.`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw configError('seed', `must be an integer; got ${String(seed)}.`);
  return { alpha, correction, attributeCorrection, tieBreak, maxExemplars, seed };
}

/**
 * `intersections`: off, `true` (pairs, 30 examples), or `{ maxOrder, minSupport }`.
 * @internal
 * @throws PieAuditError `CONFIG_ERROR` naming `intersections`, `intersections.maxOrder` or `intersections.minSupport`
 */
export function validateIntersections(option: AuditOptions['intersections']): NormalizedAudit['intersections'] {
  if (option === undefined || option === false) return null;
  if (option === true) return { maxOrder: 2, minSupport: 30 };
  if (option === null || typeof option !== 'object' || Array.isArray(option))
    throw configError('intersections', `must be true, false or { "maxOrder": 2, "minSupport": 30 }; got ${JSON.stringify(option)}.`);
  assertKnownKeys(option as Record<string, unknown>, ['maxOrder', 'minSupport'], 'intersections');
  const { maxOrder = 2, minSupport = 30 } = option;
  if (maxOrder !== 2 && maxOrder !== 3)
    throw configError('intersections.maxOrder', `must be 2 (pairs) or 3 (triples); got ${JSON.stringify(maxOrder)}.`);
  if (!Number.isInteger(minSupport) || minSupport < 1)
    throw configError(
      'intersections.minSupport',
      `must be a positive integer (examples per intersection); got ${JSON.stringify(minSupport)}.`,
    );
  return { maxOrder, minSupport };
}

function validateClassNames(option: AuditOptions['classNames'], labels: ArrayLike<number> | null): string[] | null {
  if (option === undefined) return null;
  // Array.from visits holes too: a sparse array ([, 'b']) is refused here, not after the report is written.
  if (!Array.isArray(option) || option.length < 2 || Array.from(option).some((c) => typeof c !== 'string'))
    throw configError('classNames', 'must be an array of at least 2 strings, with no holes.');
  const classNames = [...option];
  if (!labels) return classNames;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classNames.length)
      throw new PieAuditError(
        'LABEL_OUT_OF_RANGE',
        `testSet.labels[${i}] is ${labels[i]} but classNames names only ${classNames.length} classes.`,
        { key: 'testSet.labels', index: i },
      );
  }
  return classNames;
}

function validatePositiveClass(option: AuditOptions['positiveClass'], classNames: string[] | null): number | null {
  if (option === undefined) return null;
  if (!Number.isInteger(option) || option < 0) throw configError('positiveClass', `must be a class index; got ${String(option)}.`);
  if (classNames && option >= classNames.length)
    throw configError('positiveClass', `is ${option} but there are only ${classNames.length} classes.`);
  return option;
}

function validateGates(
  option: AuditOptions['gates'],
  levels: string[],
  baseline: string,
  testSet: NormalizedTestSet,
  classNames: string[] | null,
  bootstrap: BootstrapEcho,
): GatesConfig | null {
  if (option === undefined || option === null) return null;
  const gates = validateGatesConfig(option, {
    levels,
    baseline,
    attributeNames: testSet.attributes.map((a) => a.name),
    classNames: classNames ?? undefined,
  });
  if (gates.decision === 'confident' && bootstrap.resamples === 0) {
    throw configError(
      'gates.decision',
      "'confident' compares bootstrap intervals, which bootstrap.resamples: 0 turns off; set resamples > 0 or use 'point'.",
    );
  }
  return gates;
}

/**
 * Checks every audit option before any model runs, so a typo fails in milliseconds with a
 * `CONFIG_ERROR` naming the key (with a "did you mean"), not after minutes of evaluation.
 * @internal
 * @throws PieAuditError `CONFIG_ERROR`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `EMPTY_POPULATION` naming the key
 * @example
 * validateAuditOptions({ population, testSet: { labels }, alpah: 0.1 } as AuditOptions);
 * // throws: alpah: unknown option; did you mean 'alpha'? ...
 */
export function validateAuditOptions(options: AuditOptions): NormalizedAudit {
  if (typeof options !== 'object' || options === null)
    throw configError('options', 'auditCompression expects one options object { population, testSet, ... }.');
  assertKnownKeys(options, AUDIT_OPTION_KEYS, '');
  const population = resolvePopulation(options.population);
  const baseline = resolveBaseline(options.baseline, population.levels);
  const levels = [baseline, ...population.levels.filter((l) => l !== baseline)];
  const scalars = validateScalars(options);
  validateRunOptions(options);
  const testSet = validateTestSet(options.testSet, population);
  const classNames = validateClassNames(options.classNames ?? testSet.layoutClassNames ?? undefined, testSet.labels);
  const positiveClass = validatePositiveClass(options.positiveClass, classNames);
  const bootstrap = validateBootstrapOptions(options.bootstrap, scalars.seed);
  const noiseFloor = validateNoiseFloorOptions(options.noiseFloor, scalars.seed);
  const gates = validateGates(options.gates, levels, baseline, testSet, classNames, bootstrap);
  const design = resolvePopulationDesign(population, baseline, noiseFloor.design);
  if (options.probabilities !== undefined && typeof options.probabilities !== 'boolean') {
    throw configError('probabilities', `must be true or false; got ${String(options.probabilities)}.`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw configError('onProgress', `must be a function; got ${typeof options.onProgress}.`);
  }
  return {
    ...testSet,
    ...scalars,
    population,
    baseline,
    levels,
    classNames,
    positiveClass,
    gates,
    bootstrap,
    noiseFloor,
    design,
    thumbnails: options.thumbnails ?? true,
    probabilities: options.probabilities ?? false,
    intersections: validateIntersections(options.intersections),
    latency: validateLatencyOptions(options.latency),
  };
}
