import * as tf from '@tensorflow/tfjs';
import { getBackendInfo, initBackend } from './backend.js';

/**
 * Makes sure tfjs has a backend before pie-audit runs a model, trains or prunes: keeps one the
 * caller chose (with `initBackend` or `tf.setBackend`, or the one tfjs picked when the caller's own
 * code first used it), otherwise picks the fastest available with `initBackend({ backend: 'auto' })`.
 *
 * @example
 * await ensureBackend(); // tf.getBackend() === 'wasm' on a machine without tfjs-node
 */
export async function ensureBackend(): Promise<string> {
  const chosen = (tf.engine() as unknown as { backendName?: string | null }).backendName;
  if (!getBackendInfo() && !chosen) await initBackend({ backend: 'auto' });
  await tf.ready();
  return tf.getBackend();
}
