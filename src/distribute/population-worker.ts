import { parentPort } from 'node:worker_threads';
import { PieAuditError } from '../errors.js';
import { artifactStore } from './artifacts.js';
import type { Job } from './jobs.js';
import { runJob } from './run-job.js';

/** A population job sent to a worker thread, and what comes back. */
export interface ThreadJobMessage {
  readonly job: Job;
  readonly artifacts: string;
}

// One worker thread with its own tfjs backend (loaded by the recipe), running train and fineTune jobs.
parentPort?.on('message', async ({ job, artifacts }: ThreadJobMessage) => {
  try {
    const result = await runJob(job, {
      store: artifactStore(artifacts),
      loadConfig: () => {
        throw new PieAuditError(
          'INVALID_ARGUMENT',
          'worker threads run population jobs only; evaluate config plans with run-shard or the queue.',
        );
      },
    });
    parentPort!.postMessage({ id: job.id, ok: true, result });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
