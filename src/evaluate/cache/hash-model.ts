import { createHash, type Hash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs';

function updateWithTensor(hash: Hash, name: string, t: tf.Tensor): void {
  hash.update(`${name}\0${t.dtype}\0${t.shape.join(',')}\0`);
  const data = t.dataSync();
  hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * sha256 of a LayersModel's topology (its Keras JSON) and weight values, in layer order.
 * A model saved and loaded again keeps its key.
 *
 * @example
 * const key = hashLayersModel(model); // 64 hex characters
 */
export function hashLayersModel(model: tf.LayersModel): string {
  const hash = createHash('sha256').update('tfjs-layers\0');
  // Layer names are kept: they carry the wiring of functional models. Identical models built with
  // different auto-generated names just miss the cache, never share a wrong entry.
  hash.update(JSON.stringify(model.toJSON(null, false)));
  model.weights.forEach((w, i) => updateWithTensor(hash, String(i), w.read()));
  return hash.digest('hex');
}

/**
 * sha256 of a GraphModel's graph definition and weight values (sorted by name).
 *
 * @example
 * const key = hashGraphModel(graph);
 */
export function hashGraphModel(model: tf.GraphModel): string {
  const hash = createHash('sha256').update('tfjs-graph\0');
  const artifacts = (model as unknown as { artifacts?: { modelTopology?: unknown } }).artifacts;
  hash.update(JSON.stringify(artifacts?.modelTopology ?? { inputs: model.inputNodes, outputs: model.outputNodes }));
  const weights = model.weights;
  for (const name of Object.keys(weights).sort()) weights[name].forEach((t, i) => updateWithTensor(hash, `${name}:${i}`, t));
  return hash.digest('hex');
}

/**
 * sha256 of bytes with a domain prefix (ONNX files, user cache keys).
 *
 * @example
 * hashBytes('onnx', readFileSync('net.onnx'));
 */
export function hashBytes(domain: string, bytes: Uint8Array | string): string {
  return createHash('sha256').update(`${domain}\0`).update(bytes).digest('hex');
}
