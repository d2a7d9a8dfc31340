import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The CPU model benchmarks name in their tables (from /proc/cpuinfo, else os.cpus()). */
export function cpuModel(): string {
  try {
    const match = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // not Linux: fall back to os.cpus()
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}
