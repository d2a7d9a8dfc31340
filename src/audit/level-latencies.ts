import type { LevelLatency, Section } from '../schema/index.js';
import type { AuditOptions } from './audit-options.js';
import { latencyInputs, timedBatchSize } from './latency-inputs.js';
import { measureLatency } from './measure-latency.js';
import type { PreparedAudit, PreparedMember } from './prepare-audit.js';

/**
 * Every level's latency: the mean of what its members gave (`latencyMs`), else one of its models timed here by
 * {@link measureLatency} (the first that runs on the inputs), within the audit's `latency.maxSeconds` for all levels
 * together; a level that cannot be timed (latency off, predictions only, the time spent) is skipped with the reason.
 * @internal
 * @example
 * const byLevel = await levelLatencies(prepared, options);
 * byLevel.get('0.9'); // { status: 'ok', source: 'measured', batch1Ms: 0.2, batchMs: 0.004, runtime: 'onnx', ... }
 */
export async function levelLatencies(prepared: PreparedAudit, options: AuditOptions): Promise<Map<string, Section<LevelLatency>>> {
  const { config, members } = prepared;
  const { enabled, repeats, maxSeconds } = config.latency;
  const out = new Map<string, Section<LevelLatency>>();
  const deadline = performance.now() + maxSeconds * 1000;
  let inputs: Awaited<ReturnType<typeof latencyInputs>> | undefined;
  for (const key of config.levels) {
    const range = prepared.levelRanges.get(key)!;
    const level = members.slice(range.start, range.end);
    const given = givenLatency(level, timedBatchSize(options.batchSize, config.n));
    if (given) {
      out.set(key, given);
      continue;
    }
    const timed = level.find((m) => m.needsInputs);
    const skip = (reason: string) => out.set(key, { status: 'unavailable', reason });
    if (!enabled) skip('latency was not measured (latency: false)');
    else if (!timed) skip('every model of this level is given as predictions; give `latencyMs` with them to show their latency');
    else if (performance.now() >= deadline) skip(`the latency time cap (latency.maxSeconds ${maxSeconds} s) was spent before this level`);
    else {
      inputs ??= await latencyInputs(config, options.batchSize);
      if (!inputs) {
        skip('the test inputs could not be read for timing');
        continue;
      }
      try {
        const measured = await measureLatency(timed.source, inputs.values, inputs.featureSize, {
          batchSize: inputs.rows,
          repeats,
          deadline,
          ...(options.runtime ? { runtime: options.runtime } : {}),
          ...(config.inputShape ? { inputShape: config.inputShape } : {}),
        });
        out.set(key, { status: 'ok', ...measured });
      } catch (e) {
        skip(`timing failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  return out;
}

/** The mean over the members that gave `latencyMs`, `null` when none did. */
function givenLatency(level: readonly PreparedMember[], batchSize: number): Section<LevelLatency> | null {
  const given = level.map((m) => m.latencyMs).filter((l) => l !== null);
  if (!given.length) return null;
  const batched = given.map((l) => l.batch).filter((b) => b !== null);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    status: 'ok',
    source: 'given',
    batch1Ms: mean(given.map((l) => l.batch1)),
    batchMs: batched.length ? mean(batched) : null,
    batchSize: batched.length ? batchSize : null,
    runtime: null,
    threads: null,
    repeats: null,
    models: given.length,
  };
}
