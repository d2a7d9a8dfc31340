import { validateLatencyOptions } from '../audit/latency-options.js';
import { machineEcho } from '../audit/machine-echo.js';
import { latencyInputs } from '../audit/latency-inputs.js';
import { measureLatency } from '../audit/measure-latency.js';
import type { AuditOptions } from '../audit/audit-options.js';
import type { InputBatches } from '../evaluate/input-batches.js';
import type { ModelSource } from '../evaluate/types.js';
import type { LevelLatency } from '../schema/index.js';
import type { EvaluateJob } from './jobs.js';

/**
 * The latency an evaluate job measures on its runner, as the in-process audit measures one model per level: the
 * level's first member, in the job of its first examples, with the audit's `latency` settings and batch size, on
 * the first batch of the test inputs. The runner's machine is named with the figures (the merge runs elsewhere).
 * `undefined` for every other job, with `latency: false`, or when timing fails (the level then says it was not measured).
 *
 * @example
 * const latency = await jobLatency(job, model, options, { inputs, n: 10000, featureSize: 784 });
 * latency?.machine; // { cpuModel: 'AMD EPYC 7B13', cores: 8 }
 */
export async function jobLatency(
  job: EvaluateJob,
  source: ModelSource,
  options: AuditOptions,
  test: { inputs: Float32Array | undefined; batches: InputBatches | undefined; n: number; inputShape: readonly number[] | undefined },
): Promise<LevelLatency | undefined> {
  if (job.index !== 0 || (job.range && job.range[0] !== 0)) return undefined;
  const { enabled, repeats, maxSeconds } = validateLatencyOptions(options.latency);
  if (!enabled) return undefined;
  const timing = await latencyInputs(test, options.batchSize);
  if (!timing) return undefined;
  try {
    const measured = await measureLatency(source, timing.values, timing.featureSize, {
      batchSize: timing.rows,
      repeats,
      deadline: performance.now() + maxSeconds * 1000,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(test.inputShape ? { inputShape: test.inputShape } : {}),
    });
    return { ...measured, machine: machineEcho() };
  } catch {
    return undefined;
  }
}
