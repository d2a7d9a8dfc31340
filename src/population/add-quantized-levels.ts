import type * as tf from '@tensorflow/tfjs';
import { compressionStats } from '../compress/compression-stats.js';
import { quantizeModel } from '../compress/quantize-model.js';
import type { TrainingData } from '../compress/training-data.js';
import { PieAuditError } from '../errors.js';
import type { PopulationVariant, QuantizedLevelName } from './population-design.js';
import type { Population } from './population.js';

const MODES: readonly QuantizedLevelName[] = ['float16', 'int8-dynamic', 'int8-full'];

/** The first `count` examples of the training data, as int8-full's representative dataset. */
function representativeRows(data: TrainingData, count: number): { x: Float32Array; shape: number[] } {
  if (!(data.x instanceof Float32Array) || !data.shape)
    throw new PieAuditError('INVALID_ARGUMENT', 'quantized levels need the training data as a Float32Array with its shape');
  const n = Math.min(count, data.shape[0]);
  const size = data.x.length / data.shape[0];
  return { x: data.x.subarray(0, n * size), shape: [n, ...data.shape.slice(1)] };
}

/**
 * Checks quantized level names: known modes, each once.
 *
 * @throws PieAuditError INVALID_ARGUMENT for an unknown mode or a duplicate
 * @example
 * checkQuantizedModes(['int8-full', 'float16']); // passes
 */
export function checkQuantizedModes(modes: readonly QuantizedLevelName[]): void {
  const bad = modes.find((m) => !MODES.includes(m));
  if (bad !== undefined)
    throw new PieAuditError('INVALID_ARGUMENT', `quantized levels must be ${MODES.join(', ')} (got ${JSON.stringify(bad)})`);
  if (new Set(modes).size !== modes.length)
    throw new PieAuditError('INVALID_ARGUMENT', `quantized levels have duplicates: ${modes.join(', ')}`);
}

/**
 * A copy of `population` with one named level per quantization mode (`'float16'`, `'int8-dynamic'`,
 * `'int8-full'`), each a quantized copy of every model of level 0, paired with it (same names, same
 * pairing ids or init seeds) and recording each model's stored weight bytes. int8-full calibrates on the
 * first `representativeExamples` training examples.
 *
 * @example
 * const withInt8 = await addQuantizedLevels(pop, ['int8-full'], data, 200);
 * withInt8.variants['int8-full']; // { kind: 'quantized', mode: 'int8-full', storedBytes: [...] }
 * @throws PieAuditError INVALID_ARGUMENT for an unknown mode or a population without level 0; quantizeModel's errors
 */
export async function addQuantizedLevels(
  population: Population,
  modes: readonly QuantizedLevelName[],
  data: TrainingData,
  representativeExamples = 200,
): Promise<Population> {
  checkQuantizedModes(modes);
  const source = population.levels['0'];
  if (!source) throw new PieAuditError('INVALID_ARGUMENT', 'quantized levels are copies of level 0: add 0 to the levels');
  const levels = { ...population.levels };
  const variants: Record<string, PopulationVariant> = Object.assign(Object.create(null), population.variants);
  const measured = { ...population.measuredSparsity };
  const names = { ...population.modelNames };
  const representativeData = modes.includes('int8-full') ? representativeRows(data, representativeExamples) : undefined;
  const made: tf.LayersModel[] = [];
  try {
    for (const mode of modes) {
      const results = [];
      for (const model of source) {
        const q = await quantizeModel(model, { mode, ...(representativeData ? { representativeData } : {}) });
        made.push(q.model);
        results.push(q);
      }
      levels[mode] = results.map((q) => q.model);
      variants[mode] = { kind: 'quantized', mode, storedBytes: results.map((q) => q.storedBytes) };
      measured[mode] = results.map((q) => compressionStats(q.model).prunableSparsity);
      names[mode] = [...population.modelNames['0']];
    }
  } catch (e) {
    for (const m of made) m.dispose();
    throw e;
  }
  const design = population.design;
  const copyOfZero = <T>(ids: Readonly<Record<string, readonly T[]>>): Record<string, readonly T[]> => ({
    ...ids,
    ...Object.fromEntries(modes.map((m) => [m, ids['0']])),
  });
  return {
    ...population,
    levels,
    levelKeys: [...population.levelKeys, ...modes],
    variants,
    measuredSparsity: measured,
    modelNames: names,
    design:
      design.kind === 'paired'
        ? { ...design, pairIds: copyOfZero(design.pairIds) }
        : design.kind === 'independent'
          ? { ...design, initSeeds: copyOfZero(design.initSeeds) }
          : design,
  };
}
