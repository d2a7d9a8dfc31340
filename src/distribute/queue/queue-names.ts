/** The BullMQ queue every pie-audit worker and submitter uses (one per Redis database). */
export const QUEUE_NAME = 'pie-audit';

/** Attempts per job before the audit fails naming it, and the first backoff delay (doubled each retry). */
export const JOB_ATTEMPTS = 3;
export const JOB_BACKOFF_MS = 500;

/** What a queued job carries: the job itself and the artifact folder the submitter named. */
export interface QueuedJobData {
  readonly job: import('../jobs.js').Job;
  readonly artifacts: string;
}
