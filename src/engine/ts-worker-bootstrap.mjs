// Starts a TypeScript worker entry from the sources (tests, tsx): worker threads do not inherit tsx's hooks.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
