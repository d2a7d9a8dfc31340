import { PieAuditError } from '../errors.js';

/**
 * Checks a population of per-model label arrays: at least one model, every model an array,
 * all of equal length. Returns that common length (the number of examples).
 *
 * @param population - one label array per model
 * @param name - the argument's name in messages, e.g. `compressedPopulation`
 * @throws PieAuditError `EMPTY_POPULATION` (no models), `INVALID_ARGUMENT` (a model is not an array), `LENGTH_MISMATCH` (models differ in length)
 * @example
 * assertPopulation([Uint8Array.of(1, 2), Uint8Array.of(1, 0)], 'baselinePopulation'); // 2
 */
export function assertPopulation(population: readonly ArrayLike<number>[], name: string): number {
  if (!Array.isArray(population)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${name} must be an array with one label array per model; got ${population === null ? 'null' : typeof population}.`,
      { name },
    );
  }
  if (population.length === 0) {
    throw new PieAuditError('EMPTY_POPULATION', `${name} has no models; pass at least one label array (one per model).`, { name });
  }
  let nExamples = -1;
  for (let m = 0; m < population.length; m++) {
    const labels = population[m];
    if (labels === null || labels === undefined || typeof labels !== 'object' || typeof labels.length !== 'number') {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `${name}[${m}] must be an array or typed array of labels; got ${labels === null ? 'null' : typeof labels}.`,
        { name, index: m },
      );
    }
    if (nExamples < 0) nExamples = labels.length;
    else if (labels.length !== nExamples) {
      throw new PieAuditError(
        'LENGTH_MISMATCH',
        `${name}[${m}] has ${labels.length} labels but ${name}[0] has ${nExamples}; every model must label the same examples in the same order.`,
        { name, index: m, actual: labels.length, expected: nExamples },
      );
    }
  }
  return nExamples;
}

/**
 * Throws `INSUFFICIENT_SAMPLES` when `n < min`.
 * @throws PieAuditError `INSUFFICIENT_SAMPLES`
 * @example
 * assertMinSamples(labels.length, 1, 'labels'); // throws for an empty array
 */
export function assertMinSamples(n: number, min: number, name: string, what = 'entries'): void {
  if (n < min) {
    throw new PieAuditError('INSUFFICIENT_SAMPLES', `${name} has ${n} ${what}; at least ${min} are needed.`, { name, n, min });
  }
}
