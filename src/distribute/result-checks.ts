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
}
