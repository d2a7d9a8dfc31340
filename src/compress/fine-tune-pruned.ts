import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { assertFiniteWeights } from './assert-finite-weights.js';
import type { PrunedModel } from './pruned-model.js';
import type { PruningSchedule } from './pruning-schedule.js';
import { mulberry32 } from '../random/mulberry32.js';
import { seededPermutation } from '../random/seeded-permutation.js';
import { flattenTrainingData, type FlatTrainingData, type TrainingData } from './training-data.js';

/** What {@link fineTunePruned} reports after each batch. */
export interface BatchEndInfo {
  readonly epoch: number;
  readonly batch: number;
  /** Step the batch ran as (tfmot `pruning_step`: 1 for the first batch of a fresh model). */
  readonly step: number;
  readonly loss: number;
  /** Whether masks were recomputed before this batch. */
  readonly masksUpdated: boolean;
}

/** Options for {@link fineTunePruned}. */
export interface FineTuneOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Seed of the per-epoch shuffling; the same seed and data give the same weights. */
  readonly seed: number;
  /** Schedule to follow instead of the one the model was pruned with. */
  readonly schedule?: PruningSchedule;
  /** An optimizer instance, or a name (default 'adam'); a named one is created and disposed here. */
  readonly optimizer?: tf.Optimizer | 'adam' | 'sgd' | 'rmsprop';
  /** Learning rate for a named optimizer (default 0.001). */
  readonly learningRate?: number;
  /** Shuffle examples each epoch (default true). */
  readonly shuffle?: boolean;
  readonly onBatchEnd?: (info: BatchEndInfo) => void;
}

/** Summary of a fine-tuning run. */
export interface FineTuneResult {
  /** Number of optimizer steps run. */
  readonly steps: number;
  /** The pruning step after the run (`pruned.step`). */
  readonly finalStep: number;
  /** Mean training loss per epoch. */
  readonly epochLoss: number[];
  /** How many times masks were recomputed. */
  readonly maskUpdates: number;
}

type LossKind = 'softmax-probabilities' | 'logits' | 'sigmoid-binary';

/** Picks the cross-entropy matching the model's last activation, as Keras users compile it. */
function lossKindOf(model: tf.LayersModel, width: number): LossKind {
  const last = model.layers[model.layers.length - 1];
  const cls = last.getClassName();
  const activation = (last.getConfig() as { activation?: unknown }).activation;
  if (cls === 'Softmax' || activation === 'softmax') return 'softmax-probabilities';
  if (width === 1 && activation === 'sigmoid') return 'sigmoid-binary';
  return 'logits';
}

function makeOptimizer(options: FineTuneOptions): { optimizer: tf.Optimizer; owned: boolean } {
  const o = options.optimizer ?? 'adam';
  if (typeof o !== 'string') return { optimizer: o, owned: false };
  const lr = options.learningRate ?? 0.001;
  if (!(lr > 0) || !Number.isFinite(lr))
    throw new PieAuditError('INVALID_ARGUMENT', `options.learningRate must be a positive number (got ${lr})`);
  if (o === 'adam') return { optimizer: tf.train.adam(lr), owned: true };
  if (o === 'sgd') return { optimizer: tf.train.sgd(lr), owned: true };
  if (o === 'rmsprop') return { optimizer: tf.train.rmsprop(lr), owned: true };
  throw new PieAuditError(
    'INVALID_ARGUMENT',
    `options.optimizer must be a tf.Optimizer or 'adam', 'sgd', 'rmsprop' (got ${JSON.stringify(o)})`,
  );
}

function batchTensors(
  data: FlatTrainingData,
  order: Uint32Array | null,
  start: number,
  end: number,
  width: number,
): { x: tf.Tensor; y: tf.Tensor } {
  const b = end - start;
  const f = data.featureSize;
  let xs: Float32Array;
  if (order === null) {
    // contiguous rows: a view, no copy (avoids tensor slicing, slow on wasm)
    xs = data.x.subarray(start * f, end * f);
  } else {
    xs = new Float32Array(b * f);
    for (let i = 0; i < b; i++) {
      const row = order[start + i];
      xs.set(data.x.subarray(row * f, (row + 1) * f), i * f);
    }
  }
  const ys = new Float32Array(b * width);
  for (let i = 0; i < b; i++) {
    const row = order === null ? start + i : order[start + i];
    if (data.labels) {
      if (width === 1) ys[i] = data.labels[row];
      else ys[i * width + data.labels[row]] = 1;
    } else if (data.targets) {
      ys.set(data.targets.subarray(row * width, (row + 1) * width), i * width);
    }
  }
  return { x: tf.tensor(xs, [b, ...data.featureShape], 'float32'), y: tf.tensor2d(ys, [b, width]) };
}

