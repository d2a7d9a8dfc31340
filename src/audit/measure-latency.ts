import { availableParallelism } from 'node:os';
import { createPredictor } from '../evaluate/create-predictor.js';
import type { Predictor } from '../evaluate/predictor.js';
import type { SourcePredictor } from '../evaluate/source-predictor.js';
import type { EvaluationRuntime, ModelSource } from '../evaluate/types.js';
import type { LevelLatency } from '../schema/index.js';

/** Untimed calls at batch 1 before the timed ones. */
const WARM_UP_CALLS = 3;

/** Options of {@link measureLatency}. */
export interface MeasureLatencyOptions {
  /** Examples per call of the batched figure (at most the examples in `inputs`). */
  batchSize: number;
  /** Timed calls per batch size after one warm-up call each. */
  repeats: number;
  /** `performance.now()` after which no further timed call starts (each batch size still gets one). */
  deadline: number;
  runtime?: EvaluationRuntime;
  inputShape?: readonly number[];
}

/**
 * Times one model as the audit runs it: the same runtime choice (ONNX Runtime or tfjs with the backend in use),
 * three warm-up calls at batch 1 and one at `batchSize`, then up to `repeats` timed calls of each, alternating; each
 * figure is the median call time divided by the examples per call. Timing stops early at `deadline`, and the batched
 * figure is left out (`batchMs: null`) when a batch call could overrun it (a large model at a large batch size).
 * @internal
 * @example
 * const latency = await measureLatency('models/0.9/model.json', inputs, 784, { batchSize: 256, repeats: 5, deadline: performance.now() + 5000 });
 * latency.batch1Ms; // e.g. 0.21 (ms per example, one example per call)
 */
export async function measureLatency(
  source: ModelSource,
  inputs: Float32Array,
  featureSize: number,
  options: MeasureLatencyOptions,
): Promise<LevelLatency> {
  const batchSize = Math.max(1, Math.min(options.batchSize, Math.floor(inputs.length / featureSize)));
  const predictor = await createPredictor(source, {
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(options.inputShape ? { inputShape: options.inputShape } : {}),
    name: 'the model timed for latency',
  });
  try {
    const one = inputs.subarray(0, featureSize);
    const many = inputs.subarray(0, batchSize * featureSize);
    // A few cheap warm-up calls: the first calls of a fresh session or backend pay for its start.
    let warm = 0;
    for (let i = 0; i < WARM_UP_CALLS; i++) warm = await timeCall(predictor, one, 1);
    // A batch call costs at most batchSize single calls; one that would overrun the time left is not made.
    const batches = performance.now() + 2 * warm * batchSize < options.deadline;
    if (batches) await predictor.predict(many, batchSize);
    const single: number[] = [];
    const batched: number[] = [];
    while (single.length < options.repeats && (single.length === 0 || performance.now() < options.deadline)) {
      single.push(await timeCall(predictor, one, 1));
      if (batches) batched.push(await timeCall(predictor, many, batchSize));
    }
    return {
      source: 'measured',
      batch1Ms: median(single),
      batchMs: batches ? median(batched) / batchSize : null,
      batchSize: batches ? batchSize : null,
      runtime: runtimeName(predictor),
      threads: threadsOf(predictor),
      repeats: single.length,
      models: 1,
    };
  } finally {
    await predictor.dispose();
  }
}

async function timeCall(predictor: Predictor, inputs: Float32Array, rows: number): Promise<number> {
  const start = performance.now();
  await predictor.predict(inputs, rows);
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `onnx`, `tfjs-<backend>` or `function`. */
function runtimeName(p: SourcePredictor): string {
  return p.runtime === 'tfjs' ? `tfjs-${p.backend ?? 'unknown'}` : p.runtime;
}

/** Threads the runtime computes with, where it is known: ONNX sessions use every core (as the audit opens them), tfjs-cpu one. */
function threadsOf(p: SourcePredictor): number | null {
  if (p.runtime === 'onnx') return availableParallelism();
  if (p.runtime === 'tfjs' && p.backend === 'cpu') return 1;
  return null;
}
