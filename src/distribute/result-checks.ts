import { PieAuditError } from '../errors.js';

/**
 * Checks that a result read from the artifact folder (or a queue) is the result of the evaluate job it was
 * read for: an object whose `id` is that job's id, with a whole number of examples and its labels as
 * a string, and, when it names a probabilities file, the file of that same job. A result file swapped with
 * (or linked to) another member's is refused instead of merged as if it were this member's.
 *
 * @throws {PieAuditError} `CORRUPT_FILE` naming the job and what does not match.
 * @example
 * checkEvaluateResult(JSON.parse(text), 'evaluate-0123456789abcdef01234567'); // throws unless it is that job's result
 */
export function checkEvaluateResult(value: unknown, id: string): void {
  const rerun = `remove its result and run job ${id} again`;
  const corrupt = (why: string) => new PieAuditError('CORRUPT_FILE', `result of evaluate job ${id}: ${why}; ${rerun}.`, { job: id });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt('it is not an object');
  const r = value as Record<string, unknown>;
  if (r.id !== id)
    throw corrupt(
      `it is the result of ${typeof r.id === 'string' ? `job ${JSON.stringify(r.id.slice(0, 80))}` : 'no job'} (a swapped or linked file?)`,
    );
  if (!id.startsWith('evaluate-')) throw corrupt('it is not an evaluate job');
  if (typeof r.n !== 'number' || !Number.isSafeInteger(r.n) || r.n < 0) throw corrupt(`its example count ${String(r.n)} is not a count`);
  if (typeof r.predictions !== 'string') throw corrupt('it holds no predictions string');
  const p = r.probabilities as { file?: unknown } | undefined;
  if (p !== undefined && (typeof p !== 'object' || p === null || p.file !== `${id}.probabilities.npy`))
    throw corrupt(`it names probabilities file ${JSON.stringify(p?.file)}, not '${id}.probabilities.npy'`);
  if (r.latency !== undefined && !isJobLatency(r.latency)) throw corrupt('its latency is not a measured latency with its machine');
}

const isCount = (v: unknown, min: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isTime = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
/** Names that reach the report: short text, no control characters. */
const isName = (v: unknown) =>
  typeof v === 'string' && v.length <= 200 && ![...v].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);

/** A latency as an evaluate job measures it: finite figures, and the runner's machine named. */
function isJobLatency(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const l = value as Record<string, unknown>;
  const m = l.machine as Record<string, unknown> | undefined;
  return (
    l.source === 'measured' &&
    isTime(l.batch1Ms) &&
    (l.batchMs === null || isTime(l.batchMs)) &&
    (l.batchSize === null || isCount(l.batchSize, 1)) &&
    (l.runtime === null || isName(l.runtime)) &&
    (l.threads === null || isCount(l.threads, 1)) &&
    (l.repeats === null || isCount(l.repeats, 1)) &&
    l.models === 1 &&
    typeof m === 'object' &&
    m !== null &&
    isName(m.cpuModel) &&
    isCount(m.cores, 1)
  );
}