function lossOf(kind: LossKind, output: tf.Tensor, target: tf.Tensor): tf.Scalar {
  if (kind === 'logits') return tf.losses.softmaxCrossEntropy(target, output) as tf.Scalar;
  const eps = 1e-7;
  const p = tf.clipByValue(output, eps, 1 - eps);
  if (kind === 'sigmoid-binary') {
    return tf.neg(tf.mean(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))))) as tf.Scalar;
  }
  return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.log(p)), -1))) as tf.Scalar;
}

/**
 * Fine-tunes a pruned model with its masks held, as Keras `fit` with tfmot's `UpdatePruningStep`:
 * training begins by setting a fresh model's pruning step from -1 to 0; each batch then adds one to
 * the step and, when the schedule marks the new step (every `frequency` steps from `beginStep` to
 * `endStep`), recomputes the masks, ranking the weights as they came out of the previous optimizer step.
 * So the j-th batch prunes at step j, and a schedule beginning at step 0 first prunes at step
 * `frequency`. After every optimizer step the masks are applied again, so pruned weights are exact
 * zeros between steps. The loss is the cross-entropy matching the model's last activation (softmax
 * probabilities, sigmoid, or logits). Batches are cut from Float32Arrays (seeded shuffle), never
 * by slicing tensors, so the same seed and data give bit-identical weights.
 *
 * @example
 * const pruned = await pruneLowMagnitude(model, { schedule: polynomialDecay(0, 0.9, { endStep: 400 }) });
 * await fineTunePruned(pruned, { x: images, shape: [n, 784], y: labels }, { epochs: 2, batchSize: 128, seed: 7 });
 * @throws PieAuditError INVALID_ARGUMENT for bad options, SHAPE_MISMATCH / LENGTH_MISMATCH / LABEL_OUT_OF_RANGE for
 *   data that does not fit the model, NON_FINITE when training diverges
 */
export async function fineTunePruned(pruned: PrunedModel, data: TrainingData, options: FineTuneOptions): Promise<FineTuneResult> {
  const { epochs, batchSize } = options;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new PieAuditError('INVALID_ARGUMENT', `options.epochs must be an integer >= 0 (got ${epochs})`);
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new PieAuditError('INVALID_ARGUMENT', `options.batchSize must be an integer > 0 (got ${batchSize})`);
  if (!Number.isFinite(options.seed)) throw new PieAuditError('INVALID_ARGUMENT', `options.seed must be a number (got ${options.seed})`);
  const model = pruned.model;
  const outShape = model.outputs[0].shape;
  const width = outShape[outShape.length - 1] ?? 1;
  const flat = flattenTrainingData(data, width);
  const inShape = model.inputs[0].shape.slice(1);
  if (inShape.length !== flat.featureShape.length || inShape.some((d, i) => d !== null && d !== flat.featureShape[i])) {
    throw new PieAuditError(
      'SHAPE_MISMATCH',
      `data.x examples have shape [${flat.featureShape.join(', ')}] but the model expects [${inShape.map((d) => d ?? 'any').join(', ')}]`,
    );
  }
  const kind = lossKindOf(model, width);
  const schedule = options.schedule ?? pruned.settings.schedule;
  const { optimizer, owned } = makeOptimizer(options);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const random = mulberry32(options.seed);
  const epochLoss: number[] = [];
  pruned.beginTraining();
  let steps = 0;
  let maskUpdates = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = options.shuffle === false ? null : seededPermutation(flat.n, random);
      let sum = 0;
      let batches = 0;
      for (let start = 0, batch = 0; start < flat.n; start += batchSize, batch++) {
        // tfmot's wrapper: add one to pruning_step, then the conditional mask update at the new step
        const step = pruned.step + 1;
        pruned.step = step;
        const masksUpdated = pruned.updateMasks(step, { schedule });
        if (masksUpdated) maskUpdates++;
        const { x, y } = batchTensors(flat, order, start, Math.min(flat.n, start + batchSize), width);
        const cost = optimizer.minimize(() => lossOf(kind, model.apply(x, { training: true }) as tf.Tensor, y), true, variables);
        x.dispose();
        y.dispose();
        const loss = cost ? (await cost.data())[0] : Number.NaN;
        cost?.dispose();
        if (!Number.isFinite(loss)) {
          throw new PieAuditError(
            'NON_FINITE',
            `training loss became ${loss} at step ${step} (epoch ${epoch}, batch ${batch}); lower options.learningRate`,
            { step },
          );
        }
        // tfmot ranks weights for the next mask update as the optimizer left them, before re-masking.
        pruned.unmaskedValues = schedule(step + 1).shouldPrune ? pruned.readWeights() : undefined;
        pruned.applyMasks();
        steps++;
        sum += loss;
        batches++;
        options.onBatchEnd?.({ epoch, batch, step, loss, masksUpdated });
      }
      epochLoss.push(batches === 0 ? Number.NaN : sum / batches);
    }
  } finally {
    if (owned) optimizer.dispose();
  }
  // A step can overflow weights to Infinity while the clipped loss stays finite: never hand those on.
  assertFiniteWeights(model);
  return { steps, finalStep: pruned.step, epochLoss, maskUpdates };
}
