import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { mulberry32 } from '../random/mulberry32.js';
import { seededPermutation } from '../random/seeded-permutation.js';
import { blockMagnitudeMask, type BlockPooling, type MaskTieBreak } from './magnitude-mask.js';
import type { PrunableWeight } from './prunable-weights.js';
import type { PruningSchedule } from './pruning-schedule.js';
import { randomMask } from './random-mask.js';

/** Pruning state of one weight tensor. */
export interface PrunedWeightState {
  readonly layerName: string;
  readonly layerClass: string;
  /** Weight name as in model.json, e.g. `dense_Dense1/kernel`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** Sparsity the mask was last computed for (0 before the first mask update). */
  readonly targetSparsity: number;
  /** Fraction of mask entries that are 0. */
  readonly maskSparsity: number;
  /** |w| of the smallest kept weight (block score for block pruning) at the last mask update. */
  readonly threshold: number;
}

/**
 * Which weights a mask update removes: the smallest magnitudes (tfmot), or a seeded random choice of
 * the same count per tensor (the random-pruning control of Hooker et al.'s code, `random_cumulative`).
 */
export type MaskSelection = 'magnitude' | 'random';

/** Settings a {@link PrunedModel} was created with. */
export interface PrunedModelSettings {
  readonly schedule: PruningSchedule;
  readonly blockSize: readonly [number, number];
  readonly blockPooling: BlockPooling;
  readonly tieBreak: MaskTieBreak;
  readonly maskSelection: MaskSelection;
  /** Seed of the random ranking (used when `maskSelection` is 'random'). */
  readonly randomSeed: number;
}

/** Options for {@link PrunedModel.updateMasks}. */
export interface UpdateMasksOptions {
  /** Schedule to consult instead of the model's own. */
  readonly schedule?: PruningSchedule;
  /**
   * Weight values to rank instead of the live (masked) ones, keyed by weight name. Fine-tuning passes
   * the values right after the optimizer step, before re-masking, which is what tfmot's masks see.
   */
  readonly values?: ReadonlyMap<string, Float32Array>;
}

interface Target {
  readonly weight: PrunableWeight;
  mask: Uint8Array;
  maskTensor: tf.Tensor | undefined;
  targetSparsity: number;
  threshold: number;
  /** Fixed random ranking of the entries (random mask selection only). */
  readonly rank: Uint32Array | undefined;
}

/**
 * A LayersModel under magnitude pruning: the model itself (its layers are not wrapped), one 0/1 mask
 * per prunable weight, and the training step that drives the {@link PruningSchedule}, mirroring
 * tfmot's `PruneLowMagnitude` wrappers plus `UpdatePruningStep`. Create it with `pruneLowMagnitude`.
 *
 * @example
 * const pruned = await pruneLowMagnitude(model, { sparsity: 0.9 });
 * pruned.masks.get('dense_Dense1/kernel'); // Uint8Array of 0/1
 * pruned.applyMasks();
 */
export class PrunedModel {
  /** The model being pruned; its pruned weights are exact zeros after every `applyMasks()`. */
  readonly model: tf.LayersModel;
  readonly settings: PrunedModelSettings;
  /**
   * tfmot's `pruning_step`: -1 until training begins (`UpdatePruningStep.on_train_begin` sets it to 0),
   * then the number of training batches run under pruning. Each batch first adds one, then updates the
   * masks if the schedule marks the new step, so the j-th batch (1-based) prunes at step j and nothing is
   * masked before the first training batch.
   */
  step: number;
  /**
   * The pruned weights as the last optimizer step left them, before re-masking, kept by
   * `fineTunePruned` when the next step recomputes masks; the next `updateMasks` ranks these (as tfmot
   * does) and clears them.
   */
  unmaskedValues: ReadonlyMap<string, Float32Array> | undefined;
  private readonly targets: Target[];
  private disposed = false;

  /** @internal use `pruneLowMagnitude` */
  constructor(model: tf.LayersModel, weights: readonly PrunableWeight[], settings: PrunedModelSettings, step: number) {
    this.model = model;
    this.settings = settings;
    this.step = step;
    this.unmaskedValues = undefined;
    const random = settings.maskSelection === 'random' ? mulberry32(settings.randomSeed) : undefined;
    this.targets = weights.map((weight) => {
      const size = weight.shape.reduce((a, b) => a * b, 1);
      const rank = random && rankOf(seededPermutation(size, random));
      return { weight, mask: new Uint8Array(size).fill(1), maskTensor: undefined, targetSparsity: 0, threshold: 0, rank };
    });
  }

  /** tfmot's `UpdatePruningStep.on_train_begin`: a fresh model (step -1) starts at step 0; a resumed one keeps its step. */
  beginTraining(): void {
    if (this.step < 0) this.step = 0;
  }

