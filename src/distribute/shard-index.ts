import { PieAuditError } from '../errors.js';

/** Environment variables that carry a shard index, in the order they are read. */
export const SHARD_INDEX_VARIABLES = ['PIE_AUDIT_SHARD_INDEX', 'JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID', 'CI_NODE_INDEX'] as const;

/**
 * The shard this runner works on: `--index` when given, else the first set variable of
 * {@link SHARD_INDEX_VARIABLES} (`PIE_AUDIT_SHARD_INDEX` for a CI matrix, `JOB_COMPLETION_INDEX` of a
 * Kubernetes Indexed Job, `SLURM_ARRAY_TASK_ID` of a Slurm array, `CI_NODE_INDEX` of GitLab's parallel jobs,
 * which counts from 1).
 *
 * @example
 * shardIndex(undefined, { JOB_COMPLETION_INDEX: '3' }, 8); // 3
 * @throws PieAuditError INVALID_ARGUMENT when no index is given or it is out of range.
 */
export function shardIndex(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, shards: number): number {
  let text = flag;
  let from = '--index';
  let offset = 0;
  if (text === undefined) {
    const name = SHARD_INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
    if (!name)
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `run-shard needs --index <i> or one of ${SHARD_INDEX_VARIABLES.join(', ')} set to the shard index.`,
        {},
      );
    text = env[name]!;
    from = name;
    if (name === 'CI_NODE_INDEX') offset = 1;
  }
  const index = Number(text) - offset;
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(index) || index < 0 || index >= shards) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${from} is '${text}', but the plan has shards 0 to ${shards - 1}${offset ? ' (CI_NODE_INDEX counts from 1)' : ''}.`,
      { index: text },
    );
  }
  return index;
}
