import { gzipSync } from 'node:zlib';
import type * as tf from '@tensorflow/tfjs';
import { assertFiniteWeights } from './assert-finite-weights.js';
import { findPrunableWeights } from './prunable-weights.js';

/** Size and sparsity of one weight tensor. */
export interface WeightStats {
  readonly layerName: string;
  /** Weight name as in model.json, e.g. `dense_Dense1/kernel`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly parameters: number;
  /** Entries exactly equal to 0 (either sign). */
  readonly zeros: number;
  /** zeros / parameters (0 for an empty tensor). */
  readonly sparsity: number;
  /** Whether magnitude pruning applies to this weight (kernels; not biases or normalisation). */
  readonly prunable: boolean;
}

/** Model-level totals and storage sizes, the table pruning tutorials print. */
export interface CompressionStats {
  readonly weights: WeightStats[];
  readonly totalParameters: number;
  readonly totalZeros: number;
  readonly sparsity: number;
  /** Parameters and zeros of the prunable weights only. */
  readonly prunableParameters: number;
  readonly prunableZeros: number;
  readonly prunableSparsity: number;
  /** float32 bytes of all weights (the weight shards' size). */
  readonly rawBytes: number;
  /** gzip (level 6, node:zlib) of those bytes: how zeros pay off when a model file is compressed. */
  readonly gzipBytes: number;
  /**
   * Estimated size with a bitmap sparse encoding: 1 bit per parameter plus 4 bytes per non-zero.
   */
  readonly sparseBitmapBytes: number;
  /** gzip of the bitmap encoding. */
  readonly sparseBitmapGzipBytes: number;
}

/**
 * Per-weight and total parameter counts, zeros and sparsity, and weight storage sizes (raw float32,
 * gzipped, and a bitmap sparse encoding). Throws `NON_FINITE` naming the layer for NaN weights.
 *
 * @example
 * const stats = compressionStats(stripPruning(pruned));
 * console.log(`${(stats.prunableSparsity * 100).toFixed(1)}% zeros, gzip ${stats.gzipBytes} B vs raw ${stats.rawBytes} B`);
 */
export function compressionStats(model: tf.LayersModel): CompressionStats {
  assertFiniteWeights(model);
  const prunableNames = new Set(findPrunableWeights(model, { pruneDepthwise: true }).map((w) => w.name));
  const weights: WeightStats[] = [];
  const chunks: Float32Array[] = [];
  const seen = new Set<number>();
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      if (seen.has(w.id)) continue;
      seen.add(w.id);
      const values = Float32Array.from(w.read().dataSync());
      let zeros = 0;
      for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros++;
      chunks.push(values);
      weights.push({
        layerName: layer.name,
        name: w.originalName,
        shape: [...w.shape] as number[],
        parameters: values.length,
        zeros,
        sparsity: values.length === 0 ? 0 : zeros / values.length,
        prunable: prunableNames.has(w.originalName),
      });
    }
  }
  const totalParameters = weights.reduce((a, w) => a + w.parameters, 0);
  const totalZeros = weights.reduce((a, w) => a + w.zeros, 0);
  const prunable = weights.filter((w) => w.prunable);
  const prunableParameters = prunable.reduce((a, w) => a + w.parameters, 0);
  const prunableZeros = prunable.reduce((a, w) => a + w.zeros, 0);

  const raw = new Uint8Array(totalParameters * 4);
  let offset = 0;
  for (const c of chunks) {
    raw.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), offset);
    offset += c.byteLength;
  }
  const bitmap = new Uint8Array(Math.ceil(totalParameters / 8));
  const nonZeros = new Float32Array(totalParameters - totalZeros);
  let index = 0;
  let nz = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++, index++) {
      if (c[i] !== 0) {
        bitmap[index >> 3] |= 1 << (index & 7);
        nonZeros[nz++] = c[i];
      }
    }
  }
  const sparse = new Uint8Array(bitmap.length + nonZeros.byteLength);
  sparse.set(bitmap, 0);
  sparse.set(new Uint8Array(nonZeros.buffer), bitmap.length);
  return {
    weights,
    totalParameters,
    totalZeros,
    sparsity: totalParameters === 0 ? 0 : totalZeros / totalParameters,
    prunableParameters,
    prunableZeros,
    prunableSparsity: prunableParameters === 0 ? 0 : prunableZeros / prunableParameters,
    rawBytes: raw.byteLength,
    gzipBytes: gzipSync(raw, { level: 6 }).byteLength,
    sparseBitmapBytes: sparse.byteLength,
    sparseBitmapGzipBytes: gzipSync(sparse, { level: 6 }).byteLength,
  };
}