  /** The current mask of every pruned weight (1 keeps, 0 prunes), keyed by weight name. */
  get masks(): ReadonlyMap<string, Uint8Array> {
    return new Map(this.targets.map((t) => [t.weight.name, t.mask]));
  }

  /** Per-weight pruning state (target and achieved mask sparsity, threshold). */
  get weights(): readonly PrunedWeightState[] {
    return this.targets.map((t) => {
      let zeros = 0;
      for (let i = 0; i < t.mask.length; i++) if (t.mask[i] === 0) zeros++;
      return {
        layerName: t.weight.layerName,
        layerClass: t.weight.layerClass,
        name: t.weight.name,
        shape: t.weight.shape,
        targetSparsity: t.targetSparsity,
        maskSparsity: t.mask.length === 0 ? 0 : zeros / t.mask.length,
        threshold: t.threshold,
      };
    });
  }

  /** The live values of every pruned weight, copied, keyed by weight name. */
  readWeights(): Map<string, Float32Array> {
    this.assertLive();
    return new Map(this.targets.map((t) => [t.weight.name, (t.weight.variable.read().dataSync() as Float32Array).slice()]));
  }

  /** Sets every pruned weight to `weight * mask`, so pruned entries are exact zeros. */
  applyMasks(): void {
    this.assertLive();
    tf.tidy(() => {
      for (const t of this.targets) {
        if (!t.maskTensor) t.maskTensor = tf.keep(tf.tensor(Float32Array.from(t.mask), [...t.weight.shape], 'float32'));
        // + 0 turns the -0 of masked negative weights into +0, so pruned entries are plain zeros in the file too
        t.weight.variable.write(tf.add(tf.mul(t.weight.variable.read(), t.maskTensor), 0));
      }
    });
  }

  /**
   * Recomputes the masks if the schedule says so at `step` (tfmot's `conditional_mask_update`), then
   * applies them. Returns whether masks were recomputed.
   */
  updateMasks(step: number = this.step, options: UpdateMasksOptions = {}): boolean {
    this.assertLive();
    const schedule = options.schedule ?? this.settings.schedule;
    const decision = schedule(step);
    if (!decision.shouldPrune) return false;
    const given = options.values ?? this.unmaskedValues;
    this.unmaskedValues = undefined;
    const [bh, bw] = this.settings.blockSize;
    for (const t of this.targets) {
      const values = given?.get(t.weight.name) ?? (t.weight.variable.read().dataSync() as Float32Array);
      const shape = t.weight.shape;
      const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
      const rows = cols === 0 ? 0 : values.length / cols;
      let result: { mask: Uint8Array; threshold: number };
      try {
        result = t.rank
          ? { mask: randomMask(t.rank, decision.sparsity), threshold: Number.NaN }
          : bh === 1 && bw === 1
            ? blockMagnitudeMask(values, values.length, 1, [1, 1], this.settings.blockPooling, decision.sparsity, {
                tieBreak: this.settings.tieBreak,
              })
            : blockMagnitudeMask(values, rows, cols, [bh, bw], this.settings.blockPooling, decision.sparsity, {
                tieBreak: this.settings.tieBreak,
              });
      } catch (e) {
        if (e instanceof PieAuditError && e.code === 'NON_FINITE') {
          throw new PieAuditError('NON_FINITE', `layer "${t.weight.layerName}" weight "${t.weight.name}": ${e.message}`, {
            layer: t.weight.layerName,
            weight: t.weight.name,
            ...e.details,
          });
        }
        throw e;
      }
      t.mask = result.mask;
      t.threshold = t.rank ? smallestKept(values, result.mask) : result.threshold;
      t.targetSparsity = decision.sparsity;
      t.maskTensor?.dispose();
      t.maskTensor = undefined;
    }
    this.applyMasks();
    return true;
  }

  /** Releases the mask tensors (and the model, when `disposeModel` is true). */
  dispose(disposeModel = false): void {
    if (this.disposed) return;
    for (const t of this.targets) {
      t.maskTensor?.dispose();
      t.maskTensor = undefined;
    }
    this.disposed = true;
    if (disposeModel) this.model.dispose();
  }

  /** @internal */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private assertLive(): void {
    if (this.disposed) {
      throw new PieAuditError('INVALID_ARGUMENT', 'this PrunedModel was disposed or stripped; prune the model again to keep training it');
    }
  }
}

/** Inverse of a permutation: rank[perm[i]] = i. */
function rankOf(perm: Uint32Array): Uint32Array {
  const rank = new Uint32Array(perm.length);
  for (let i = 0; i < perm.length; i++) rank[perm[i]] = i;
  return rank;
}

/** |w| of the smallest kept entry (0 when nothing is kept). */
function smallestKept(values: Float32Array, mask: Uint8Array): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1 && Math.abs(values[i]) < min) min = Math.abs(values[i]);
  return Number.isFinite(min) ? min : 0;
}
