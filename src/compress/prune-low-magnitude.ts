import type * as tf from '@tensorflow/tfjs';
import { cloneLayersModel } from '../engine/clone-layers-model.js';
import { PieAuditError } from '../errors.js';
import { assertFiniteWeights } from './assert-finite-weights.js';
import { assertPrunableLayers } from './assert-prunable-layers.js';
import { constantSparsity } from './constant-sparsity.js';
import type { BlockPooling, MaskTieBreak } from './magnitude-mask.js';
import { findPrunableWeights } from './prunable-weights.js';
import { PrunedModel, type MaskSelection } from './pruned-model.js';
import type { PruningSchedule } from './pruning-schedule.js';

/** Options for {@link pruneLowMagnitude}: give a `schedule`, or a constant `sparsity`. */
export interface PruneLowMagnitudeOptions {
  /** Pruning schedule (tfmot `pruning_schedule`). */
  readonly schedule?: PruningSchedule;
  /**
   * Shorthand for `constantSparsity(sparsity, { beginStep: 1, frequency: 100 })`: masks at this sparsity
   * from the first training batch on, refreshed every 100 steps. To prune without training, use `pruneOneShot`.
   */
  readonly sparsity?: number;
  /** Block shape `[rows, cols]` over the 2-D view `[prod(shape[:-1]), shape[-1]]` of each kernel (default [1, 1]). */
  readonly blockSize?: readonly [number, number];
  /** How |w| is pooled within a block (default 'AVG'). */
  readonly blockPooling?: BlockPooling;
  /** Ties at the threshold: 'index' keeps exactly k (default), 'keep' keeps all ties (tfmot's `>=`). */
  readonly tieBreak?: MaskTieBreak;
  /** Prune depthwise kernels too (tfmot does not); default true. */
  readonly pruneDepthwise?: boolean;
  /** Which layers to prune (default all prunable ones); e.g. `(l) => l.name !== 'logits'` keeps the classifier dense. */
  readonly pruneLayer?: (layer: { name: string; className: string }) => boolean;
  /** tfmot's `pruning_step` to resume from: -1 (default) for a model never trained under pruning. */
  readonly step?: number;
  /** 'magnitude' (default, tfmot) or 'random': the random-pruning control at the same per-tensor counts. */
  readonly maskSelection?: MaskSelection;
  /** Seed of the random ranking when `maskSelection` is 'random' (default 0). */
  readonly randomSeed?: number;
  /** Prune `model` itself instead of a copy; default false (the caller's model is left untouched). */
  readonly inPlace?: boolean;
}

function settingsOf(options: PruneLowMagnitudeOptions): PrunedModel['settings'] {
  if (options.schedule && options.sparsity !== undefined) {
    throw new PieAuditError('INVALID_ARGUMENT', 'pass either options.schedule or options.sparsity, not both');
  }
  if (!options.schedule && options.sparsity === undefined) {
    throw new PieAuditError('INVALID_ARGUMENT', 'options.schedule or options.sparsity is required (e.g. { sparsity: 0.9 })');
  }
  const schedule = options.schedule ?? constantSparsity(options.sparsity as number, { beginStep: 1, frequency: 100 });
  const blockSize = options.blockSize ?? [1, 1];
  if (blockSize.length !== 2 || !blockSize.every((b) => Number.isInteger(b) && b >= 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.blockSize must be two integers >= 1 (got ${JSON.stringify(blockSize)})`);
  }
  const blockPooling = options.blockPooling ?? 'AVG';
  if (blockPooling !== 'AVG' && blockPooling !== 'MAX') {
    throw new PieAuditError('INVALID_ARGUMENT', `options.blockPooling must be 'AVG' or 'MAX' (got ${JSON.stringify(blockPooling)})`);
  }
  const maskSelection = options.maskSelection ?? 'magnitude';
  if (maskSelection !== 'magnitude' && maskSelection !== 'random') {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `options.maskSelection must be 'magnitude' or 'random' (got ${JSON.stringify(maskSelection)})`,
    );
  }
  if (maskSelection === 'random' && (blockSize[0] !== 1 || blockSize[1] !== 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', "options.maskSelection 'random' prunes single weights; leave options.blockSize at [1, 1]");
  }
  const randomSeed = options.randomSeed ?? 0;
  if (!Number.isSafeInteger(randomSeed))
    throw new PieAuditError('INVALID_ARGUMENT', `options.randomSeed must be an integer (got ${randomSeed})`);
  return {
    schedule,
    blockSize: [blockSize[0], blockSize[1]],
    blockPooling,
    tieBreak: options.tieBreak ?? 'index',
    maskSelection,
    randomSeed,
  };
}

/**
 * Magnitude pruning as tfmot's `prune_low_magnitude`: every prunable weight (kernels of Dense and
 * convolutional layers; biases and BatchNormalization stay dense) gets a 0/1 mask of ones. Nothing is
 * masked yet: as in tfmot, masks change only during training (`fineTunePruned`), at the steps the
 * schedule marks, where the smallest-magnitude weights of each tensor are masked to reach the
 * scheduled sparsity. For pruning now, without training, use `pruneOneShot`.
 *
 * Works on a copy of `model` unless `inPlace` is set.
 *
 * @example
 * const pruned = await pruneLowMagnitude(model, { schedule: polynomialDecay(0, 0.9, { endStep: 400 }) });
 * await fineTunePruned(pruned, { x, y }, { epochs: 2, batchSize: 128, seed: 1 });
 * const sparseModel = stripPruning(pruned);
 * @throws PieAuditError NO_PRUNABLE_LAYERS when nothing can be pruned, UNSUPPORTED_LAYER for a layer pie-audit
 *   cannot see into (Bidirectional, TimeDistributed, unknown layers with weights) that `pruneLayer` does not
 *   leave out, INVALID_SPARSITY, INVALID_ARGUMENT for bad options, NON_FINITE for NaN weights.
 */
export async function pruneLowMagnitude(model: tf.LayersModel, options: PruneLowMagnitudeOptions): Promise<PrunedModel> {
  const settings = settingsOf(options);
  const step = options.step ?? -1;
  if (!Number.isSafeInteger(step) || step < -1)
    throw new PieAuditError('INVALID_ARGUMENT', `options.step must be -1 or an integer >= 0 (got ${step})`);
  const findOptions = { pruneDepthwise: options.pruneDepthwise ?? true, pruneLayer: options.pruneLayer };
  assertPrunableLayers(model, options.pruneLayer);
  if (findPrunableWeights(model, findOptions).length === 0) {
    throw new PieAuditError(
      'NO_PRUNABLE_LAYERS',
      `model has no prunable weights (layers: ${model.layers.map((l) => l.getClassName()).join(', ')}); ` +
        'magnitude pruning applies to kernels of Dense, Conv, SeparableConv, DepthwiseConv, Embedding and RNN layers' +
        (options.pruneLayer ? ', and options.pruneLayer must accept at least one of them' : ''),
    );
  }
  assertFiniteWeights(model);
  const target = options.inPlace ? model : await cloneLayersModel(model);
  return new PrunedModel(target, findPrunableWeights(target, findOptions), settings, step);
}
