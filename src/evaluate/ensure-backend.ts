import * as tf from '@tensorflow/tfjs';
import { getBackendInfo, initBackend } from '../engine/index.js';

/**
 * Makes sure tfjs has a backend before a model runs: keeps one the caller chose (with `initBackend`
 * or `tf.setBackend`), otherwise picks the fastest available with `initBackend({ backend: 'auto' })`.
 *
 * @example
 * await ensureTfjsBackend(); // tf.getBackend() === 'wasm' on a machine without tfjs-node
 */
export async function ensureTfjsBackend(): Promise<string> {
  const chosen = (tf.engine() as unknown as { backendName?: string | null }).backendName;
  if (!getBackendInfo() && !chosen) await initBackend({ backend: 'auto' });
  await tf.ready();
  return tf.getBackend();
}
