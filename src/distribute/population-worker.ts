import { parentPort } from 'node:worker_threads';
import { PieAuditError } from '../errors.js';
import { artifactStore } from './artifacts.js';
import type { Job } from './jobs.js';
import { runJob } from './run-job.js';

/** A population job sent to a local worker (thread or process). */
export interface ThreadJobMessage {
  readonly job: Job;
  readonly artifacts: string;
}

/** Replies to the parent: a worker thread's port, or a forked process's IPC channel. */
const reply = (message: unknown) => (parentPort ? parentPort.postMessage(message) : process.send?.(message));

// One worker thread or child process with its own tfjs backend (loaded by the recipe), running train and fineTune jobs.
const onJob = async ({ job, artifacts }: ThreadJobMessage) => {
  try {
    const result = await runJob(job, {
      store: artifactStore(artifacts),
      loadConfig: () => {
        throw new PieAuditError(
          'INVALID_ARGUMENT',
          'local workers run population jobs only; evaluate config plans with run-shard or the queue.',
        );
      },
    });
    reply({ id: job.id, ok: true, result });
  } catch (e) {
    reply({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
};
if (parentPort) parentPort.on('message', onJob);
else process.on('message', (m) => void onJob(m as ThreadJobMessage));
