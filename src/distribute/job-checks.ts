import { PieAuditError } from '../errors.js';
import type { Job } from './jobs.js';

/** What {@link contentJobId} gives: a kind and 24 hex characters of a content hash. */
const JOB_ID = /^(train|fineTune|scratch|evaluate|merge)-[0-9a-f]{24}$/;

const refuse = (message: string, details: Record<string, unknown>) => new PieAuditError('CONFIG_ERROR', message, details);
/** A value as messages show it: JSON, cut short (a planted id may be megabytes). */
const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/**
 * Requires `id` to be a job id as {@link contentJobId} writes it (`<kind>-<24 hex>`), of `kind` when given,
 * before any path is built from it: an id such as `../../x` from a queue message or an edited plan never
 * reaches `join`.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` naming `where` and the id.
 * @example
 * assertJobId('train-0123456789abcdef01234567', 'train job'); // passes
 * assertJobId('../../x', 'train job'); // throws CONFIG_ERROR
 */
export function assertJobId(id: unknown, where: string, kind?: Job['kind']): asserts id is string {
  if (typeof id !== 'string' || !JOB_ID.test(id) || (kind !== undefined && !id.startsWith(`${kind}-`)))
    throw refuse(
      `${where}: ${shown(id)} is not a pie-audit ${kind ?? 'job'} id (<kind>-<24 hex characters>); write the plan again with 'pie-audit plan'.`,
      { id: typeof id === 'string' ? id.slice(0, 80) : null },
    );
}

const KINDS = new Set(['train', 'fineTune', 'scratch', 'evaluate', 'merge']);

/**
 * Checks the shape of one job read from a plan file or a queue message: a known kind, its own id of that
 * kind, and every id it names (needs, model job, merge members and their parts) a job id; a merge names
 * each member once. Paths are built from these ids only after this check.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` naming the job and the bad field.
 * @example
 * checkJobShape(queued.data.job, 'queued job');
 */
export function checkJobShape(job: unknown, where: string): Job {
  if (typeof job !== 'object' || job === null || Array.isArray(job)) throw refuse(`${where} is not a job object.`, {});
  const j = job as Record<string, unknown>;
  if (typeof j.kind !== 'string' || !KINDS.has(j.kind))
    throw refuse(`${where} has unknown kind ${shown(j.kind)}; write the plan again with this version's 'pie-audit plan'.`, {});
  const kind = j.kind as Job['kind'];
  assertJobId(j.id, `${where} id`, kind);
  const at = `${where} ${j.id}`;
  if (!Array.isArray(j.needs)) throw refuse(`${at}: needs is not a list of job ids.`, { job: j.id });
  for (const [i, id] of j.needs.entries()) assertJobId(id, `${at} needs[${i}]`);
  if (kind === 'evaluate') {
    const model = j.model as Record<string, unknown> | null;
    if (typeof model !== 'object' || model === null) throw refuse(`${at}: model is not { file } or { job }.`, { job: j.id });
    if ('job' in model) assertJobId(model.job, `${at} model.job`);
    else if (typeof model.file !== 'string' || model.file === '') throw refuse(`${at}: model.file is not a path.`, { job: j.id });
  }
  if (kind === 'merge') {
    if (!Array.isArray(j.members)) throw refuse(`${at}: members is not a list.`, { job: j.id });
    const seen = new Set<string>();
    const names = new Set<string>();
    for (const [i, m] of (j.members as Array<Record<string, unknown> | null>).entries()) {
      if (typeof m !== 'object' || m === null) throw refuse(`${at}: members[${i}] is not an object.`, { job: j.id });
      const parts = m.parts === undefined ? [m.job] : m.parts;
      if (!Array.isArray(parts) || parts.length === 0) throw refuse(`${at}: members[${i}].parts is not a list of job ids.`, { job: j.id });
      assertJobId(m.job, `${at} members[${i}].job`, 'evaluate');
      for (const [k, id] of parts.entries()) {
        assertJobId(id, `${at} members[${i}].parts[${k}]`, 'evaluate');
        if (seen.has(id))
          throw refuse(`${at}: evaluate job ${id} is listed twice in members; each member is audited once. Write the plan again.`, {
            job: j.id,
            duplicate: id,
          });
        seen.add(id);
      }
      if (typeof m.level !== 'string' || typeof m.memberId !== 'string')
        throw refuse(`${at}: members[${i}] has no level or memberId string.`, { job: j.id });
      const name = `${m.level}\0${m.memberId}`;
      if (names.has(name))
        throw refuse(`${at}: member ${shown(m.memberId)} of level ${shown(m.level)} is listed twice; each member is audited once.`, {
          job: j.id,
        });
      names.add(name);
    }
  }
  return job as Job;
}
