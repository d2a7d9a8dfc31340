import { availableParallelism, cpus } from 'node:os';
import type { MachineEcho } from '../schema/index.js';

/**
 * The machine the audit runs on, as the report names it beside measured latencies: the CPU model and the cores
 * available to the process.
 * @internal
 * @example
 * machineEcho(); // { cpuModel: 'AMD EPYC 7B13', cores: 2 }
 */
export function machineEcho(): MachineEcho {
  const model = cpus()[0]?.model.trim();
  return { cpuModel: model || 'unknown', cores: availableParallelism() };
}
