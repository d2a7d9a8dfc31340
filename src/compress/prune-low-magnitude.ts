import type * as tf from '@tensorflow/tfjs';
import { cloneLayersModel } from '../engine/clone-layers-model.js';
import { PieAuditError } from '../errors.js';
import { assertFiniteWeights } from './assert-finite-weights.js';
import { constantSparsity } from './constant-sparsity.js';
import type { BlockPooling, MaskTieBreak } from './magnitude-mask.js';
import { findPrunableWeights } from './prunable-weights.js';
import { PrunedModel } from './pruned-model.js';
import type { PruningSchedule } from './pruning-schedule.js';

/** Options for {@link pruneLowMagnitude}: give a `schedule`, or a one-shot `sparsity`. */
export interface PruneLowMagnitudeOptions {
  /** Pruning schedule (tfmot `pruning_schedule`). */
  readonly schedule?: PruningSchedule;
  /** Shorthand for `constantSparsity(sparsity, { beginStep: 0 })`: masks at this sparsity from step 0. */
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
  /** Training step pruning starts at (optimizer iterations already run); default 0. */
  readonly step?: number;
  /** Prune `model` itself instead of a copy; default false (the caller's model is left untouched). */
  readonly inPlace?: boolean;
}

/**
 * Magnitude pruning as tfmot's `prune_low_magnitude`: every prunable weight (kernels of Dense and
 * convolutional layers; biases and BatchNormalization stay dense) gets a 0/1 mask; at each step the
 * schedule marks, the smallest-magnitude weights of each tensor are masked to reach the scheduled
 * sparsity. Masks for the starting step are computed immediately when the schedule prunes there.
 *
 * Works on a copy of `model` unless `inPlace` is set. Throws `NO_PRUNABLE_LAYERS` when nothing can be
 * pruned, `INVALID_SPARSITY` for a sparsity outside [0, 1), `NON_FINITE` for NaN weights.
 *
 * @example
 * const pruned = await pruneLowMagnitude(model, { sparsity: 0.9 });
 * await fineTunePruned(pruned, { x, y }, { epochs: 2, batchSize: 128, seed: 1 });
 * const sparseModel = stripPruning(pruned);
 */
export async function pruneLowMagnitude(model: tf.LayersModel, options: PruneLowMagnitudeOptions): Promise<PrunedModel> {
  if (options.schedule && options.sparsity !== undefined) {
    throw new PieAuditError('INVALID_ARGUMENT', 'pass either options.schedule or options.sparsity, not both');
  }
  if (!options.schedule && options.sparsity === undefined) {
    throw new PieAuditError('INVALID_ARGUMENT', 'options.schedule or options.sparsity is required (e.g. { sparsity: 0.9 })');
  }
  const schedule = options.schedule ?? constantSparsity(options.sparsity as number, { beginStep: 0 });
  const blockSize = options.blockSize ?? [1, 1];
  if (blockSize.length !== 2 || !blockSize.every((b) => Number.isInteger(b) && b >= 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.blockSize must be two integers >= 1 (got ${JSON.stringify(blockSize)})`);
  }
  const blockPooling = options.blockPooling ?? 'AVG';
  if (blockPooling !== 'AVG' && blockPooling !== 'MAX') {
    throw new PieAuditError('INVALID_ARGUMENT', `options.blockPooling must be 'AVG' or 'MAX' (got ${JSON.stringify(blockPooling)})`);
  }
  const tieBreak = options.tieBreak ?? 'index';
  const step = options.step ?? 0;
  if (!Number.isSafeInteger(step) || step < 0) throw new PieAuditError('INVALID_ARGUMENT', `options.step must be an integer >= 0 (got ${step})`);
  const findOptions = { pruneDepthwise: options.pruneDepthwise ?? true, pruneLayer: options.pruneLayer };
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
  const pruned = new PrunedModel(target, findPrunableWeights(target, findOptions), { schedule, blockSize: [blockSize[0], blockSize[1]], blockPooling, tieBreak }, step);
  pruned.updateMasks(step);
  return pruned;
}
