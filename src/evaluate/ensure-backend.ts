import { ensureBackend } from '../engine/ensure-backend.js';

/**
 * Makes sure tfjs has a backend before a model runs (the engine's `ensureBackend`, under the name
 * the evaluate folder has always used).
 *
 * @example
 * await ensureTfjsBackend(); // tf.getBackend() === 'wasm' on a machine without tfjs-node
 */
export function ensureTfjsBackend(): Promise<string> {
  return ensureBackend();
}
